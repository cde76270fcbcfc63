"""The review cadence: the warning period, overdue, the next date after an approval,
and the owner's reminders (charter.feedback.review). The example policy reviews every
6 months, next on Thursday 1 April 2027, warning 30 days before: from 2 March."""

from __future__ import annotations

import datetime as dt

import pytest

from charter.feedback.review import add_months, next_after_approval, reminder_dates, review_due
from charter.policy.people import Review

EXAMPLE = Review(cadence_months=6, next_review=dt.date(2027, 4, 1), owner="service-manager",
                 warn_days=30)  # fmt: skip


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        ("2027-03-01", "upcoming", 31),  # the day before the warning period
        ("2027-03-02", "warning", 30),  # 1 April less 30 days
        ("2027-04-01", "warning", 0),  # the review date itself
        ("2027-04-02", "overdue", -1),
    ],
)
def test_the_warning_period_starts_30_days_before_1_april(
    today: str, state: str, left: int
) -> None:
    due = review_due(EXAMPLE, day(today))
    assert (due.state, due.days_left, due.warn_from) == (state, left, day("2027-03-02"))


@pytest.mark.parametrize(
    ("approved", "next_review"),
    [
        ("2027-03-20", "2027-10-01"),  # inside the warning period: from 1 April
        ("2027-04-01", "2027-10-01"),  # on the date: the same
        ("2027-01-15", "2027-07-15"),  # before the warning period: from the approval
        ("2027-04-10", "2027-10-10"),  # late: from the approval
    ],
)
def test_an_approved_review_moves_the_next_a_full_six_months(
    approved: str, next_review: str
) -> None:
    assert next_after_approval(EXAMPLE, day(approved)) == day(next_review)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2026-08-31", 6, "2027-02-28"),  # February is short
        ("2027-08-31", 6, "2028-02-29"),  # 2028 is a leap year
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-12-15", 12, "2027-12-15"),
    ],
)
def test_months_are_calendar_months_ending_at_the_shorter_months_end(
    start: str, months: int, end: str
) -> None:
    assert add_months(day(start), months) == day(end)


def test_the_owner_is_reminded_weekly_in_the_warning_period_on_the_date_and_after() -> None:
    # From 2 March every 7 days while before 1 April (2, 9, 16, 23, 30 March), then the
    # date and weekly while overdue (1, 8, 15 April).
    assert reminder_dates(EXAMPLE, day("2027-04-15")) == [
        day(d) for d in ("2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23",
                         "2027-03-30", "2027-04-01", "2027-04-08", "2027-04-15")
    ]  # fmt: skip
    assert reminder_dates(EXAMPLE, day("2027-03-01")) == []
