"""Calendars written in a policy become business-time clocks, country holidays included."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from charter.errors import UsageError
from charter.policy import load_policy_text
from charter.policy.clock import opening_hours

WEEKDAYS_9_TO_5 = (
    "{mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00], "
    "thu: [09:00-17:00], fri: [09:00-17:00]}"
)


def policy_with(calendar: str) -> str:
    return f"organisation: {{name: A, mission: M}}\ncalendars: [{calendar}]\n"


def local(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("zone", "country", "holiday"),
    [
        ("Australia/Sydney", "AU, subdivision: NSW", dt.date(2026, 1, 26)),  # Australia Day, Mon
        ("Asia/Kolkata", "IN", dt.date(2026, 1, 26)),  # Republic Day, Mon
        ("Europe/London", "GB, subdivision: ENG", dt.date(2026, 8, 31)),  # Summer bank holiday
        ("America/New_York", "US", dt.date(2026, 7, 3)),  # Independence Day observed, Fri
    ],
)
def test_country_holiday_closes_its_local_date_and_no_other(
    zone: str, country: str, holiday: dt.date
) -> None:
    text = policy_with(
        f"{{id: desk, timezone: {zone}, weekly: {WEEKDAYS_9_TO_5}, "
        f"holidays: {{country: {country}}}}}"
    )
    clock = opening_hours(load_policy_text(text).policy, "desk")
    day_before = holiday - dt.timedelta(days=1)
    start = local(zone, day_before.year, day_before.month, day_before.day, 0, 0)
    # The holiday itself: nothing; the weekday before it (Sun→ none, else 8 h) untouched.
    on_holiday = clock.elapsed(
        local(zone, holiday.year, holiday.month, holiday.day, 0, 0),
        local(zone, holiday.year, holiday.month, holiday.day, 23, 59),
    )
    assert on_holiday == 0
    before = clock.elapsed(start, start + dt.timedelta(hours=23, minutes=59))
    assert before == (8 * 3600 if day_before.weekday() < 5 else 0)


def test_special_hours_on_a_public_holiday_open_the_desk() -> None:
    text = policy_with(
        f"{{id: desk, timezone: Europe/London, weekly: {WEEKDAYS_9_TO_5}, "
        "holidays: {country: GB, subdivision: ENG}, special: {2026-08-31: [10:00-12:00]}}"
    )
    clock = opening_hours(load_policy_text(text).policy, "desk")
    day = local("Europe/London", 2026, 8, 31, 0, 0)
    assert clock.elapsed(day, day + dt.timedelta(days=1)) == 2 * 3600


def test_explicit_closed_dates_add_to_country_holidays() -> None:
    text = policy_with(
        f"{{id: desk, timezone: Europe/London, weekly: {WEEKDAYS_9_TO_5}, "
        "holidays: {dates: [2026-06-05]}}"
    )
    clock = opening_hours(load_policy_text(text).policy, "desk")
    day = local("Europe/London", 2026, 6, 5, 0, 0)
    assert clock.elapsed(day, day + dt.timedelta(days=1)) == 0


def test_the_24x7_clock_counts_every_second() -> None:
    clock = opening_hours(load_policy_text(policy_with("")).policy, "24x7")
    start = dt.datetime(2026, 3, 28, 12, tzinfo=dt.UTC)
    assert clock.elapsed(start, start + dt.timedelta(days=2)) == 2 * 86400


def test_an_unknown_clock_is_a_usage_error_with_a_suggestion() -> None:
    text = policy_with("{id: support, timezone: UTC}")
    with pytest.raises(UsageError, match="did you mean 'support'"):
        opening_hours(load_policy_text(text).policy, "suport")
