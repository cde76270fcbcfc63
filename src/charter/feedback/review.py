"""When the policy is reviewed: the scheduled date, the warning period before it, and
where the next review falls once one is approved.

The policy's ``review`` section gives the cadence (3, 6 or 12 months), the next review
date, the owner's role and how many days before it the warnings start. A review
approved inside the warning period (or on its date) moves the next review a full
interval on from the date it was scheduled for, so reviewing a little early does not
pull every later review forward; approved earlier than the warning period, or late,
the interval runs from the approval (PolicyTech counts the same way). Months are
calendar months; a date past the end of a shorter month is its last day (31 August
plus 6 months is 28 February, or 29 in a leap year).

>>> import datetime as dt
>>> from charter.policy.people import Review
>>> review = Review(cadence_months=6, next_review=dt.date(2027, 4, 1), owner="service-manager")
>>> due = review_due(review, dt.date(2027, 3, 10))
>>> due.state, due.warn_from.isoformat(), due.days_left
('warning', '2027-03-02', 22)
>>> next_after_approval(review, dt.date(2027, 3, 20)).isoformat()
'2027-10-01'
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from charter.policy.people import Review

__all__ = ["ReviewDue", "add_months", "next_after_approval", "review_due", "reminder_dates"]

ReviewState = Literal["upcoming", "warning", "overdue"]
REMIND_EVERY = 7  # days between the owner's reminders inside the warning period


@dataclass(frozen=True)
class ReviewDue:
    """Where the next review stands on a day."""

    next_review: dt.date
    warn_from: dt.date  # the first day of the warning period
    state: ReviewState  # upcoming: before warn_from; warning: up to the date; overdue: after
    days_left: int  # to the review date; negative once overdue


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar ``months``; a day past the month's end is its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def review_due(review: Review, today: dt.date) -> ReviewDue:
    """The next review's standing on ``today``."""
    warn_from = review.next_review - dt.timedelta(days=review.warn_days)
    left = (review.next_review - today).days
    state: ReviewState = "overdue" if left < 0 else "warning" if today >= warn_from else "upcoming"
    return ReviewDue(review.next_review, warn_from, state, left)


def next_after_approval(review: Review, approved_on: dt.date) -> dt.date:
    """The next review date after a review approved on ``approved_on``: a full interval
    from the scheduled date when approved inside the warning period (or on the date),
    else a full interval from the approval."""
    due = review_due(review, approved_on)
    if due.state == "warning":
        return add_months(review.next_review, review.cadence_months)
    return add_months(approved_on, review.cadence_months)


def reminder_dates(review: Review, until: dt.date) -> list[dt.date]:
    """The days the owner is reminded, up to ``until``: the first day of the warning
    period, every ``REMIND_EVERY`` days after it, the review date itself, and, once
    overdue, every ``REMIND_EVERY`` days after the date."""
    due = review_due(review, review.next_review)
    found: list[dt.date] = []
    day = due.warn_from
    while day < review.next_review and day <= until:  # the warning period
        found.append(day)
        day += dt.timedelta(days=REMIND_EVERY)
    day = review.next_review
    while day <= until:  # the date, then while it is overdue
        found.append(day)
        day += dt.timedelta(days=REMIND_EVERY)
    return found
