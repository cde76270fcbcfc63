"""When a failed delivery is tried again: exponential back-off with a cap, then the
dead-letter list.

After try ``n`` fails, the next waits ``first × factor^(n−1)``, never more than
``cap``; a receiver's ``Retry-After`` lengthens that wait (up to the cap) but never
shortens it. After the last of ``tries`` tries, or after a failure no retry can get
past (a refused login, an HTTP 404), the message is dead-lettered: ``next_try``
returns None and the message waits for someone to retry it by hand.

With the defaults (1 minute, doubling, capped at 6 hours, 12 tries) the waits are

>>> from charter.figures import duration
>>> [duration(wait) for wait in waits(RetryPolicy())]  # doctest: +NORMALIZE_WHITESPACE
['1 min', '2 min', '4 min', '8 min', '16 min', '32 min', '1 h 4 min', '2 h 8 min',
 '4 h 16 min', '6 h', '6 h']
>>> duration(sum(waits(RetryPolicy())))
'20 h 31 min'
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from charter.errors import UsageError


class RetryPolicy(BaseModel):
    """How often and how far apart a failed delivery is tried again."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first: Annotated[float, Field(gt=0)] = Field(
        60, description="Seconds between the first try and the second."
    )
    factor: Annotated[float, Field(ge=1)] = Field(
        2, description="Each wait is this many times the one before it."
    )
    cap: Annotated[float, Field(gt=0)] = Field(
        6 * 3600, description="The longest wait between two tries, in seconds."
    )
    tries: Annotated[int, Field(ge=1, le=100)] = Field(
        12, description="Tries in all, the first included; after the last, the dead-letter list."
    )

    @model_validator(mode="after")
    def _cap_not_below_first(self) -> RetryPolicy:
        if self.cap < self.first:
            raise ValueError(
                f"retry cap {self.cap:g} s is shorter than the first wait {self.first:g} s; "
                "raise the cap or lower the first wait"
            )
        return self


def wait_after(policy: RetryPolicy, tries_made: int, retry_after: float | None = None) -> float:
    """Seconds to wait after the ``tries_made``-th try failed (1 for the first try).

    >>> wait_after(RetryPolicy(), 1), wait_after(RetryPolicy(), 3), wait_after(RetryPolicy(), 11)
    (60.0, 240.0, 21600.0)
    >>> wait_after(RetryPolicy(), 1, retry_after=600)
    600.0
    """
    if tries_made < 1:
        raise UsageError(f"tries_made is {tries_made}; the first try is 1")
    wait = policy.first
    for _ in range(tries_made - 1):  # stops at the cap: no overflow however many tries
        if wait >= policy.cap or policy.factor == 1:
            break
        wait *= policy.factor
    wait = min(wait, policy.cap)
    if retry_after is not None:
        wait = max(wait, min(retry_after, policy.cap))
    return float(wait)


def next_try(
    policy: RetryPolicy,
    tries_made: int,
    failed_at: dt.datetime,
    *,
    retry: bool = True,
    retry_after: float | None = None,
) -> dt.datetime | None:
    """When to try again after the ``tries_made``-th try failed at ``failed_at``, or None
    when the message goes to the dead-letter list (the last try failed, or ``retry`` is
    False: a failure no later try can get past).

    >>> at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    >>> next_try(RetryPolicy(), 2, at).isoformat()
    '2026-03-02T09:02:00+00:00'
    >>> next_try(RetryPolicy(), 12, at) is None, next_try(RetryPolicy(), 1, at, retry=False)
    (True, None)
    """
    if not retry or tries_made >= policy.tries:
        return None
    return failed_at + dt.timedelta(seconds=wait_after(policy, tries_made, retry_after))


def waits(policy: RetryPolicy) -> list[float]:
    """Every wait of the schedule, in seconds: one fewer than the tries."""
    return [wait_after(policy, n) for n in range(1, policy.tries)]
