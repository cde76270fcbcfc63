"""Build the business-time clock a policy names: a calendar, or ``24x7``.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... calendars: [{id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}]
... ''').policy
>>> opening_hours(policy, "desk").timezone
'Europe/London'
"""

from __future__ import annotations

import datetime as dt

from charter.errors import UsageError
from charter.hours import OpeningHours
from charter.policy.calendar import ALWAYS, Calendar, suggest
from charter.policy.schema import Policy

YEARS_AROUND = 10


def opening_hours(policy: Policy, clock: str, *, years: range | None = None) -> OpeningHours:
    """The ``OpeningHours`` of ``clock``: a calendar id of the policy, or ``24x7``.

    Country holidays are expanded for ``years`` (default: ten years either side
    of today). A special day that falls on a holiday keeps its special hours:
    writing hours for a date is the more specific statement.
    """
    if clock == ALWAYS:
        return OpeningHours.always()
    calendar = policy.calendar(clock)
    if calendar is None:
        known = [c.id for c in policy.calendars]
        raise UsageError(
            f"the policy has no calendar {clock!r}{suggest(clock, known)}; "
            f"choose one of: {', '.join([*known, ALWAYS])}"
        )
    return calendar_hours(calendar, years=years)


def calendar_hours(calendar: Calendar, *, years: range | None = None) -> OpeningHours:
    """The ``OpeningHours`` of one policy calendar."""
    if years is None:
        this_year = dt.date.today().year
        years = range(this_year - YEARS_AROUND, this_year + YEARS_AROUND + 1)
    closed = calendar.holidays.closed_dates(years.start, years.stop - 1)
    return OpeningHours(
        calendar.timezone,
        calendar.weekly,
        holidays=[day for day in closed if day not in calendar.special],
        special=calendar.special,
        name=calendar.id,
    )
