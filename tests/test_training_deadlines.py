"""Deadlines in working days of the training calendar, and reminders in its opening hours.

The example calendar uk-support: Europe/London, Mon-Fri 08:00-20:00, Saturday
09:00-13:00 and 14:00-17:00, England's bank holidays (25, 26 and 28 December 2026,
1 January 2027), 29-30 December 2026 closed, 24 December 09:00-12:00, 31 December
09:00-15:00. London is on UTC in winter, so local times below equal UTC.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.errors import UsageError
from charter.hours import OpeningHours
from charter.policy import load_policy_text
from charter.policy.clock import opening_hours
from charter.policy.units import Duration
from charter.training.deadlines import deadline, reminder_times, send_at
from support import EXAMPLE_TEXT

POLICY = load_policy_text(EXAMPLE_TEXT).policy
UK = opening_hours(POLICY, "uk-support", years=range(2025, 2029))
WAREHOUSE = opening_hours(POLICY, "warehouse", years=range(2025, 2029))  # Mon-Fri only


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def wd(days: int) -> Duration:
    return Duration(working_days=days)


def test_a_version_effective_thursday_17_december_at_10_is_due_wednesday_23_at_20() -> None:
    # Day 0 Thu 17; 1 Fri 18; 2 Sat 19 (uk-support opens on Saturdays); Sunday closed;
    # 3 Mon 21; 4 Tue 22; 5 Wed 23, which closes at 20:00.
    due = deadline(utc("2026-12-17 10:00"), wd(5), UK)
    assert due == utc("2026-12-23 20:00")
    assert reminder_times(due, wd(2), UK) == {
        "before": utc("2026-12-21 08:00"),  # two working days before Wed: Tue 22, Mon 21
        "due": utc("2026-12-23 08:00"),  # the deadline's own day, as it opens
        "overdue": utc("2026-12-24 09:00"),  # Christmas Eve opens at 09:00
    }


def test_a_joiner_starting_monday_21_december_has_ten_working_days_over_christmas() -> None:
    # Day 0 Mon 21; 1 Tue 22; 2 Wed 23; 3 Thu 24 (09:00-12:00); closed Fri 25 (Christmas),
    # Sat 26 (Boxing Day), Sun 27, Mon 28 (Boxing Day observed), Tue 29 and Wed 30;
    # 4 Thu 31 (09:00-15:00); closed Fri 1 Jan; 5 Sat 2; 6 Mon 4; 7 Tue 5; 8 Wed 6;
    # 9 Thu 7; 10 Fri 8 January 2027, closing at 20:00.
    due = deadline(dt.date(2026, 12, 21), wd(10), UK)
    assert due == utc("2027-01-08 20:00")
    assert reminder_times(due, wd(2), UK) == {
        "before": utc("2027-01-06 08:00"),  # Wed 6: Thu 7 and Wed 6 are the two days before
        "due": utc("2027-01-08 08:00"),
        "overdue": utc("2027-01-09 09:00"),  # Saturday 9 opens at 09:00
    }


def test_a_joiner_starting_on_sunday_counts_from_monday_and_is_reminded_on_christmas_eve() -> None:
    # Sun 20 is closed: day 0 is Mon 21; 1 Tue 22; 2 Wed 23; 3 Thu 24; 4 Thu 31; 5 Sat 2
    # January 2027, closing at 17:00. Two working days before Saturday: Thu 31, Thu 24.
    due = deadline(dt.date(2026, 12, 20), wd(5), UK)
    assert due == utc("2027-01-02 17:00")
    assert reminder_times(due, wd(2), UK) == {
        "before": utc("2026-12-24 09:00"),
        "due": utc("2027-01-02 09:00"),
        "overdue": utc("2027-01-04 08:00"),  # Sunday closed: Monday 08:00
    }


def test_saturday_is_a_working_day_when_the_calendar_opens_on_saturdays() -> None:
    # uk-support: Fri 18 + 1 working day = Sat 19, closing 17:00 after its lunch break.
    assert deadline(utc("2026-12-18 10:00"), wd(1), UK) == utc("2026-12-19 17:00")
    # The warehouse opens Mon-Fri 07:00-22:00: Fri 18 + 1 = Mon 21, closing 22:00.
    assert deadline(utc("2026-12-18 10:00"), wd(1), WAREHOUSE) == utc("2026-12-21 22:00")


def test_an_overdue_notice_that_would_fall_on_sunday_goes_on_monday_at_08() -> None:
    # Thu 17 10:00 + 2 working days = Sat 19, closing 17:00; the next opening after it
    # is Monday 21 at 08:00, not Saturday evening or Sunday.
    due = deadline(utc("2026-12-17 10:00"), wd(2), UK)
    assert due == utc("2026-12-19 17:00")
    assert reminder_times(due, wd(1), UK)["overdue"] == utc("2026-12-21 08:00")
    assert send_at(utc("2026-12-20 10:00"), UK) == utc("2026-12-21 08:00")


def test_nothing_is_sent_at_two_in_the_morning() -> None:
    assert send_at(utc("2026-12-22 02:00"), UK) == utc("2026-12-22 08:00")
    assert send_at(utc("2026-12-22 10:15"), UK) == utc("2026-12-22 10:15")  # open: as is
    assert send_at(utc("2026-12-19 13:30"), UK) == utc("2026-12-19 14:00")  # lunch break
    assert send_at(utc("2026-12-25 09:00"), UK) == utc("2026-12-31 09:00")  # Christmas


def test_summer_deadlines_follow_the_wall_clock_and_come_back_in_utc() -> None:
    # Thu 2 July 2026 10:00 BST (09:00 UTC) + 1 working day: Fri 3 July 20:00 BST,
    # 19:00 UTC; the reminder a working day before goes Thu 2 July at 08:00 BST.
    due = deadline(utc("2026-07-02 09:00"), wd(1), UK)
    assert due == utc("2026-07-03 19:00")
    assert reminder_times(due, wd(1), UK)["before"] == utc("2026-07-02 07:00")


def test_a_start_date_is_the_start_of_that_day_in_the_calendars_zone_not_in_utc() -> None:
    # Kiritimati is UTC+14. Read in UTC, Monday 7 December would start at 14:00 local,
    # after this desk's 09:00-12:00 hours, and day 0 would be Tuesday. Read locally,
    # day 0 is Monday, and 0 working days run out at Monday's close: 12:00 local =
    # Sunday 6 December 22:00 UTC.
    week = {d: [("09:00", "12:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
    desk = OpeningHours("Pacific/Kiritimati", week)
    assert deadline(dt.date(2026, 12, 7), wd(0), desk) == utc("2026-12-06 22:00")


def test_a_deadline_in_hours_is_refused_with_how_to_write_it() -> None:
    with pytest.raises(UsageError, match=r"within is 4h, not whole working days.*5wd"):
        deadline(utc("2026-12-17 10:00"), Duration(seconds=4 * 3600), UK)
    with pytest.raises(UsageError, match="remind_before"):
        reminder_times(utc("2026-12-23 20:00"), Duration(seconds=3600), UK)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(UsageError, match="start 2026-12-17T10:00:00 has no timezone"):
        deadline(dt.datetime(2026, 12, 17, 10), wd(5), UK)
    with pytest.raises(UsageError, match="t 2026-12-17T02:00:00 has no timezone"):
        send_at(dt.datetime(2026, 12, 17, 2), UK)


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 1)),
    within=st.integers(0, 15),
    before=st.integers(0, 5),
)
def test_reminders_are_in_opening_hours_in_order_and_count_back_exactly(
    start: dt.datetime, within: int, before: int
) -> None:
    at = start.replace(tzinfo=dt.UTC)
    due = deadline(at, wd(within), UK)
    times = reminder_times(due, wd(before), UK)
    assert all(UK.is_open(t) for t in times.values()), times
    assert times["before"] <= times["due"] <= due < times["overdue"]
    # The "before" reminder is exactly `before` working days ahead of the deadline,
    # and "due" on the deadline's own working day.
    assert UK.add_working_days(times["before"], before) == due
    assert UK.add_working_days(times["due"], 0) == due
    assert not UK.is_open(due) and times["overdue"] == UK.next_open(due)
