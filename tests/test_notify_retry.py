"""The retry schedule: exponential back-off with a cap, a last try, then the dead-letter
list; every figure below is worked out by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from charter.errors import UsageError
from charter.figures import duration
from charter.notify import RetryPolicy, next_try, wait_after, waits

FAILED_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MINUTE, HOUR = 60, 3600


def test_default_schedule_doubles_from_one_minute_up_to_six_hours_over_twelve_tries() -> None:
    # 1, 2, 4, ... 256 minutes; the next doubling (512 min = 8 h 32 min) is capped at 6 h
    expected = [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]
    assert waits(RetryPolicy()) == [m * MINUTE for m in expected]
    # 1 + 2 + ... + 256 = 511 min, plus 2 × 360 min = 1,231 min = 20 h 31 min in all
    assert sum(waits(RetryPolicy())) == 1231 * MINUTE


@pytest.mark.parametrize(
    ("tries_made", "next_at"),
    [
        (1, dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC)),  # + 1 min
        (3, dt.datetime(2026, 3, 2, 9, 4, tzinfo=dt.UTC)),  # + 4 min
        (8, dt.datetime(2026, 3, 2, 11, 8, tzinfo=dt.UTC)),  # + 128 min = 2 h 8 min
        (11, dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)),  # + 6 h, the cap
        (12, None),  # the twelfth try was the last: dead-letter
        (13, None),
    ],
)
def test_a_failed_escalation_mail_is_tried_again_after_its_wait(
    tries_made: int, next_at: dt.datetime | None
) -> None:
    assert next_try(RetryPolicy(), tries_made, FAILED_AT) == next_at


def test_a_failure_no_retry_gets_past_goes_to_the_dead_letter_list_at_once() -> None:
    assert next_try(RetryPolicy(), 1, FAILED_AT, retry=False) is None


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        (600, 10 * MINUTE),  # the receiver asks for 10 min: longer than 1 min, so 10 min
        (5, 1 * MINUTE),  # a shorter ask never shortens the back-off
        (86_400, 6 * HOUR),  # a day is more than the cap: 6 h
    ],
)
def test_a_receivers_retry_after_lengthens_the_first_wait_up_to_the_cap(
    retry_after: float, wait: float
) -> None:
    assert wait_after(RetryPolicy(), 1, retry_after) == wait
    expected = FAILED_AT + dt.timedelta(seconds=wait)
    assert next_try(RetryPolicy(), 1, FAILED_AT, retry_after=retry_after) == expected


def test_a_tripling_schedule_from_30_seconds_capped_at_10_minutes() -> None:
    policy = RetryPolicy(first=30, factor=3, cap=600, tries=5)
    # 30, 90, 270, then 810 s capped at 600 s: four waits between five tries
    assert waits(policy) == [30, 90, 270, 600]


def test_a_factor_of_one_waits_the_same_each_time() -> None:
    assert waits(RetryPolicy(first=300, factor=1, tries=4)) == [300, 300, 300]


def test_a_steep_schedule_reaches_its_cap_without_overflowing() -> None:
    policy = RetryPolicy(first=1, factor=1e6, cap=HOUR, tries=100)
    # 1 s, then 10^6 s (past the cap): every wait from the second on is the cap
    assert wait_after(policy, 99) == HOUR
    assert waits(policy)[:3] == [1, HOUR, HOUR]


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"first": 600, "cap": 60}, "retry cap 60 s is shorter than the first wait 600 s"),
        ({"tries": 0}, "greater than or equal to 1"),
        ({"factor": 0.5}, "greater than or equal to 1"),
    ],
)
def test_a_schedule_that_cannot_work_is_refused_saying_why(
    values: dict[str, float], says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        RetryPolicy.model_validate(values)


def test_asking_for_the_wait_before_any_try_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="tries_made is 0; the first try is 1"):
        wait_after(RetryPolicy(), 0)


def test_the_schedule_in_the_notifications_doc_is_the_default_one() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "notifications.md").read_text("utf-8")
    [row] = [line for line in doc.splitlines() if line.startswith("| wait |")]
    shown = [cell.strip() for cell in row.strip("|").split("|")][1:]
    assert shown == [*(duration(w) for w in waits(RetryPolicy())), "dead-letter"]
    assert f"given up on {duration(sum(waits(RetryPolicy())))} after" in doc


@given(
    first=st.floats(1, 3600),
    factor=st.floats(1, 10),
    cap_over_first=st.floats(1, 1000),
    tries=st.integers(1, 60),
)
def test_every_schedule_waits_longer_or_the_same_each_time_never_past_its_cap(
    first: float, factor: float, cap_over_first: float, tries: int
) -> None:
    policy = RetryPolicy(first=first, factor=factor, cap=first * cap_over_first, tries=tries)
    schedule = waits(policy)
    assert len(schedule) == tries - 1
    assert all(a <= b for a, b in itertools.pairwise(schedule))
    assert all(first <= wait <= policy.cap for wait in schedule)
    assert next_try(policy, tries, FAILED_AT) is None
