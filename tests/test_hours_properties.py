"""Properties of business-time arithmetic, checked against a minute-by-minute model.

Calendars are drawn at random (overnight intervals, "24:00", holidays, special
days) in four zones, over a few days around a clock change, so every example
crosses DST rules the field keeps getting wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from charter.hours import OpeningHours
from support.hours_reference import ReferenceCalendar

# Clock changes of 2024 (UTC day they happen on); Kolkata has none, so any day does.
WINDOWS = {
    "Europe/London": [dt.date(2024, 3, 31), dt.date(2024, 10, 27)],
    "America/New_York": [dt.date(2024, 3, 10), dt.date(2024, 11, 3)],
    "Australia/Sydney": [dt.date(2024, 4, 6), dt.date(2024, 10, 5)],
    "Asia/Kolkata": [dt.date(2024, 3, 31), dt.date(2024, 12, 31)],
}
WINDOW_DAYS = 4
WINDOW_MINUTES = WINDOW_DAYS * 24 * 60
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTE = dt.timedelta(minutes=1)
FAST = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# Clock changes happen between 01:00 and 03:00 local in these zones; endpoints are
# drawn there half the time so that nonexistent and repeated wall times are common.
NIGHT_TIMES = st.sampled_from([0, 60, 90, 120, 150, 180])


@st.composite
def intervals(draw: st.DrawFn) -> tuple[str, str]:
    """Intervals on a half-hour grid; an end before the start runs overnight."""
    start = draw(st.one_of(NIGHT_TIMES, st.integers(0, 47).map(lambda k: k * 30)))
    ends = st.one_of(NIGHT_TIMES, st.integers(0, 48).map(lambda k: k * 30))
    end = draw(ends.filter(lambda e: e != start))
    return _hhmm(start), _hhmm(end)  # 1440 is written "24:00"


@dataclass
class Case:
    timezone: str
    weekly: dict[str, list[tuple[str, str]]]
    holidays: list[dt.date]
    special: dict[dt.date, list[tuple[str, str]]]
    origin: dt.datetime  # start of the UTC window the queries fall in

    def charter(self) -> OpeningHours:
        return OpeningHours(self.timezone, self.weekly, self.holidays, self.special, name="drawn")

    def reference(self) -> ReferenceCalendar:
        return ReferenceCalendar(self.timezone, self.weekly, self.holidays, self.special)

    def at(self, minute: int) -> dt.datetime:
        return self.origin + minute * MINUTE


@st.composite
def cases(draw: st.DrawFn) -> Case:
    timezone = draw(st.sampled_from(sorted(WINDOWS)))
    change = draw(st.sampled_from(WINDOWS[timezone]))
    first = change - dt.timedelta(days=2)
    local_days = [first + dt.timedelta(days=k) for k in range(-1, WINDOW_DAYS + 1)]
    weekly = draw(
        st.dictionaries(st.sampled_from(DAYS), st.lists(intervals(), max_size=2), min_size=1)
    )
    holidays = draw(st.lists(st.sampled_from(local_days), max_size=2, unique=True))
    special = draw(
        st.dictionaries(st.sampled_from(local_days), st.lists(intervals(), max_size=2), max_size=2)
    )
    origin = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    return Case(timezone, weekly, holidays, special, origin)


minutes_in_window = st.integers(0, WINDOW_MINUTES)


def _utc64(instants: list[dt.datetime]) -> np.ndarray:
    return np.array([t.replace(tzinfo=None) for t in instants], dtype="datetime64[us]")


@FAST
@given(cases(), st.lists(st.tuples(minutes_in_window, minutes_in_window), min_size=1, max_size=20))
def test_elapsed_equals_the_minute_by_minute_reference(case: Case, pairs: list[tuple[int, int]]):
    reference = case.reference()
    starts = [case.at(a) for a, _ in pairs]
    ends = [case.at(b) for _, b in pairs]
    expected = [60.0 * reference.elapsed_minutes(a, b) for a, b in zip(starts, ends, strict=True)]
    assert case.charter().elapsed(_utc64(starts), _utc64(ends)).tolist() == expected


@FAST
@given(cases())
def test_is_open_agrees_with_the_reference_at_every_minute_of_the_window(case: Case):
    reference = case.reference()
    instants = [case.at(m) for m in range(WINDOW_MINUTES)]
    expected = [reference.is_open(t) for t in instants]
    assert case.charter().is_open(_utc64(instants)).tolist() == expected


@FAST
@given(cases(), minutes_in_window, minutes_in_window)
def test_elapsed_is_antisymmetric(case: Case, a: int, b: int):
    hours = case.charter()
    assert hours.elapsed(case.at(b), case.at(a)) == -hours.elapsed(case.at(a), case.at(b))


@FAST
@given(cases(), minutes_in_window, minutes_in_window, minutes_in_window)
def test_elapsed_is_additive(case: Case, a: int, b: int, c: int):
    hours = case.charter()
    ta, tb, tc = case.at(a), case.at(b), case.at(c)
    assert hours.elapsed(ta, tc) == hours.elapsed(ta, tb) + hours.elapsed(tb, tc)


@FAST
@given(cases(), minutes_in_window, st.integers(0, 3 * 24 * 60))
def test_add_is_the_earliest_instant_with_that_much_business_time(case: Case, s: int, minutes: int):
    assume(any(case.weekly.values()))  # otherwise no due time exists (tested by rule)
    hours, start, seconds = case.charter(), case.at(s), minutes * 60
    due = hours.add(start, seconds)
    assert due >= start
    assert hours.elapsed(start, due) == seconds
    if seconds > 0:
        # One microsecond earlier the clock has not yet run out.
        assert hours.elapsed(start, due - dt.timedelta(microseconds=1)) < seconds
    limit = case.at(WINDOW_MINUTES)
    expected = case.reference().add_minutes(start, minutes, limit)
    if expected is not None:
        assert due == expected


@FAST
@given(cases(), minutes_in_window)
def test_next_open_agrees_with_the_reference(case: Case, m: int):
    assume(any(case.weekly.values()))
    start, limit = case.at(m), case.at(WINDOW_MINUTES)
    expected = case.reference().next_open(start, limit)
    if expected is not None:
        assert case.charter().next_open(start) == expected
