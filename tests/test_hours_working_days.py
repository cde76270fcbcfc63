"""Promises in working days: ``OpeningHours.add_working_days``.

Every instant below is written in UTC; the comment beside it gives the local wall
time it stands for and the working day it lands on. Offsets used: London GMT +0 /
BST +1, New York EST -5 / EDT -4, Sydney AEST +10 / AEDT +11, Kolkata IST +5:30
all year. June 2024 starts on a Saturday: Monday is the 3rd.

The property at the end checks the rules against a slow reference that walks local
dates one at a time with zoneinfo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.errors import CalendarError, UsageError
from charter.hours import OpeningHours
from support.hours_reference import first_instant_at_or_after, minutes_of

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE = {day: [("09:00", "17:00")] for day in WEEKDAYS}
NIGHTS = {day: [("22:00", "06:00")] for day in WEEKDAYS}  # each night belongs to its evening
LONDON, NEW_YORK, SYDNEY, KOLKATA = (
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
)


def at(text: str) -> np.datetime64:
    """A UTC instant."""
    return np.datetime64(text, "us")


def office(timezone: str, weekly: Mapping[str, Any] = OFFICE, **kwargs: Any) -> OpeningHours:
    return OpeningHours(timezone, weekly, name="office", **kwargs)


# --- weekends -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "start", "days", "due"),
    [
        # Mon 10:00 BST, 1 day -> Tue 17:00 BST.
        (LONDON, "2024-06-03T09:00", 1, "2024-06-04T16:00"),
        # Mon 10:00 BST, 0 days -> the close of Monday itself.
        (LONDON, "2024-06-03T09:00", 0, "2024-06-03T16:00"),
        # Sat 12:00 BST: the clock starts Mon 09:00 (day 0), 1 day -> Tue 17:00 BST.
        (LONDON, "2024-06-01T11:00", 1, "2024-06-04T16:00"),
        # Mon 19:00 BST, after closing: day 0 is Tuesday, 1 day -> Wed 17:00 BST.
        (LONDON, "2024-06-03T18:00", 1, "2024-06-05T16:00"),
        # Mon 17:00 BST, the instant it closes, is already closed: same as 19:00.
        (LONDON, "2024-06-03T16:00", 1, "2024-06-05T16:00"),
        # Fri 16:00 BST, 1 day -> Mon 10 Jun 17:00 BST.
        (LONDON, "2024-06-07T15:00", 1, "2024-06-10T16:00"),
        # Mon 3 Jun, 10 days: Tue..Fri (4), Mon..Fri (9), Mon 17 Jun (10) -> 17:00 BST.
        (LONDON, "2024-06-03T09:00", 10, "2024-06-17T16:00"),
        # New York: Mon 10:00 EDT -> Tue 17:00 EDT.
        (NEW_YORK, "2024-06-03T14:00", 1, "2024-06-04T21:00"),
        # Fri 20:00 EDT is Saturday in UTC; the clock starts Mon 09:00 EDT -> Tue 17:00 EDT.
        (NEW_YORK, "2024-06-08T00:00", 1, "2024-06-11T21:00"),
        # Sydney: Mon 08:00 AEST is still Sunday in UTC; day 0 is Monday -> Mon 17:00 AEST.
        (SYDNEY, "2024-06-02T22:00", 0, "2024-06-03T07:00"),
        (SYDNEY, "2024-06-02T22:00", 1, "2024-06-04T07:00"),
        # Sat 12:00 AEST -> day 0 Monday -> Tue 17:00 AEST.
        (SYDNEY, "2024-06-01T02:00", 1, "2024-06-04T07:00"),
        # Mon 19:00 AEST -> day 0 Tuesday -> Wed 17:00 AEST.
        (SYDNEY, "2024-06-03T09:00", 1, "2024-06-05T07:00"),
        # Kolkata: Sat 12:00 IST -> Tue 17:00 IST.
        (KOLKATA, "2024-06-01T06:30", 1, "2024-06-04T11:30"),
        # Mon 10:00 IST -> Tue 17:00 IST.
        (KOLKATA, "2024-06-03T04:30", 1, "2024-06-04T11:30"),
    ],
)
def test_working_days_skip_the_weekend(timezone, start, days, due):
    assert office(timezone).add_working_days(at(start), days) == at(due)


# --- holidays are local dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "holiday", "start", "days", "due"),
    [
        # Summer bank holiday Mon 26 Aug: Fri 23 Aug 10:00 BST, 1 day -> Tue 27 Aug 17:00 BST.
        (LONDON, dt.date(2024, 8, 26), "2024-08-23T09:00", 1, "2024-08-27T16:00"),
        (LONDON, dt.date(2024, 8, 26), "2024-08-23T09:00", 0, "2024-08-23T16:00"),
        # Independence Day Thu 4 Jul: Wed 10:00 EDT, 1 day -> Fri 5 Jul 17:00 EDT.
        (NEW_YORK, dt.date(2024, 7, 4), "2024-07-03T14:00", 1, "2024-07-05T21:00"),
        # Australia Day Fri 26 Jan: Thu 25 Jan 10:00 AEDT, 1 day -> Mon 29 Jan 17:00 AEDT.
        (SYDNEY, dt.date(2024, 1, 26), "2024-01-24T23:00", 1, "2024-01-29T06:00"),
        # A ticket on the holiday itself (Fri 10:00 AEDT = Thu in UTC) counts from Monday.
        (SYDNEY, dt.date(2024, 1, 26), "2024-01-25T23:00", 0, "2024-01-29T06:00"),
        # Independence Day Thu 15 Aug: Wed 10:00 IST, 1 day -> Fri 16 Aug 17:00 IST.
        (KOLKATA, dt.date(2024, 8, 15), "2024-08-14T04:30", 1, "2024-08-16T11:30"),
    ],
)
def test_a_local_holiday_is_not_a_working_day(timezone, holiday, start, days, due):
    hours = office(timezone, holidays=[holiday])
    assert hours.add_working_days(at(start), days) == at(due)


# --- special days -----------------------------------------------------------------------------

CHRISTMAS = {
    "holidays": [dt.date(2024, 12, 25), dt.date(2024, 12, 26)],
    "special": {dt.date(2024, 12, 24): [("09:00", "12:00")]},
}


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Mon 23 Dec 10:00 GMT, 1 day -> Christmas Eve, which closes at 12:00.
        ("2024-12-23T10:00", 1, "2024-12-24T12:00"),
        # 2 days: 25 and 26 are closed, so Fri 27 Dec 17:00.
        ("2024-12-23T10:00", 2, "2024-12-27T17:00"),
        # Christmas Eve 13:00, after its short hours: day 0 is Fri 27 Dec.
        ("2024-12-24T13:00", 0, "2024-12-27T17:00"),
        ("2024-12-24T13:00", 1, "2024-12-30T17:00"),
    ],
)
def test_a_special_day_with_short_hours_is_a_working_day_that_closes_early(start, days, due):
    assert office(LONDON, **CHRISTMAS).add_working_days(at(start), days) == at(due)


def test_a_special_day_on_a_saturday_is_a_working_day():
    # Sat 30 Nov 2024 opens 10:00-14:00 GMT: Fri 29 Nov, 1 day -> Sat 14:00; 2 days -> Mon 17:00.
    hours = office(LONDON, special={dt.date(2024, 11, 30): [("10:00", "14:00")]})
    due = hours.add_working_days(at("2024-11-29T10:00"), np.array([1, 2]))
    assert due.tolist() == [at("2024-11-30T14:00"), at("2024-12-02T17:00")]


def test_a_special_day_in_sydney_closes_early_on_its_local_date():
    # Christmas Eve 09:00-12:00 AEDT: Mon 23 Dec 10:00 AEDT, 1 day -> Tue 24 Dec 12:00 AEDT.
    hours = office(SYDNEY, special={dt.date(2024, 12, 24): [("09:00", "12:00")]})
    assert hours.add_working_days(at("2024-12-22T23:00"), 1) == at("2024-12-24T01:00")


# --- overnight intervals belong to the date they start on ------------------------------------

FRIDAY_NIGHT = {**OFFICE, "fri": [("09:00", "17:00"), ("22:00", "02:00")]}


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Fri 18:00 EDT: the clock starts Fri 22:00 EDT; Friday's last close is Sat 02:00 EDT.
        ("2024-06-07T22:00", 0, "2024-06-08T06:00"),
        # Sat 01:00 EDT, inside Friday's night shift: day 0 is Friday, not Saturday.
        ("2024-06-08T05:00", 0, "2024-06-08T06:00"),
        ("2024-06-08T05:00", 1, "2024-06-10T21:00"),
        # Sat 03:00 EDT, after the shift: day 0 is Monday -> Mon 17:00 EDT.
        ("2024-06-08T07:00", 0, "2024-06-10T21:00"),
    ],
)
def test_an_overnight_interval_counts_for_the_date_it_starts_on(start, days, due):
    assert office(NEW_YORK, FRIDAY_NIGHT).add_working_days(at(start), days) == at(due)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Tue 03:00 IST is Monday's night: 0 days -> Tue 06:00 IST; 1 day -> Wed 06:00 IST.
        ("2024-06-03T21:30", 0, "2024-06-04T00:30"),
        ("2024-06-03T21:30", 1, "2024-06-05T00:30"),
        # Sat 03:00 IST is Friday's night -> Sat 06:00 IST; 1 day -> Monday's night, Tue 06:00.
        ("2024-06-07T21:30", 0, "2024-06-08T00:30"),
        ("2024-06-07T21:30", 1, "2024-06-11T00:30"),
    ],
)
def test_a_night_shift_counts_each_night_as_the_working_day_of_its_evening(start, days, due):
    assert office(KOLKATA, NIGHTS).add_working_days(at(start), days) == at(due)


def test_a_holiday_cuts_the_night_before_it_and_is_skipped():
    # Wed 14 Aug 23:00 IST: Wednesday's night is cut at the holiday's midnight (Thu 00:00
    # IST); 1 day skips Thursday -> Friday's night, closing Sat 17 Aug 06:00 IST.
    hours = office(KOLKATA, NIGHTS, holidays=[dt.date(2024, 8, 15)])
    due = hours.add_working_days(at("2024-08-14T17:30"), np.array([0, 1]))
    assert due.tolist() == [at("2024-08-14T18:30"), at("2024-08-17T00:30")]


# --- clock changes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "start", "due"),
    [
        # London springs forward Sun 31 Mar: Fri 10:00 GMT -> Mon 1 Apr 17:00 BST.
        (LONDON, "2024-03-29T10:00", "2024-04-01T16:00"),
        # London falls back Sun 27 Oct: Fri 10:00 BST -> Mon 28 Oct 17:00 GMT.
        (LONDON, "2024-10-25T09:00", "2024-10-28T17:00"),
        # New York springs forward Sun 10 Mar: Fri 10:00 EST -> Mon 11 Mar 17:00 EDT.
        (NEW_YORK, "2024-03-08T15:00", "2024-03-11T21:00"),
        # Sydney falls back Sun 7 Apr: Fri 10:00 AEDT -> Mon 8 Apr 17:00 AEST.
        (SYDNEY, "2024-04-04T23:00", "2024-04-08T07:00"),
        # Sydney springs forward Sun 6 Oct: Fri 10:00 AEST -> Mon 7 Oct 17:00 AEDT.
        (SYDNEY, "2024-10-04T00:00", "2024-10-07T06:00"),
        # Kolkata keeps IST while London changes: Fri 10:00 -> Mon 1 Apr 17:00 IST.
        (KOLKATA, "2024-03-29T04:30", "2024-04-01T11:30"),
    ],
)
def test_one_working_day_over_a_clock_change_closes_at_local_five(timezone, start, due):
    assert office(timezone).add_working_days(at(start), 1) == at(due)


WEEKENDS_ROUND_THE_CLOCK = {"sat": [("00:00", "24:00")], "sun": [("00:00", "24:00")]}


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Saturday and Sunday touch at midnight yet stay two working days.
        # Sun 31 Mar 10:00 BST: Sunday closes at its 24:00 BST, 23:00 UTC (a 23-hour day).
        ("2024-03-31T09:00", 0, "2024-03-31T23:00"),
        # Sat 30 Mar 10:00 GMT: 1 day -> Sunday's close.
        ("2024-03-30T10:00", 1, "2024-03-31T23:00"),
        # Sat 26 Oct 10:00 BST: Saturday closes at 24:00 BST; Sunday at 24:00 GMT (25 hours).
        ("2024-10-26T09:00", 0, "2024-10-26T23:00"),
        ("2024-10-26T09:00", 1, "2024-10-28T00:00"),
    ],
)
def test_days_open_round_the_clock_end_at_their_own_local_midnight(start, days, due):
    hours = office(LONDON, WEEKENDS_ROUND_THE_CLOCK)
    assert hours.add_working_days(at(start), days) == at(due)


def test_an_interval_inside_the_skipped_hour_makes_no_working_day():
    # Sundays 01:15-01:45: on 31 Mar those wall times never happen in London, so that
    # Sunday is no working day. From Sat 23 Mar: day 0 is Sun 24 Mar (closing 01:45 GMT),
    # and the next working day is Sun 7 Apr, closing 01:45 BST.
    hours = office(LONDON, {"sun": [("01:15", "01:45")]})
    due = hours.add_working_days(at("2024-03-23T12:00"), np.array([0, 1]))
    assert due.tolist() == [at("2024-03-24T01:45"), at("2024-04-07T00:45")]


def test_a_due_time_is_never_before_its_clock_starts():
    # A degenerate calendar: Monday's night runs to Tue 06:00 BST, and Tuesday has its own
    # 01:00-02:00. At Tue 03:00 BST Tuesday has begun, so it is day 0, but it closed at
    # 02:00: with 0 days the promise is due at once. 1 day is Monday's night, to Tue 11 Jun.
    hours = office(LONDON, {"mon": [("22:00", "06:00")], "tue": [("01:00", "02:00")]})
    due = hours.add_working_days(at("2024-06-04T02:00"), np.array([0, 1]))
    assert due.tolist() == [at("2024-06-04T02:00"), at("2024-06-11T05:00")]


# --- the 24x7 clock ---------------------------------------------------------------------


@pytest.mark.parametrize(("days", "due"), [(0, "2024-06-03T10:00"), (3, "2024-06-06T10:00")])
def test_on_the_24x7_clock_a_working_day_is_24_hours(days, due):
    assert OpeningHours.always().add_working_days(at("2024-06-03T10:00"), days) == at(due)


# --- input and output types -----------------------------------------------------------------


def test_an_aware_datetime_gives_an_aware_utc_datetime():
    start = dt.datetime(2024, 6, 3, 10, 0, tzinfo=ZoneInfo(LONDON))  # Monday 10:00 BST
    due = office(LONDON).add_working_days(start, 1)
    assert due == dt.datetime(2024, 6, 4, 16, 0, tzinfo=dt.UTC)
    assert due.utcoffset() == dt.timedelta(0)


def test_arrays_broadcast_and_missing_values_give_nat():
    starts = np.array(["2024-06-03T09:00", "NaT", "2024-06-01T11:00"], dtype="datetime64[s]")
    days = np.array([1.0, 1.0, np.nan])
    due = office(LONDON).add_working_days(starts, days)
    assert due.dtype == np.dtype("datetime64[us]")
    assert due[0] == at("2024-06-04T16:00")
    assert np.isnat(due[1:]).all()


def test_one_start_with_many_day_counts_gives_one_due_time_each():
    # Polars Int32 columns arrive as int32 arrays. Mon 10:00 BST + 0..3 days.
    days = np.array([[0, 1], [2, 3]], dtype=np.int32)
    due = office(LONDON).add_working_days(at("2024-06-03T09:00"), days)
    expected = [["2024-06-03T16:00", "2024-06-04T16:00"], ["2024-06-05T16:00", "2024-06-06T16:00"]]
    assert due.tolist() == [[at(t) for t in row] for row in expected]


def test_a_missing_start_scalar_gives_nat():
    assert np.isnat(office(LONDON).add_working_days(np.datetime64("NaT", "us"), 1))


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "got -1"),
        (1.5, "got 1.5"),
        (np.array([1, -2]), "got -2"),
        ("2", "whole numbers"),
        (True, "whole numbers"),
    ],
)
def test_days_that_are_not_whole_and_non_negative_are_refused(days, message):
    with pytest.raises(UsageError, match=message):
        office(LONDON).add_working_days(at("2024-06-03T09:00"), days)


def test_a_datetime_start_with_missing_days_is_refused():
    start = dt.datetime(2024, 6, 3, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(UsageError, match="days is missing"):
        office(LONDON).add_working_days(start, float("nan"))


def test_shapes_that_do_not_broadcast_are_refused():
    starts = np.array(["2024-06-03T09:00"] * 2, dtype="datetime64[us]")
    with pytest.raises(UsageError, match="broadcast"):
        office(LONDON).add_working_days(starts, np.array([1, 2, 3]))


def test_a_calendar_that_never_opens_is_named_in_the_error():
    hours = OpeningHours(LONDON, {}, name="support")
    with pytest.raises(CalendarError, match="'support' never opens"):
        hours.add_working_days(at("2024-06-03T09:00"), 0)


def test_days_past_the_last_special_day_of_a_calendar_without_weekly_hours_are_refused():
    hours = OpeningHours(
        LONDON, {}, special={dt.date(2024, 6, 8): [("10:00", "12:00")]}, name="fair"
    )
    assert hours.add_working_days(at("2024-06-03T09:00"), 0) == at("2024-06-08T11:00")
    with pytest.raises(CalendarError, match="'fair' has no opening hours after 2024-06-08"):
        hours.add_working_days(at("2024-06-03T09:00"), 1)


def test_a_clock_started_inside_the_last_special_day_counts_that_day():
    # Only special hours, 28 Mar 2024 01:00-24:00 IST (27 Mar 19:30 - 28 Mar 18:30 UTC). At
    # 05:30 IST the calendar is open: the clock starts there, though nothing opens later.
    hours = OpeningHours(KOLKATA, {}, special={dt.date(2024, 3, 28): [("01:00", "00:00")]})
    assert hours.next_open(at("2024-03-28T00:00")) == at("2024-03-28T00:00")
    assert hours.add_working_days(at("2024-03-28T00:00"), 0) == at("2024-03-28T18:30")
    with pytest.raises(CalendarError, match="no opening hours after 2024-03-28"):
        hours.next_open(at("2024-03-28T18:30"))


def test_a_promise_years_ahead_lands_on_a_working_day_close():
    # 261 working days from Mon 3 Jun 2024 on a Mon-Fri calendar is 52 weeks and a day
    # (52 x 5 = 260, then one more): Tue 3 Jun 2025, 17:00 BST.
    assert office(LONDON).add_working_days(at("2024-06-03T09:00"), 261) == at("2025-06-03T16:00")


# --- property: the rules, checked date by date -------------------------------------------


class WorkingDayReference:
    """Opening days found by walking local dates with zoneinfo, one date at a time."""

    def __init__(
        self,
        timezone: str,
        weekly: Mapping[str, Sequence[tuple[str, str]]],
        holidays: Sequence[dt.date],
        special: Mapping[dt.date, Sequence[tuple[str, str]]],
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self.weekly = [list(weekly.get(day, [])) for day in (*WEEKDAYS, "sat", "sun")]
        self.holidays, self.special = set(holidays), dict(special)
        self.spans = cache(self._spans)

    def _spans(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """Non-empty UTC spans of the intervals starting on a local date."""
        if day in self.special:
            rules = self.special[day]
        else:
            rules = [] if day in self.holidays else self.weekly[day.weekday()]
        midnight, tomorrow = dt.datetime.combine(day, dt.time()), day + dt.timedelta(days=1)
        spans = []
        for start_text, end_text in rules:
            start, end = minutes_of(start_text), minutes_of(end_text)
            end += 1440 if end <= start else 0
            if end > 1440 and tomorrow in self.holidays and tomorrow not in self.special:
                end = 1440  # the holiday closes at its own midnight
            first = first_instant_at_or_after(self.zone, midnight + dt.timedelta(minutes=start))
            last = first_instant_at_or_after(self.zone, midnight + dt.timedelta(minutes=end))
            if last > first:
                spans.append((first, last))
        return spans

    def due(self, start: dt.datetime, days: int) -> dt.datetime | None:
        opened = self._next_open(start)
        if opened is None:
            return None
        local = opened.astimezone(self.zone).date()
        day = next(
            d
            for d in (local + dt.timedelta(days=k) for k in (1, 0, -1, -2))
            if self.spans(d) and min(s for s, _ in self.spans(d)) <= opened
        )
        for _ in range(days):
            day += dt.timedelta(days=1)
            while not self.spans(day):
                day += dt.timedelta(days=1)
                if day > local + dt.timedelta(days=400):
                    return None
        return max(max(e for _, e in self.spans(day)), opened)

    def _next_open(self, t: dt.datetime) -> dt.datetime | None:
        local = t.astimezone(self.zone).date()
        nearby = (local + dt.timedelta(days=k) for k in range(-2, 2))
        if any(s <= t < e for d in nearby for s, e in self.spans(d)):
            return t
        for k in range(-1, 400):
            later = [s for s, _ in self.spans(local + dt.timedelta(days=k)) if s > t]
            if later:
                return min(later)
        return None


# Clock changes of 2024 (UTC day); Kolkata has none, so any day does.
CHANGES = {
    LONDON: [dt.date(2024, 3, 31), dt.date(2024, 10, 27)],
    NEW_YORK: [dt.date(2024, 3, 10), dt.date(2024, 11, 3)],
    SYDNEY: [dt.date(2024, 4, 6), dt.date(2024, 10, 5)],
    KOLKATA: [dt.date(2024, 3, 31)],
}
NIGHT_MINUTES = st.sampled_from([0, 60, 90, 120, 150, 180])  # around the changes


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def intervals(draw: st.DrawFn) -> tuple[str, str]:
    start = draw(st.one_of(NIGHT_MINUTES, st.integers(0, 47).map(lambda k: k * 30)))
    end = draw(st.one_of(NIGHT_MINUTES, st.integers(1, 48).map(lambda k: k * 30)))
    return _hhmm(start), _hhmm(end if end != start else (start + 30) % 1440)


@st.composite
def calendars(draw: st.DrawFn) -> tuple[str, dict[str, Any], dt.datetime]:
    timezone = draw(st.sampled_from(sorted(CHANGES)))
    change = draw(st.sampled_from(CHANGES[timezone]))
    near = [change + dt.timedelta(days=k) for k in range(-3, 5)]
    days = st.sampled_from((*WEEKDAYS, "sat", "sun"))
    calendar = {
        "weekly": draw(st.dictionaries(days, st.lists(intervals(), max_size=2), max_size=4)),
        "holidays": draw(st.lists(st.sampled_from(near), max_size=2, unique=True)),
        "special": draw(
            st.dictionaries(st.sampled_from(near), st.lists(intervals(), max_size=2), max_size=2)
        ),
    }
    origin = dt.datetime.combine(change - dt.timedelta(days=3), dt.time(), tzinfo=dt.UTC)
    return timezone, calendar, origin


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendars(),
    st.lists(st.tuples(st.integers(0, 7 * 24 * 4), st.integers(0, 6)), min_size=1, max_size=12),
)
def test_add_working_days_agrees_with_walking_the_dates(drawn, queries):
    timezone, calendar, origin = drawn
    reference = WorkingDayReference(timezone, **calendar)
    starts = [origin + dt.timedelta(minutes=15 * q) for q, _ in queries]
    expected = [reference.due(s, n) for s, (_, n) in zip(starts, queries, strict=True)]
    hours = OpeningHours(timezone, name="drawn", **calendar)
    as_utc64 = np.array([s.replace(tzinfo=None) for s in starts], dtype="datetime64[us]")
    days = np.array([n for _, n in queries])
    if None in expected:
        with pytest.raises(CalendarError):
            hours.add_working_days(as_utc64, days)
        return
    due = hours.add_working_days(as_utc64, days)
    assert due.tolist() == [e.replace(tzinfo=None) for e in expected]
