"""Rules of business time, one hand-worked case at a time.

Every instant below is written in UTC; the comment beside it gives the local wall
time it stands for, and each expected value is worked out in the comment. Offsets
used: London GMT +0 / BST +1, New York EST -5 / EDT -4, Sydney AEST +10 / AEDT +11,
Kolkata IST +5:30 all year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from holidays import country_holidays

from charter.errors import CalendarError, UsageError
from charter.hours import OpeningHours

H = 3600
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
ALL_DAYS = (*WEEKDAYS, "sat", "sun")
OFFICE = {day: [("09:00", "17:00")] for day in WEEKDAYS}  # 8 h a day, 40 h a week


def at(text: str) -> np.datetime64:
    """A UTC instant."""
    return np.datetime64(text, "us")


def office(timezone: str, **kwargs: Any) -> OpeningHours:
    return OpeningHours(timezone, OFFICE, name="office", **kwargs)


# --- counting business time -------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "start", "end", "expected"),
    [
        # Mon 2024-06-03 09:00 -> Fri 2024-06-07 17:00 local: five 8 h days = 40 h.
        ("Europe/London", "2024-06-03T08:00", "2024-06-07T16:00", 40 * H),
        ("America/New_York", "2024-06-03T13:00", "2024-06-07T21:00", 40 * H),
        # Sydney's Monday 09:00 is still Sunday 23:00 in UTC.
        ("Australia/Sydney", "2024-06-02T23:00", "2024-06-07T07:00", 40 * H),
        ("Asia/Kolkata", "2024-06-03T03:30", "2024-06-07T11:30", 40 * H),
        # Mon 10:30 BST -> Tue 12:00 BST: 6.5 h on Monday + 3 h on Tuesday.
        ("Europe/London", "2024-06-03T09:30", "2024-06-04T11:00", 9.5 * H),
    ],
)
def test_elapsed_counts_the_working_days_of_a_week(timezone, start, end, expected):
    assert office(timezone).elapsed(at(start), at(end)) == expected


@pytest.mark.parametrize(
    ("timezone", "start", "end"),
    [
        # Fri 2024-06-07 15:00 -> Mon 2024-06-10 11:00 local: 2 h Friday + 2 h Monday = 4 h.
        ("Europe/London", "2024-06-07T14:00", "2024-06-10T10:00"),
        ("America/New_York", "2024-06-07T19:00", "2024-06-10T15:00"),
        ("Australia/Sydney", "2024-06-07T05:00", "2024-06-10T01:00"),
        ("Asia/Kolkata", "2024-06-07T09:30", "2024-06-10T05:30"),
    ],
)
def test_elapsed_skips_the_weekend(timezone, start, end):
    assert office(timezone).elapsed(at(start), at(end)) == 4 * H


def test_elapsed_backwards_is_the_negative_of_forwards():
    hours = office("Europe/London")
    assert hours.elapsed(at("2024-06-10T10:00"), at("2024-06-07T14:00")) == -4 * H


# --- holidays are local dates -----------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "holiday", "open_before", "closed_on", "open_after"),
    [
        # Australia Day, Fri 2024-01-26, AEDT. Thu 10:00, Fri 10:00, Mon 10:00 local.
        # Converted through UTC it would close Fri 11:00 to Sat 11:00 instead (zammad #3706).
        (
            "Australia/Sydney",
            "2024-01-26",
            "2024-01-24T23:00",
            "2024-01-25T23:00",
            "2024-01-28T23:00",
        ),
        # Republic Day, Fri 2024-01-26, IST. Thu 10:00, Fri 10:00, Mon 10:00 local.
        ("Asia/Kolkata", "2024-01-26", "2024-01-25T04:30", "2024-01-26T04:30", "2024-01-29T04:30"),
        # Summer bank holiday, Mon 2024-08-26, BST. Fri 10:00, Mon 10:00, Tue 10:00 local.
        ("Europe/London", "2024-08-26", "2024-08-23T09:00", "2024-08-26T09:00", "2024-08-27T09:00"),
        # Independence Day, Thu 2024-07-04, EDT. Wed 10:00, Thu 10:00, Fri 10:00 local.
        (
            "America/New_York",
            "2024-07-04",
            "2024-07-03T14:00",
            "2024-07-04T14:00",
            "2024-07-05T14:00",
        ),
    ],
)
def test_holiday_closes_its_local_date_not_a_day_early_or_late(
    timezone, holiday, open_before, closed_on, open_after
):
    hours = office(timezone, holidays=[dt.date.fromisoformat(holiday)])
    opens = hours.is_open(np.array([open_before, closed_on, open_after], dtype="datetime64[us]"))
    assert opens.tolist() == [True, False, True]


def test_country_holidays_can_be_passed_as_they_come():
    nsw = country_holidays("AU", subdiv="NSW", years=2024)
    hours = office("Australia/Sydney", holidays=nsw)
    # King's Birthday, Mon 2024-06-10: 10:00 AEST (00:00Z) closed; Tue 10:00 AEST open.
    assert hours.is_open(at("2024-06-10T00:00")) is False
    assert hours.is_open(at("2024-06-11T00:00")) is True


@pytest.mark.parametrize(
    ("timezone", "holiday", "start", "end"),
    [
        # Thu 2024-01-25 09:00 AEDT -> Mon 2024-01-29 09:00 AEDT: Thursday only = 8 h.
        ("Australia/Sydney", "2024-01-26", "2024-01-24T22:00", "2024-01-28T22:00"),
        # Thu 2024-01-25 09:00 IST -> Mon 2024-01-29 09:00 IST: Thursday only = 8 h.
        ("Asia/Kolkata", "2024-01-26", "2024-01-25T03:30", "2024-01-29T03:30"),
        # Fri 2024-08-23 09:00 BST -> Tue 2024-08-27 09:00 BST: Friday only = 8 h.
        ("Europe/London", "2024-08-26", "2024-08-23T08:00", "2024-08-27T08:00"),
        # Wed 2024-07-03 09:00 EDT -> Fri 2024-07-05 09:00 EDT: Wednesday only = 8 h.
        ("America/New_York", "2024-07-04", "2024-07-03T13:00", "2024-07-05T13:00"),
    ],
)
def test_elapsed_across_a_holiday_counts_nothing_for_it(timezone, holiday, start, end):
    hours = office(timezone, holidays=[dt.date.fromisoformat(holiday)])
    assert hours.elapsed(at(start), at(end)) == 8 * H


@pytest.mark.parametrize(
    ("timezone", "holiday", "start", "due"),
    [
        # Mon 2024-08-26 is a holiday: the clock starts Tue 09:00 BST (08:00Z), 1 h later 09:00Z.
        ("Europe/London", "2024-08-26", "2024-08-26T10:00", "2024-08-27T09:00"),
        # Thu 2024-07-04: the clock starts Fri 09:00 EDT (13:00Z), due 14:00Z.
        ("America/New_York", "2024-07-04", "2024-07-04T14:00", "2024-07-05T14:00"),
        # Fri 2024-01-26 10:00 AEDT: starts Mon 2024-01-29 09:00 AEDT (28th 22:00Z), due 23:00Z.
        ("Australia/Sydney", "2024-01-26", "2024-01-25T23:00", "2024-01-28T23:00"),
        # Fri 2024-01-26 10:00 IST: starts Mon 2024-01-29 09:00 IST (03:30Z), due 04:30Z.
        ("Asia/Kolkata", "2024-01-26", "2024-01-26T04:30", "2024-01-29T04:30"),
    ],
)
def test_add_starting_on_a_holiday_begins_at_the_next_opening(timezone, holiday, start, due):
    hours = office(timezone, holidays=[dt.date.fromisoformat(holiday)])
    assert hours.add(at(start), H) == at(due)


# --- several intervals a day ------------------------------------------------------------

LUNCH = {"mon": [("09:00", "12:00"), ("13:00", "17:00")]}


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        ("2024-06-03T10:59", True),  # 11:59 BST, morning shift
        ("2024-06-03T11:00", False),  # 12:00 BST, lunch starts: the morning's end is exclusive
        ("2024-06-03T11:30", False),  # 12:30 BST, lunch
        ("2024-06-03T12:00", True),  # 13:00 BST, afternoon starts: inclusive
    ],
)
def test_lunch_break_is_closed(t, expected):
    assert OpeningHours("Europe/London", LUNCH).is_open(at(t)) is expected


@pytest.mark.parametrize(
    ("timezone", "weekly", "start", "end", "expected"),
    [
        # 09:00-17:00 BST less lunch: 3 h + 4 h = 7 h.
        ("Europe/London", LUNCH, "2024-06-03T08:00", "2024-06-03T16:00", 7 * H),
        # Kolkata split shift over the whole local Monday (00:00 IST = Sun 18:30Z):
        # 10:00-13:30 is 3.5 h, 14:15-19:00 is 4.75 h; 8.25 h.
        (
            "Asia/Kolkata",
            {"mon": [("10:00", "13:30"), ("14:15", "19:00")]},
            "2024-06-02T18:30",
            "2024-06-03T18:30",
            8.25 * H,
        ),
        # New York early and late shifts 06:00-10:00 and 16:00-22:00 EDT: 4 h + 6 h.
        (
            "America/New_York",
            {"mon": [("16:00", "22:00"), ("06:00", "10:00")]},
            "2024-06-03T04:00",
            "2024-06-04T04:00",
            10 * H,
        ),
        # Sydney overlapping 09:00-13:00 and 12:00-17:00 AEST count once: 09:00-17:00 = 8 h.
        (
            "Australia/Sydney",
            {"mon": [("09:00", "13:00"), ("12:00", "17:00")]},
            "2024-06-02T14:00",
            "2024-06-03T14:00",
            8 * H,
        ),
    ],
)
def test_elapsed_adds_up_every_interval_of_a_day(timezone, weekly, start, end, expected):
    assert OpeningHours(timezone, weekly).elapsed(at(start), at(end)) == expected


@pytest.mark.parametrize(
    ("start", "seconds", "due"),
    [
        # 11:00 BST + 1 h exactly fills the morning: due at its close, 12:00 BST, not 13:00.
        ("2024-06-03T10:00", H, "2024-06-03T11:00"),
        # 11:00 BST + 1.5 h: 1 h to 12:00, lunch, then 30 min from 13:00: 13:30 BST.
        ("2024-06-03T10:00", 1.5 * H, "2024-06-03T12:30"),
    ],
)
def test_add_carries_over_the_lunch_break(start, seconds, due):
    assert OpeningHours("Europe/London", LUNCH).add(at(start), seconds) == at(due)


def test_adjacent_intervals_have_no_gap_at_the_seam():
    hours = OpeningHours("Europe/London", {"mon": [("09:00", "12:00"), ("12:00", "17:00")]})
    noon = at("2024-06-03T11:00")  # 12:00 BST
    assert hours.is_open(noon)
    assert hours.next_open(noon) == noon
    assert hours.elapsed(at("2024-06-03T08:00"), at("2024-06-03T16:00")) == 8 * H


def test_monday_to_midnight_then_tuesday_from_midnight_is_one_stretch():
    hours = OpeningHours(
        "Europe/London", {"mon": [("22:00", "24:00")], "tue": [("00:00", "06:00")]}
    )
    midnight = at("2024-06-03T23:00")  # Tue 00:00 BST
    assert hours.is_open(midnight)
    assert hours.next_open(midnight) == midnight
    # Mon 22:00 BST -> Tue 06:00 BST = 8 h; 1 h of it still due at 05:00 BST ends at 06:00 BST.
    assert hours.elapsed(at("2024-06-03T21:00"), at("2024-06-04T05:00")) == 8 * H
    assert hours.add(at("2024-06-03T21:00"), 8 * H) == at("2024-06-04T05:00")


# --- overnight intervals ----------------------------------------------------------------

NIGHTS = {"mon": [("22:00", "06:00")]}  # Monday night into Tuesday morning
# Mon 2024-06-03 00:00 BST -> Wed 2024-06-05 00:00 BST, around one Monday night.
MON_TUE = ("2024-06-02T23:00", "2024-06-04T23:00")


@pytest.mark.parametrize(
    ("holidays", "special", "expected", "open_tue_3am"),
    [
        # Mon 22:00 -> Tue 06:00 BST = 8 h; Tuesday 03:00 is open though Tuesday has no hours.
        ([], {}, 8 * H, True),
        # A holiday on Tuesday closes Tuesday from its midnight: only 22:00-24:00 = 2 h.
        ([dt.date(2024, 6, 4)], {}, 2 * H, False),
        # A holiday on Monday removes the interval that starts on it: 0 h.
        ([dt.date(2024, 6, 3)], {}, 0, False),
        # A special day on Tuesday replaces Tuesday's own intervals only: the tail stays, 8 h.
        ([], {dt.date(2024, 6, 4): []}, 8 * H, True),
        # Tuesday as special 10:00-11:00 BST: the Monday night 8 h plus 1 h.
        ([], {dt.date(2024, 6, 4): [("10:00", "11:00")]}, 9 * H, True),
    ],
)
def test_overnight_interval_belongs_to_the_day_it_starts(holidays, special, expected, open_tue_3am):
    hours = OpeningHours("Europe/London", NIGHTS, holidays=holidays, special=special)
    assert hours.elapsed(at(MON_TUE[0]), at(MON_TUE[1])) == expected
    assert hours.is_open(at("2024-06-04T02:00")) is open_tue_3am  # Tue 03:00 BST


@pytest.mark.parametrize(
    ("timezone", "holidays", "start", "end", "expected"),
    [
        # Fri 20:00 -> Sat 04:00 AEST (Fri 10:00Z -> Fri 18:00Z) = 8 h.
        ("Australia/Sydney", [], "2024-06-07T00:00", "2024-06-09T00:00", 8 * H),
        # Holiday Sat 2024-06-08 cuts at its midnight, Fri 14:00Z: 20:00-24:00 AEST = 4 h.
        ("Australia/Sydney", [dt.date(2024, 6, 8)], "2024-06-07T00:00", "2024-06-09T00:00", 4 * H),
        # Fri 20:00 -> Sat 04:00 IST (14:30Z -> 22:30Z); holiday Sat cuts at 18:30Z: 4 h.
        ("Asia/Kolkata", [dt.date(2024, 6, 8)], "2024-06-07T00:00", "2024-06-09T00:00", 4 * H),
        # Fri 20:00 -> Sat 04:00 EDT (Sat 00:00Z -> 08:00Z) = 8 h.
        ("America/New_York", [], "2024-06-07T12:00", "2024-06-09T12:00", 8 * H),
    ],
)
def test_holiday_cuts_the_tail_of_the_night_before(timezone, holidays, start, end, expected):
    hours = OpeningHours(timezone, {"fri": [("20:00", "04:00")]}, holidays=holidays)
    assert hours.elapsed(at(start), at(end)) == expected


def test_add_runs_through_the_night():
    hours = OpeningHours("Europe/London", NIGHTS)
    # Mon 23:00 BST + 5 h of business time: overnight to 04:00 BST Tuesday (03:00Z).
    assert hours.add(at("2024-06-03T22:00"), 5 * H) == at("2024-06-04T03:00")


# --- "24:00" ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "monday_midnight", "tuesday_midnight"),
    [
        ("Europe/London", "2024-06-02T23:00", "2024-06-03T23:00"),  # 00:00 BST
        ("America/New_York", "2024-06-03T04:00", "2024-06-04T04:00"),  # 00:00 EDT
        ("Australia/Sydney", "2024-06-02T14:00", "2024-06-03T14:00"),  # 00:00 AEST
        ("Asia/Kolkata", "2024-06-02T18:30", "2024-06-03T18:30"),  # 00:00 IST
    ],
)
def test_24_00_ends_the_day_at_midnight(timezone, monday_midnight, tuesday_midnight):
    hours = OpeningHours(timezone, {"mon": [("18:00", "24:00")]})
    tuesday = at(tuesday_midnight)
    assert hours.is_open(tuesday - np.timedelta64(1, "us"))  # Mon 23:59:59.999999
    assert not hours.is_open(tuesday)  # the end of "24:00" is exclusive
    # Monday 00:00 -> Tuesday 00:00: 18:00-24:00 = 6 h.
    assert hours.elapsed(at(monday_midnight), tuesday) == 6 * H


# --- clock changes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "weekly", "start", "end", "expected"),
    [
        # London falls back Sun 2024-10-27: 02:00 BST -> 01:00 GMT at 01:00Z.
        # 01:00-03:00 runs from the first 01:00 (BST, 00:00Z) to 03:00 GMT (03:00Z) = 3 h.
        (
            "Europe/London",
            {"sun": [("01:00", "03:00")]},
            "2024-10-26T12:00",
            "2024-10-27T12:00",
            3 * H,
        ),
        # London springs forward Sun 2024-03-31: 01:00 GMT -> 02:00 BST at 01:00Z.
        # 01:00 does not exist, so 01:00Z (02:00 BST) to 03:00 BST (02:00Z) = 1 h.
        (
            "Europe/London",
            {"sun": [("01:00", "03:00")]},
            "2024-03-30T12:00",
            "2024-03-31T12:00",
            1 * H,
        ),
        # New York falls back Sun 2024-11-03 at 06:00Z: 01:00 EDT (05:00Z) -> 03:00 EST (08:00Z).
        (
            "America/New_York",
            {"sun": [("01:00", "03:00")]},
            "2024-11-02T12:00",
            "2024-11-03T12:00",
            3 * H,
        ),
        # New York springs forward Sun 2024-03-10 at 07:00Z: 01:00 EST (06:00Z) -> 03:00 EDT
        # (07:00Z) = 1 h.
        (
            "America/New_York",
            {"sun": [("01:00", "03:00")]},
            "2024-03-09T12:00",
            "2024-03-10T12:00",
            1 * H,
        ),
        # Sydney falls back Sun 2024-04-07, 03:00 AEDT -> 02:00 AEST at 16:00Z on the 6th:
        # 02:00 AEDT (15:00Z) -> 04:00 AEST (18:00Z) = 3 h.
        (
            "Australia/Sydney",
            {"sun": [("02:00", "04:00")]},
            "2024-04-06T00:00",
            "2024-04-07T00:00",
            3 * H,
        ),
        # Sydney springs forward Sun 2024-10-06, 02:00 AEST -> 03:00 AEDT at 16:00Z on the 5th:
        # 02:00 does not exist, so 16:00Z -> 04:00 AEDT (17:00Z) = 1 h.
        (
            "Australia/Sydney",
            {"sun": [("02:00", "04:00")]},
            "2024-10-05T00:00",
            "2024-10-06T00:00",
            1 * H,
        ),
        # Kolkata keeps IST all year: the same night is 2 h.
        (
            "Asia/Kolkata",
            {"sun": [("01:00", "03:00")]},
            "2024-10-26T12:00",
            "2024-10-27T12:00",
            2 * H,
        ),
    ],
)
def test_business_time_on_clock_change_nights_is_real_elapsed_time(
    timezone, weekly, start, end, expected
):
    assert OpeningHours(timezone, weekly).elapsed(at(start), at(end)) == expected


@pytest.mark.parametrize(
    ("timezone", "weekly", "before", "opens", "closes"),
    [
        # London 01:30 on 2024-03-31 does not exist: opens 02:00 BST = 01:00Z; 04:00 BST = 03:00Z.
        (
            "Europe/London",
            {"sun": [("01:30", "04:00")]},
            "2024-03-31T00:00",
            "2024-03-31T01:00",
            "2024-03-31T03:00",
        ),
        # New York 02:30 on 2024-03-10 does not exist: opens 03:00 EDT = 07:00Z; 05:00 EDT = 09:00Z.
        (
            "America/New_York",
            {"sun": [("02:30", "05:00")]},
            "2024-03-10T05:00",
            "2024-03-10T07:00",
            "2024-03-10T09:00",
        ),
        # London 01:30 on 2024-10-27 happens twice: the first is 01:30 BST = 00:30Z;
        # 02:30 GMT = 02:30Z, so the interval holds 2 h.
        (
            "Europe/London",
            {"sun": [("01:30", "02:30")]},
            "2024-10-27T00:00",
            "2024-10-27T00:30",
            "2024-10-27T02:30",
        ),
        # Sydney 02:30 on 2024-04-07 happens twice: first 02:30 AEDT = 15:30Z on the 6th.
        (
            "Australia/Sydney",
            {"sun": [("02:30", "05:00")]},
            "2024-04-06T14:00",
            "2024-04-06T15:30",
            "2024-04-06T19:00",
        ),
    ],
)
def test_nonexistent_times_move_forward_and_repeated_times_take_the_first(
    timezone, weekly, before, opens, closes
):
    hours = OpeningHours(timezone, weekly)
    assert hours.next_open(at(before)) == at(opens)
    assert hours.is_open(at(opens)) and not hours.is_open(at(closes))
    expected = (at(closes) - at(opens)) / np.timedelta64(1, "s")
    assert hours.elapsed(at(before), at(closes)) == expected


def test_office_hours_follow_the_wall_clock_across_a_clock_change():
    hours = office("Europe/London")
    # Fri 2024-10-25 16:00 BST (15:00Z) -> Mon 2024-10-28 10:00 GMT (10:00Z): 1 h + 1 h.
    assert hours.elapsed(at("2024-10-25T15:00"), at("2024-10-28T10:00")) == 2 * H
    # After the change 09:00 is 09:00Z: 08:30Z is still closed (dbt_zendesk #25).
    assert not hours.is_open(at("2024-10-28T08:30"))
    assert hours.is_open(at("2024-10-28T09:00"))


# --- special days -----------------------------------------------------------------------

CHRISTMAS = {
    "holidays": [dt.date(2024, 12, 25), dt.date(2024, 12, 26)],
    "special": {dt.date(2024, 12, 24): [("09:00", "12:00")]},
}


def test_christmas_eve_opens_only_in_the_morning():
    hours = office("Europe/London", **CHRISTMAS)
    # Tue 2024-12-24 in GMT: 09:00-12:00 = 3 h instead of 8 h.
    assert hours.elapsed(at("2024-12-24T00:00"), at("2024-12-25T00:00")) == 3 * H
    assert not hours.is_open(at("2024-12-24T12:30"))
    # 11:00 + 2 h: 1 h on Christmas Eve, closed 25th and 26th, 1 h from Fri 27th 09:00.
    assert hours.add(at("2024-12-24T11:00"), 2 * H) == at("2024-12-27T10:00")


@pytest.mark.parametrize(
    ("timezone", "opens"),
    [
        ("Europe/London", "2024-12-24T09:00"),  # 09:00 GMT
        ("America/New_York", "2024-12-24T14:00"),  # 09:00 EST
        ("Australia/Sydney", "2024-12-23T22:00"),  # 09:00 AEDT, still the 23rd in UTC
        ("Asia/Kolkata", "2024-12-24T03:30"),  # 09:00 IST
    ],
)
def test_christmas_eve_is_its_local_morning_everywhere(timezone, opens):
    hours = office(timezone, **CHRISTMAS)
    # From Monday the 23rd's close everywhere (22:00Z, 17:00 EST) to the end of the 25th:
    # only Christmas Eve 09:00-12:00 local, 3 h.
    assert hours.elapsed(at("2024-12-23T22:00"), at("2024-12-25T23:59")) == 3 * H
    assert hours.next_open(at("2024-12-23T22:00")) == at(opens)


def test_special_day_opens_a_day_that_is_normally_closed():
    hours = office("Asia/Kolkata", special={dt.date(2024, 12, 21): [("10:00", "14:00")]})
    # Sat 2024-12-21 10:00-14:00 IST = 04:30Z-08:30Z.
    assert hours.elapsed(at("2024-12-21T00:00"), at("2024-12-22T00:00")) == 4 * H
    assert hours.next_open(at("2024-12-21T00:00")) == at("2024-12-21T04:30")


def test_special_day_wins_over_a_holiday_on_the_same_date():
    day = dt.date(2024, 12, 26)  # Thu; a holiday, but open 10:00-14:00 GMT this year
    hours = office("Europe/London", holidays=[day], special={day: [("10:00", "14:00")]})
    assert hours.elapsed(at("2024-12-26T00:00"), at("2024-12-27T00:00")) == 4 * H


# --- add --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "seconds", "due"),
    [
        # Mon 09:00 BST + 8 h exactly fills Monday: due Mon 17:00 BST, not Tue 09:00.
        ("2024-06-03T08:00", 8 * H, "2024-06-03T16:00"),
        # Fri 16:00 BST + 1 h: Fri 17:00 BST, not Mon 09:00.
        ("2024-06-07T15:00", H, "2024-06-07T16:00"),
        # Fri 16:00 BST + 1 h 1 s: 1 h on Friday, 1 s from Mon 09:00 BST.
        ("2024-06-07T15:00", H + 1, "2024-06-10T08:00:01"),
        # Saturday + 1 s: the clock starts Mon 09:00 BST.
        ("2024-06-08T12:00", 1, "2024-06-10T08:00:01"),
        # Saturday + 0 s: the earliest t >= start with no business time between is start.
        ("2024-06-08T12:00", 0, "2024-06-08T12:00"),
        # Mon 09:00 BST + 2 weeks of 40 h: lands on Fri 2024-06-14 17:00 BST.
        ("2024-06-03T08:00", 80 * H, "2024-06-14T16:00"),
    ],
)
def test_add_finds_the_earliest_due_time(start, seconds, due):
    assert office("Europe/London").add(at(start), seconds) == at(due)


def test_add_of_zero_seconds_is_the_start_even_among_other_durations():
    saturday_noon = at("2024-06-08T11:00")  # 12:00 BST, closed
    due = office("Europe/London").add(saturday_noon, np.array([0, 1]))
    # 0 s: the start itself; 1 s: Mon 09:00:01 BST.
    assert due.tolist() == [
        saturday_noon.astype(dt.datetime),
        at("2024-06-10T08:00:01").astype(dt.datetime),
    ]


def test_add_reaches_beyond_the_compiled_range():
    hours = office("UTC")
    start = at("2024-01-01T09:00")  # a Monday
    # 52 weeks of 40 h end on the Friday of week 52, 2024-12-27, at its close.
    assert hours.add(start, 52 * 40 * H) == at("2024-12-27T17:00")
    # 60 weeks end on Friday 2025-02-21 (week 60 starts 59 weeks after 2024-01-01).
    assert hours.add(start, 60 * 40 * H) == at("2025-02-21T17:00")


def test_queries_years_apart_are_both_answered():
    hours = office("UTC")
    assert hours.elapsed(at("2024-01-01T09:00"), at("2024-01-02T09:00")) == 8 * H
    # Mon 2031-01-06 09:00 -> Tue 09:00: 8 h, after the earlier query compiled 2024.
    assert hours.elapsed(at("2031-01-06T09:00"), at("2031-01-07T09:00")) == 8 * H


@pytest.mark.parametrize(
    "seconds",
    [H, 3600.0, np.int32(3600), np.timedelta64(1, "h"), dt.timedelta(hours=1)],
    ids=["int", "float", "numpy-int", "timedelta64", "timedelta"],
)
def test_add_accepts_seconds_in_every_form(seconds):
    # Mon 09:00 BST + 1 h = 10:00 BST.
    assert office("Europe/London").add(at("2024-06-03T08:00"), seconds) == at("2024-06-03T09:00")


@pytest.mark.parametrize("seconds", [-1, -0.5, np.array([60, -60]), np.timedelta64(-1, "s")])
def test_negative_seconds_are_refused(seconds):
    with pytest.raises(UsageError, match="must not be negative"):
        office("Europe/London").add(at("2024-06-03T08:00"), seconds)


def test_a_due_time_past_the_tz_database_is_a_calendar_error():
    # 3,200 business hours (80 weeks of 40 h) from 9999-06-01 end in the year 10001.
    with pytest.raises(CalendarError, match="calendar 'office': the answer falls after 9999-12-26"):
        office("UTC").add(at("9999-06-01T08:00"), 400 * 8 * H)


def test_seconds_beyond_any_calendar_are_refused():
    with pytest.raises(UsageError, match="seconds must be at most 1e\\+12"):
        office("UTC").add(at("2024-06-03T08:00"), 1e13)


# --- calendars that never open ----------------------------------------------------------


def test_calendar_that_never_opens_names_itself_when_no_due_time_exists():
    hours = OpeningHours("Europe/London", {"mon": []}, name="support")
    assert hours.never_opens()
    message = "calendar 'support' never opens: add opening hours to weekly or special days"
    with pytest.raises(CalendarError, match=message):
        hours.add(at("2024-06-03T08:00"), 60)
    with pytest.raises(CalendarError, match="calendar 'support' never opens"):
        hours.next_open(at("2024-06-03T08:00"))


def test_calendar_that_never_opens_still_answers_what_it_can():
    hours = OpeningHours("Europe/London", {}, name="support")
    start = at("2024-06-03T08:00")
    assert hours.elapsed(start, at("2024-06-10T08:00")) == 0
    assert not hours.is_open(start)
    assert hours.add(start, 0) == start


def test_calendar_open_only_on_special_days_runs_out_after_the_last():
    hours = OpeningHours(
        "UTC", {}, special={dt.date(2024, 12, 24): [("09:00", "12:00")]}, name="eve"
    )
    assert not hours.never_opens()
    assert hours.weekly_seconds() == 0
    assert hours.add(at("2024-12-01T00:00"), 3 * H) == at("2024-12-24T12:00")
    with pytest.raises(CalendarError, match="calendar 'eve' has no opening hours after 2024-12-24"):
        hours.add(at("2024-12-01T00:00"), 3 * H + 1)


# --- 24x7 -------------------------------------------------------------------------------


def test_24x7_has_no_gap_at_midnight():
    clock = OpeningHours.always()
    assert clock.is_24x7 and clock.name == "24x7"
    assert clock.is_open(at("2024-06-04T00:00"))
    # 23:59 -> 00:01 is two minutes, not one (zammad #3180).
    assert clock.elapsed(at("2024-06-03T23:59"), at("2024-06-04T00:01")) == 120
    assert clock.add(at("2024-06-03T23:59:30"), 60) == at("2024-06-04T00:00:30")
    assert clock.next_open(at("2024-06-04T00:00")) == at("2024-06-04T00:00")


def test_every_day_midnight_to_midnight_is_24x7_and_counts_the_long_night():
    hours = OpeningHours("Europe/London", dict.fromkeys(ALL_DAYS, [("00:00", "24:00")]))
    assert hours.is_24x7
    # Sun 2024-10-27 00:00 BST (26th 23:00Z) -> Mon 00:00 GMT (28th 00:00Z): a 25 h day.
    assert hours.elapsed(at("2024-10-26T23:00"), at("2024-10-28T00:00")) == 25 * H


def test_full_days_with_a_holiday_are_open_at_every_midnight_but_the_holiday():
    every_day = dict.fromkeys(ALL_DAYS, [("00:00", "24:00")])
    hours = OpeningHours("Europe/London", every_day, holidays=[dt.date(2024, 6, 5)])
    assert not hours.is_24x7
    # Tue 00:00 BST open; the holiday Wed 00:00 BST closed; Thu 00:00 BST open again.
    opens = hours.is_open(
        np.array(
            ["2024-06-03T23:00", "2024-06-04T23:00", "2024-06-05T23:00"], dtype="datetime64[us]"
        )
    )
    assert opens.tolist() == [True, False, True]


# --- open or closed at the boundaries ---------------------------------------------------


@pytest.mark.parametrize(
    ("t", "is_open", "next_open"),
    [
        ("2024-06-03T07:59:59.999999", False, "2024-06-03T08:00"),  # just before Mon 09:00 BST
        ("2024-06-03T08:00", True, "2024-06-03T08:00"),  # the start is open
        ("2024-06-03T15:59:59.999999", True, "2024-06-03T15:59:59.999999"),
        ("2024-06-03T16:00", False, "2024-06-04T08:00"),  # the end is closed: next is Tue 09:00
        ("2024-06-08T12:00", False, "2024-06-10T08:00"),  # Saturday: next is Mon 09:00 BST
    ],
)
def test_start_is_open_and_end_is_closed(t, is_open, next_open):
    hours = office("Europe/London")
    assert hours.is_open(at(t)) is is_open
    assert hours.next_open(at(t)) == at(next_open)


# --- what may be passed in and what comes back ------------------------------------------


def test_naive_datetime_is_refused_as_ambiguous():
    hours = office("Europe/London")
    naive = dt.datetime(2024, 6, 3, 9, 0)
    for call in (
        lambda: hours.is_open(naive),
        lambda: hours.add(naive, 60),
        lambda: hours.next_open(naive),
    ):
        with pytest.raises(UsageError, match="naive datetime"):
            call()
    with pytest.raises(UsageError, match="end 2024-06-03T09:00:00 is a naive datetime"):
        hours.elapsed(dt.datetime(2024, 6, 3, 9, tzinfo=dt.UTC), naive)


@pytest.mark.parametrize(
    "value",
    ["2024-06-03T08:00", dt.date(2024, 6, 3), 1717401600, [dt.datetime(2024, 6, 3, tzinfo=dt.UTC)]],
)
def test_values_that_are_not_instants_are_refused(value):
    with pytest.raises(UsageError, match="instant|Python objects"):
        office("Europe/London").is_open(value)


def test_instants_beyond_what_the_tz_database_covers_are_refused():
    with pytest.raises(UsageError, match="must lie between 0001-01-05 and 9999-12-26"):
        office("UTC").elapsed(at("0001-01-01T00:00"), at("2024-01-01T00:00"))


def test_scalars_arrays_and_aware_datetimes_give_the_same_answers():
    hours = office("Europe/London")
    start_64, end_64 = at("2024-06-07T14:00"), at("2024-06-10T10:00")  # Fri 15:00, Mon 11:00 BST
    # The same instants as aware datetimes in two other zones.
    start_dt = dt.datetime(2024, 6, 7, 19, 30, tzinfo=ZoneInfo("Asia/Kolkata"))
    end_dt = dt.datetime(2024, 6, 10, 6, 0, tzinfo=ZoneInfo("America/New_York"))
    arrays = np.array([start_64]), np.array([end_64])

    assert hours.elapsed(start_64, end_64) == hours.elapsed(start_dt, end_dt) == 4 * H
    assert hours.elapsed(*arrays).tolist() == [4 * H]
    assert isinstance(hours.elapsed(start_dt, end_dt), float)

    due = hours.add(start_dt, 3 * H)  # 2 h on Friday, 1 h to Mon 10:00 BST
    assert due == dt.datetime(2024, 6, 10, 9, 0, tzinfo=dt.UTC) and due.tzinfo is dt.UTC
    assert hours.add(start_64, 3 * H) == at("2024-06-10T09:00")
    assert hours.add(arrays[0], 3 * H).tolist() == [at("2024-06-10T09:00").astype(dt.datetime)]
    assert hours.next_open(start_dt) == start_dt
    assert hours.is_open(end_dt) is True


def test_arrays_of_any_unit_come_back_as_microseconds():
    hours = office("Europe/London")
    starts = np.array(["2024-06-03T08:00", "2024-06-08T12:00"], dtype="datetime64[ns]")
    assert hours.add(starts, 60).dtype == np.dtype("datetime64[us]")
    assert hours.elapsed(starts.astype("datetime64[s]"), starts).dtype == np.float64
    assert hours.is_open(starts).tolist() == [True, False]


def test_seconds_broadcast_against_starts_like_numpy():
    hours = office("Europe/London")
    # Mon 09:00 BST + 1 h, + 8 h (close), + 9 h (Tue 10:00 BST).
    due = hours.add(at("2024-06-03T08:00"), np.array([H, 8 * H, 9 * H]))
    expected = np.array(
        ["2024-06-03T09:00", "2024-06-03T16:00", "2024-06-04T09:00"], dtype="datetime64[us]"
    )
    assert (due == expected).all()
    with pytest.raises(UsageError, match="do not broadcast"):
        hours.elapsed(
            np.array([at("2024-06-03T08:00")] * 2), np.array([at("2024-06-03T08:00")] * 3)
        )


def test_missing_timestamps_give_nan_and_nat_without_error():
    hours = office("Europe/London")
    nat = np.datetime64("NaT", "us")
    starts = np.array([at("2024-06-03T08:00"), nat])
    assert np.isnan(hours.elapsed(nat, at("2024-06-03T08:00")))
    elapsed = hours.elapsed(starts, at("2024-06-03T09:00"))
    assert elapsed[0] == H and np.isnan(elapsed[1])
    assert np.isnat(hours.add(starts, H)).tolist() == [False, True]
    assert np.isnat(hours.add(starts[0], np.array([np.nan, 60.0]))).tolist() == [True, False]
    assert np.isnat(hours.next_open(np.array([nat, nat]))).all()
    assert hours.is_open(starts).tolist() == [True, False]
    assert hours.is_open(nat) is False


# --- reading a calendar -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        (
            {"mon": [("09:00", "25:00")]},
            "calendar 'support', mon: '25:00' is not a time; write 24-hour 'HH:MM'",
        ),
        ({"tue": [("9am", "17:00")]}, "calendar 'support', tue: '9am' is not a time"),
        ({"wed": [("09:60", "17:00")]}, "calendar 'support', wed: '09:60' is not a time"),
        (
            {"thu": [("09:00", "09:00")]},
            r"thu: interval \('09:00', '09:00'\) starts and ends at the same time",
        ),
        (
            {"fri": [("24:00", "06:00")]},
            "fri: '24:00' can only end an interval; start the interval at '00:00'",
        ),
        ({"sat": [("09:00",)]}, r"sat: interval \('09:00',\) is not a \(start, end\) pair"),
        ({"sun": "09:00-17:00"}, "sun: expected a list of"),
        ({"monday": [("09:00", "17:00")]}, "unknown day 'monday' in weekly; did you mean 'mon'"),
        ({"mon": [(540, "17:00")]}, r"mon: 540 is not a time"),
    ],
)
def test_malformed_intervals_name_the_calendar_day_and_value(weekly, message):
    with pytest.raises(CalendarError, match=message):
        OpeningHours("Europe/London", weekly, name="support")


def test_malformed_special_day_names_its_date():
    with pytest.raises(CalendarError, match="calendar 'support', special day 2024-12-24: '12'"):
        OpeningHours("UTC", {}, special={dt.date(2024, 12, 24): [("09:00", "12")]}, name="support")


def test_holidays_must_be_dates():
    with pytest.raises(CalendarError, match="holidays must hold dates"):
        OpeningHours("UTC", OFFICE, holidays=[dt.datetime(2024, 12, 25, tzinfo=dt.UTC)])


@pytest.mark.parametrize(
    ("timezone", "suggestion"),
    [
        ("Europe/Lodnon", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("Asia/Calcuta", "Asia/Calcutta"),
    ],
)
def test_unknown_timezone_suggests_the_nearest_name(timezone, suggestion):
    with pytest.raises(
        CalendarError, match=f"unknown timezone '{timezone}'; did you mean '{suggestion}'"
    ):
        OpeningHours(timezone, OFFICE, name="support")


@pytest.mark.parametrize(
    ("weekly", "expected"),
    [
        (OFFICE, 40 * H),
        ({"mon": [("09:00", "12:00"), ("11:00", "13:00")]}, 4 * H),  # overlap counted once
        (
            {"sun": [("22:00", "06:00")], "mon": [("00:00", "02:00")]},
            8 * H,
        ),  # tail wraps into Monday
        ({}, 0),
    ],
)
def test_weekly_seconds_counts_a_normal_week(weekly, expected):
    assert OpeningHours("Europe/London", weekly).weekly_seconds() == expected


def test_calendar_knows_its_name_and_timezone():
    hours = OpeningHours("Australia/Sydney", OFFICE, name="support")
    assert (hours.name, hours.timezone, hours.is_24x7) == ("support", "Australia/Sydney", False)
    assert repr(hours) == "OpeningHours(name='support', timezone='Australia/Sydney')"
