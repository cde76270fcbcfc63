"""The one clock: every service and the store take the current instant from here.

``now()`` is the current time in UTC; ``utc_moment(now)`` is the instant a service works
at: the one a caller gives (refused when naive), or now. A test that needs a fixed
time patches ``charter.clock.now`` alone.

>>> utc_moment(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)).isoformat()
'2026-03-02T09:00:00+00:00'
>>> now().tzinfo is dt.UTC
True
"""

from __future__ import annotations

import datetime as dt

from charter.errors import UsageError


def now() -> dt.datetime:
    """The current instant, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def utc_moment(moment: dt.datetime | None) -> dt.datetime:
    """``moment`` in UTC (the current time when None); a naive instant is refused."""
    if moment is None:
        return now()
    if moment.tzinfo is None:
        raise UsageError(f"now={moment.isoformat()} has no timezone; give an aware instant")
    return moment.astimezone(dt.UTC)
