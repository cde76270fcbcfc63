"""How long a sign-in must wait after failed ones: growing delays, never a lockout.

Failures are counted per key (an account tried from an address, or an address)
over a window. A key with fewer than ``free`` failures waits for nothing. From
then on the next attempt must wait ``delay`` seconds after the latest failure,
doubling with each further failure up to ``max_delay``:

>>> limit = Limit(attempts=5, delay=5, max_delay=900)
>>> [wait_after(n, limit.attempts, limit) for n in (4, 5, 6, 7, 10, 13, 14, 40)]
[0, 5, 10, 20, 160, 900, 900, 900]

So a key is slowed, never shut: whoever waits may try again, and the owner of an
account signing in from another address is not slowed at all.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """Failed sign-ins allowed before waits begin, and how the waits grow.

    ``attempts`` per (account, address) pair and ``address_attempts`` per address
    within ``window`` seconds; then ``delay`` seconds after the latest failure,
    doubled for each further failure, at most ``max_delay``."""

    attempts: int = 5
    address_attempts: int = 50
    window: int = 86_400
    delay: int = 5
    max_delay: int = 900


def wait_after(failures: int, free: int, limit: Limit) -> int:
    """Seconds the next attempt waits after the latest of ``failures`` failures."""
    if failures < free:
        return 0
    doublings = min(failures - free, 40)  # 2**40 delays are far past any cap
    delay: int = limit.delay * 2**doublings
    return min(limit.max_delay, delay)


def seconds_left(
    failures: int, latest: dt.datetime, free: int, limit: Limit, now: dt.datetime
) -> int:
    """Whole seconds (at least 1) still to wait at ``now``, or 0 when none."""
    until = latest + dt.timedelta(seconds=wait_after(failures, free, limit))
    left = (until - now).total_seconds()
    return max(1, math.ceil(left)) if left > 0 else 0
