"""Figures read the same everywhere: one formatter for durations, shares, counts and
instants (``charter.figures``), used by the pages, the reports and the command line.

Each expected string is worked out by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import pytest

from charter import figures

H = 3600


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (59.5, "1 min"),  # half a second rounds up to a whole minute
        (90, "2 min"),  # 1.5 minutes: halves round up
        (870, "15 min"),  # 14.5 minutes: halves round up, not to the even neighbour
        (2700, "45 min"),
        (3599, "1 h"),  # 59.98 minutes rounds to 60, which reads as an hour
        (5400, "1 h 30 min"),
        (7800, "2 h 10 min"),
        (12600, "3 h 30 min"),
        (36 * H, "36 h"),  # below two days real time stays in hours
        (47 * H + 59 * 60, "47 h 59 min"),
        (48 * H, "2 d"),  # from two days on, days and hours
        (273_600, "3 d 4 h"),  # 76 h = 3 × 24 + 4
        (14 * 86400, "14 d"),
        (-5400, "-1 h 30 min"),
        (math.nan, "—"),
        (None, "—"),
    ],
)
def test_a_duration_reads_in_minutes_hours_then_days(seconds: float | None, shown: str) -> None:
    assert figures.duration(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (273_600, "76 h"),  # 3 d 4 h of business time is 76 business hours, not days
        (109 * H + 30 * 60, "109 h 30 min"),
        (20, "20 s"),
    ],
)
def test_business_time_never_reads_in_days(seconds: float, shown: str) -> None:
    assert figures.duration(seconds, business=True) == shown


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (0.925, "92.5 %"),
        (1.0, "100 %"),
        (0.0, "0 %"),
        (0.12345, "12.3 %"),
        (0.8, "80 %"),
        (None, "—"),
        (math.nan, "—"),
    ],  # fmt: skip
)
def test_a_share_reads_in_per_cent_with_one_decimal_at_most(
    fraction: float | None, shown: str
) -> None:
    assert figures.share(fraction) == shown


def test_counts_have_thousands_separated() -> None:
    assert [figures.count(n) for n in (0, 97, 55_806, 1_234_567)] == [
        "0", "97", "55,806", "1,234,567"
    ]  # fmt: skip


def test_an_instant_reads_with_weekday_and_zone_in_the_zone_asked() -> None:
    at = dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC)  # one minute before BST begins
    london = ZoneInfo("Europe/London")
    assert figures.instant(at, london) == "Sun 29 Mar 2026 00:59 GMT"
    assert figures.instant(at + dt.timedelta(minutes=1), london) == "Sun 29 Mar 2026 02:00 BST"
    assert figures.instant(at, seconds=True) == "Sun 29 Mar 2026 00:59:00 UTC"
    assert figures.instant(None) == "—"


@pytest.mark.parametrize(
    ("figure", "unit", "business", "shown"),
    [
        (12600, "duration", False, "3 h 30 min"),
        (190_380, "seconds", False, "2 d 5 h"),  # 52.88 h rounds to 53 h = 2 d 5 h
        (190_380, "seconds", True, "52 h 53 min"),  # 3,173 minutes = 52 h 53 min
        (0.551, "share", False, "55.1 %"),
        (4.26, "points", False, "4.3"),
        (55806, "tickets", False, "55,806"),
        (None, "tickets", False, "—"),
    ],
)
def test_a_figure_reads_in_its_unit(
    figure: float | None, unit: str, business: bool, shown: str
) -> None:
    assert figures.value(figure, unit, business=business) == shown


@pytest.mark.parametrize(
    ("seconds", "working", "said"),
    [
        (300, False, "5 minutes"),
        (60, False, "1 minute"),  # one: singular
        (3600, True, "1 working hour"),
        (2 * H, True, "2 working hours"),
        (2 * H, False, "2 hours"),
        (5400, False, "1 hour 30 minutes"),
        (5400, True, "1 hour 30 minutes of working time"),
        (86400, False, "1 day"),
        (86400, True, "24 working hours"),  # a working day is not 24 hours: stays in hours
        (27 * H, False, "27 hours"),  # not whole days
        (3 * 86400, False, "3 days"),
        (90, False, "2 min"),  # odd seconds: as a measured duration reads
    ],
)
def test_a_promised_time_reads_as_people_say_it(seconds: int, working: bool, said: str) -> None:
    assert figures.spoken(seconds, working=working) == said


def test_a_count_takes_its_noun_in_the_singular_only_for_one() -> None:
    assert [figures.plural(n, "working day") for n in (0, 1, 2, 1000)] == [
        "0 working days", "1 working day", "2 working days", "1,000 working days",
    ]  # fmt: skip
