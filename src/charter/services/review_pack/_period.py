"""The period a review pack covers, and the months its month-by-month tables show.

The period runs from the last recorded review (its day, 00:00 UTC) to now; before the
first review it runs one cadence interval back (6 months when the policy sets no
review). The month-by-month tables show every calendar month the period touches, and
at least the 12 months up to now's, so a short period still shows a year of
seasons. The KPIs' "before" is the window of as many whole UTC days ending the day
before the period starts: what the last review read.
"""

from __future__ import annotations

import datetime as dt

from charter.feedback.review import add_months
from charter.services.review_pack._values import Span, month_label

DEFAULT_MONTHS = 6  # the interval back when the policy sets no review cadence
AT_LEAST_MONTHS = 12


def _first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    found = []
    month = _first_of(first)
    while month <= last:
        found.append(month)
        month = add_months(month, 1)
    return tuple(found)


def span_of(now: dt.datetime, last_reviewed: dt.date | None, cadence_months: int | None) -> Span:
    """The pack's period at ``now``: from ``last_reviewed`` (a day, UTC), else a cadence
    interval back.

    >>> now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    >>> span = span_of(now, dt.date(2026, 10, 15), 6)
    >>> span.words, len(span.months), span.months[0].isoformat()
    ('from 15 October 2026 to 7 December 2026', 12, '2026-01-01')
    >>> span_of(now, None, 6).start.date().isoformat()
    '2026-06-07'
    """
    if last_reviewed is not None and last_reviewed <= now.date():
        start_day, since_review = last_reviewed, True
    else:
        start_day = add_months(now.date(), -(cadence_months or DEFAULT_MONTHS))
        since_review = False
    start = dt.datetime.combine(start_day, dt.time(), dt.UTC)
    earliest = add_months(_first_of(now.date()), -(AT_LEAST_MONTHS - 1))
    first = min(_first_of(start_day), earliest)
    months = _months(first, now.date())
    note = ""
    if first < _first_of(start_day):
        note = (f"The period starts in {month_label(_first_of(start_day))}; the tables show the "
                f"{AT_LEAST_MONTHS} months from {month_label(first)} so that a year of seasons "
                "is in view.")  # fmt: skip
    days = (now.date() - start_day).days + 1  # whole UTC days, as the KPIs count them
    return Span(start, now, since_review, months, note, start - dt.timedelta(days=days))
