"""Checks of a decision's inputs shared by the return and refund rules.

>>> require_offset(dt.datetime(2026, 12, 1, tzinfo=dt.UTC), "ordered", "the order instant")
"""

from __future__ import annotations

import datetime as dt

from charter.errors import InvalidInput
from charter.policy.returns import Returns
from charter.policy.schema import Policy


def returns_section(policy: Policy) -> Returns:
    """The policy's returns section; ``InvalidInput`` (field ``policy``) without one."""
    if policy.returns is None:
        raise InvalidInput(
            "the policy has no returns section; add one to decide returns",
            [{"field": "policy"}],
        )
    return policy.returns


def require_offset(instant: dt.datetime, name: str, what: str) -> None:
    """``InvalidInput`` naming ``name`` when ``instant`` has no UTC offset."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput(
            f"{what} {instant.isoformat()} has no UTC offset; "
            "write it with one (2026-12-23T15:30+00:00)",
            [{"field": name}],
        )


def years_around(at: dt.datetime) -> range:
    """The years whose holidays a decision about ``at`` may meet."""
    return range(at.year - 1, at.year + 3)
