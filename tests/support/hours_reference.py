"""A slow, obvious model of business time, for checking ``charter.hours``.

It shares no code with the package: it walks UTC minute by minute, asks
zoneinfo for each minute's local date, and decides open or closed straight from
the weekly, holiday and special-day rules written out in DESIGN.md. It is only
exact when every interval endpoint is a whole UTC minute, which holds for
wall times on whole minutes in zones whose offsets are whole minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from zoneinfo import ZoneInfo

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def minutes_of(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def first_instant_at_or_after(zone: ZoneInfo, wall: dt.datetime) -> dt.datetime:
    """The earliest UTC instant whose local wall time is at least ``wall``.

    That is ``wall`` itself when it happens once, its first occurrence when the
    clocks went back, and the end of the gap when they went forward.
    """
    candidates = sorted(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    for instant in candidates:
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            return instant
    instant = candidates[0]
    while instant.astimezone(zone).replace(tzinfo=None) < wall:
        instant += MINUTE
    return instant


class ReferenceCalendar:
    """Open or closed, one UTC minute at a time."""

    def __init__(
        self,
        timezone: str,
        weekly: Mapping[str, Sequence[tuple[str, str]]],
        holidays: Iterable[dt.date] = (),
        special: Mapping[dt.date, Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        self.zone = ZoneInfo(timezone)
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        self.weekly = [list(weekly.get(day, [])) for day in days]
        self.holidays = set(holidays)
        self.special = dict(special or {})
        self.spans_of = cache(self._spans_of)
        self.is_open = cache(self._is_open)

    def _rules_of(self, day: dt.date) -> list[tuple[str, str]]:
        """The intervals that start on a local date: special, else holiday, else weekly."""
        if day in self.special:
            return list(self.special[day])
        if day in self.holidays:
            return []
        return self.weekly[day.weekday()]

    def _spans_of(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """UTC spans of the intervals starting on ``day``, each endpoint converted alone."""
        midnight = dt.datetime.combine(day, dt.time())
        spans = []
        for start_text, end_text in self._rules_of(day):
            start, end = minutes_of(start_text), minutes_of(end_text)
            if end <= start:
                end += 24 * 60  # runs past midnight into the next day
            span_end = first_instant_at_or_after(self.zone, midnight + end * MINUTE)
            tomorrow = day + DAY
            if end > 24 * 60 and tomorrow in self.holidays and tomorrow not in self.special:
                # A holiday closes at its own local midnight, cutting the overnight tail.
                cut = first_instant_at_or_after(self.zone, midnight + DAY)
                span_end = min(span_end, cut)
            spans.append(
                (first_instant_at_or_after(self.zone, midnight + start * MINUTE), span_end)
            )
        return spans

    def _is_open(self, instant: dt.datetime) -> bool:
        local_day = instant.astimezone(self.zone).date()
        return any(
            start <= instant < end
            for day in (local_day - DAY, local_day, local_day + DAY)
            for start, end in self.spans_of(day)
        )

    def elapsed_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Open minutes in ``[start, end)``, negative when ``end`` is earlier."""
        if end < start:
            return -self.elapsed_minutes(end, start)
        count, instant = 0, start
        while instant < end:
            count += self.is_open(instant)
            instant += MINUTE
        return count

    def add_minutes(
        self, start: dt.datetime, minutes: int, limit: dt.datetime
    ) -> dt.datetime | None:
        """The end of the ``minutes``-th open minute from ``start``; None past ``limit``."""
        instant = start
        while minutes > 0:
            if instant >= limit:
                return None
            minutes -= self.is_open(instant)
            instant += MINUTE
        return instant

    def next_open(self, start: dt.datetime, limit: dt.datetime) -> dt.datetime | None:
        instant = start
        while not self.is_open(instant):
            if instant >= limit:
                return None
            instant += MINUTE
        return instant
