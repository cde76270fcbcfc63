"""The instant a service works at: now, or the aware instant a caller gives."""

from __future__ import annotations

import datetime as dt

from charter.errors import UsageError


def utc_moment(now: dt.datetime | None) -> dt.datetime:
    """``now`` in UTC (the current time when None); a naive instant is refused."""
    if now is None:
        return dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise UsageError(f"now={now.isoformat()} has no timezone; give an aware instant")
    return now.astimezone(dt.UTC)
