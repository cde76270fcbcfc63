"""Durations, shares, intervals and thresholds as people write them."""

from __future__ import annotations

import pytest

from charter.policy.service_level import _threshold_before
from charter.policy.units import Duration, parse_interval, parse_share


@pytest.mark.parametrize(
    ("text", "seconds", "working_days"),
    [
        ("4h", 4 * 3600, 0),
        ("90m", 90 * 60, 0),
        ("1h30m", 90 * 60, 0),
        ("1.5h", 90 * 60, 0),
        ("90 minutes", 90 * 60, 0),
        ("4 hours", 4 * 3600, 0),
        ("2d", 2 * 86400, 0),
        ("1d 2h", 26 * 3600, 0),
        ("10wd", 0, 10),
        ("10 working days", 0, 10),
        ("3 business days", 0, 3),
    ],
)
def test_durations_parse_the_forms_people_write(text: str, seconds: int, working_days: int) -> None:
    assert Duration.parse(text) == Duration(seconds, working_days)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("4", "not a duration"),
        ("", "empty"),
        ("0h", "zero"),
        ("4 fortnights", "not a duration"),
        ("1wd 2h", "mixes working days"),
        ("1.5wd", "whole"),
        ("0.001m", "whole number of seconds"),
    ],
)
def test_bad_durations_say_how_to_write_one(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Duration.parse(text)


@pytest.mark.parametrize("text", ["4h", "90m", "1h30m", "2d", "1d2h", "10wd", "45m"])
def test_a_duration_prints_back_to_what_parses_to_it(text: str) -> None:
    duration = Duration.parse(text)
    assert Duration.parse(str(duration)) == duration


@pytest.mark.parametrize(
    ("text", "business", "words"),
    [
        ("4h", True, "4 business hours"),
        ("1h", True, "1 business hour"),
        ("30m", False, "30 minutes"),
        ("2d", False, "2 days"),
        ("10wd", True, "10 working days"),
        ("1h30m", True, "1.5 business hours"),
    ],
)
def test_durations_read_as_plain_words(text: str, business: bool, words: str) -> None:
    assert Duration.parse(text).words(business=business) == words


@pytest.mark.parametrize(
    ("value", "share"), [("85%", 0.85), ("85 %", 0.85), (0.85, 0.85), (1, 1.0), ("100%", 1.0)]
)
def test_shares_accept_percentages_and_fractions(value: object, share: float) -> None:
    assert parse_share(value) == pytest.approx(share)


@pytest.mark.parametrize(
    ("value", "words"),
    [(85, "did you mean 85%"), ("0%", "outside"), ("150%", "outside"), ("most", "not a share"),
     (True, "expected a share"), ("eighty%", "not a percentage")],
)  # fmt: skip
def test_bad_shares_are_refused_with_a_hint(value: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_share(value)


@pytest.mark.parametrize(
    ("value", "interval"),
    [
        ("09:00-17:30", ("09:00", "17:30")),
        (" 09:00 - 17:30 ", ("09:00", "17:30")),
        (["22:00", "06:00"], ("22:00", "06:00")),
        ("00:00-24:00", ("00:00", "24:00")),
    ],
)
def test_intervals_accept_a_string_or_a_pair(value: object, interval: tuple[str, str]) -> None:
    assert parse_interval(value) == interval


@pytest.mark.parametrize("value", ["9-5", "09:00", "24:00-02:00", "09:60-10:00", "10:00-10:00", 9])
def test_bad_intervals_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        parse_interval(value)


@pytest.mark.parametrize(
    ("text", "fraction", "offset"),
    [("75%", 0.75, Duration()), ("breach", 1.0, Duration()), ("breach + 2h", 1.0, Duration(7200)),
     ("breach+30m", 1.0, Duration(1800)), ("150%", 1.5, Duration())],
)  # fmt: skip
def test_escalation_thresholds_parse(text: str, fraction: float, offset: Duration) -> None:
    threshold = _threshold_before(text)
    assert (threshold.fraction, threshold.offset) == (fraction, offset)
    assert _threshold_before(str(threshold)) == threshold
