"""Compiling a calendar into sorted UTC interval arrays.

For a range of local dates the calendar becomes three int64 arrays (UTC
microseconds): interval ``starts``, interval ``ends`` and ``cum_end``, the
business microseconds from the start of the range to each interval's end. Every
query is then two ``searchsorted`` calls and arithmetic (see ``Compiled``).
Working days need what merging forgets, the local date each interval starts on,
so two more arrays hold, per opening day, its first opening and its last close.

The build is vectorised over dates. Weekly intervals are gathered from a
weekday table with numpy; only holidays and special days, which are few, are
handled one by one. Wall-clock minutes become UTC through the zone's offset
segments, found by probing zoneinfo once a day and bisecting only where the
offset changes, so zoneinfo is never asked per interval per day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from charter.hours._spec import MINUTES_PER_DAY, CalendarSpec

I64 = NDArray[np.int64]
US_PER_S = 1_000_000
US_PER_MIN = 60 * US_PER_S
US_PER_DAY = 86_400 * US_PER_S
NAT = np.iinfo(np.int64).min
_FAR = np.iinfo(np.int64).max // 2
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday; Monday is 0


@dataclass(frozen=True)
class Compiled:
    """A calendar's intervals for UTC instants in ``[lo, hi]``.

    Index 0 of every array is an empty sentinel far in the past, so a
    ``searchsorted(starts, t, "right") - 1`` lookup never falls off the front.
    NaT (the smallest int64) sorts before even the sentinel and gives a
    meaningless answer, which every caller masks.

    ``day_first`` and ``day_close`` have one entry per opening day in
    ``[first_day, end_day)`` — a local date on which a non-empty interval starts —
    in date order: the UTC start of its first interval and the UTC end of its last.
    Unlike the merged intervals they are exact for every date of the range.
    """

    starts: I64
    ends: I64
    cum_end: I64
    day_first: I64
    day_close: I64
    lo: int
    hi: int
    first_day: np.datetime64
    end_day: np.datetime64

    def business(self, t: I64) -> I64:
        """Business microseconds from the start of the range to each instant."""
        i = np.searchsorted(self.starts, t, "right") - 1
        micros: I64 = self.cum_end[i] - np.maximum(self.ends[i] - t, 0)
        return micros

    def covers(self, lo: int, hi: int) -> bool:
        return self.lo <= lo and hi <= self.hi


def compile_days(spec: CalendarSpec, first_day: np.datetime64, end_day: np.datetime64) -> Compiled:
    """Intervals starting on local dates ``[first_day, end_day)``, merged, in UTC.

    Instants in the two days at either edge may miss a neighbour's overnight
    interval, so the range answered exactly is two days narrower on each side.
    """
    days = np.arange(first_day, end_day, dtype="datetime64[D]").astype(np.int64)
    starts, ends = _weekly_minutes(spec, days)
    s_extra, e_extra = _special_minutes(spec, days[0], days[-1])
    starts, ends = np.concatenate([starts, s_extra]), np.concatenate([ends, e_extra])
    ends = _cut_at_holidays(spec, starts, ends)
    lo_us = int(days[0] + 2) * US_PER_DAY
    hi_us = int(days[-1] - 1) * US_PER_DAY
    to_utc = WallClock(spec, lo_us - 3 * US_PER_DAY, hi_us + 3 * US_PER_DAY)
    utc_starts, utc_ends = to_utc(starts * US_PER_MIN), to_utc(ends * US_PER_MIN)
    day_first, day_close = _opening_days(starts // MINUTES_PER_DAY, utc_starts, utc_ends)
    merged_starts, merged_ends = _merge(utc_starts, utc_ends)
    cum_end = np.cumsum(merged_ends - merged_starts)
    sentinel = np.array([-_FAR], dtype=np.int64)
    return Compiled(
        starts=np.concatenate([sentinel, merged_starts]),
        ends=np.concatenate([sentinel, merged_ends]),
        cum_end=np.concatenate([np.zeros(1, dtype=np.int64), cum_end]),
        day_first=day_first,
        day_close=day_close,
        lo=lo_us,
        hi=hi_us,
        first_day=first_day,
        end_day=end_day,
    )


def _weekly_minutes(spec: CalendarSpec, days: I64) -> tuple[I64, I64]:
    """Weekly intervals of every ordinary date, as wall-clock minutes since 1970."""
    width = max(1, *(len(intervals) for intervals in spec.weekly))
    table = np.zeros((7, width, 2), dtype=np.int64)
    valid = np.zeros((7, width), dtype=bool)
    for day, intervals in enumerate(spec.weekly):
        for k, interval in enumerate(intervals):
            table[day, k] = interval
            valid[day, k] = True
    # Holidays and special days replace the weekly intervals that start on them.
    replaced = [_day_number(day) for day in (*spec.holidays, *spec.special)]
    ordinary = ~np.isin(days, np.array(replaced, dtype=np.int64))
    weekday = (days + _EPOCH_WEEKDAY) % 7
    keep = valid[weekday] & ordinary[:, None]
    midnight = (days * MINUTES_PER_DAY)[:, None]
    return (midnight + table[weekday, :, 0])[keep], (midnight + table[weekday, :, 1])[keep]


def _special_minutes(spec: CalendarSpec, first: np.int64, last: np.int64) -> tuple[I64, I64]:
    spans = [
        (_day_number(day) * MINUTES_PER_DAY + start, _day_number(day) * MINUTES_PER_DAY + end)
        for day, intervals in spec.special.items()
        if first <= _day_number(day) <= last
        for start, end in intervals
    ]
    pairs = np.array(spans, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _cut_at_holidays(spec: CalendarSpec, starts: I64, ends: I64) -> I64:
    """End each overnight interval at the local midnight of a holiday it runs into.

    A special day on the same date wins over the holiday, so it cuts nothing.
    """
    closed = sorted(_day_number(day) for day in spec.holidays if day not in spec.special)
    if not closed:
        return ends
    midnights = np.array(closed, dtype=np.int64) * MINUTES_PER_DAY
    nxt = np.searchsorted(midnights, starts, "right")
    cut = midnights[np.minimum(nxt, len(midnights) - 1)]
    return np.where((nxt < len(midnights)) & (cut < ends), cut, ends)


def _opening_days(day: I64, starts: I64, ends: I64) -> tuple[I64, I64]:
    """First start and last end of each local date's intervals, in date order.

    Intervals left empty by a clock change (wall times that never happen) open
    nothing, so a date holding only those is not an opening day.
    """
    keep = ends > starts
    order = np.argsort(day[keep], kind="stable")
    day, starts, ends = day[keep][order], starts[keep][order], ends[keep][order]
    if len(day) == 0:
        return starts, ends
    first = np.flatnonzero(np.concatenate([[True], day[1:] != day[:-1]]))
    return np.minimum.reduceat(starts, first), np.maximum.reduceat(ends, first)


def _merge(starts: I64, ends: I64) -> tuple[I64, I64]:
    """Sort, drop empty intervals, and join overlapping or touching ones."""
    keep = ends > starts
    order = np.argsort(starts[keep], kind="stable")
    starts, ends = starts[keep][order], ends[keep][order]
    if len(starts) == 0:
        return starts, ends
    reach = np.maximum.accumulate(ends)
    # A new run begins where an interval starts after everything before it has ended.
    new_run = np.concatenate([[True], starts[1:] > reach[:-1]])
    first = np.flatnonzero(new_run)
    return starts[first], np.maximum.reduceat(ends, first)


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


class WallClock:
    """Converts local wall-clock microseconds to UTC microseconds for one zone.

    The offset is constant on segments ``[utc[i], utc[i + 1])``. A wall time
    ``w`` maps to the earliest UTC instant whose wall time is at least ``w``:
    that is the instant itself when it exists once, its first occurrence when
    clocks went back, and the end of the gap when clocks went forward.
    """

    def __init__(self, spec: CalendarSpec, lo_us: int, hi_us: int) -> None:
        utc, offsets = _offset_segments(spec, lo_us // US_PER_S, hi_us // US_PER_S)
        self._utc = np.array(utc, dtype=np.int64) * US_PER_S
        self._offset = np.array(offsets, dtype=np.int64) * US_PER_S
        wall_end = np.append(self._utc[1:] + self._offset[:-1], _FAR)
        # Running maximum keeps the lookup array sorted even if segments were short.
        self._wall_end = np.maximum.accumulate(wall_end)

    def __call__(self, wall: I64) -> I64:
        segment = np.searchsorted(self._wall_end, wall, "right")
        utc: I64 = np.maximum(wall - self._offset[segment], self._utc[segment])
        return utc


def _offset_segments(spec: CalendarSpec, lo_s: int, hi_s: int) -> tuple[list[int], list[int]]:
    """Segment starts (UTC seconds) and offsets (seconds) covering ``[lo_s, hi_s]``.

    Since 1900 no offset in the tz database has lasted less than four days, so a
    probe a day sees every change; bisection then finds each to the second.
    """
    probes = range(lo_s, hi_s + 86_400, 86_400)
    offsets = [_offset_at(spec, s) for s in probes]
    starts, values = [-(_FAR // US_PER_S)], [offsets[0]]
    for probe, before, after in zip(probes, offsets, offsets[1:], strict=False):
        # Usually one change a day at most; the loop also finds a second one.
        change, offset = probe, before
        while offset != after:
            change = _first_change(spec, change, probe + 86_400, offset)
            offset = _offset_at(spec, change)
            starts.append(change)
            values.append(offset)
    return starts, values


def _first_change(spec: CalendarSpec, lo_s: int, hi_s: int, before: int) -> int:
    # Invariant: the offset at lo_s is ``before`` and the offset at hi_s is not.
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        lo_s, hi_s = (mid, hi_s) if _offset_at(spec, mid) == before else (lo_s, mid)
    return hi_s


def _offset_at(spec: CalendarSpec, utc_s: int) -> int:
    offset = dt.datetime.fromtimestamp(utc_s, spec.zone).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())
