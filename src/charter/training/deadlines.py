"""When staff must have acknowledged a version, and when they are reminded.

Deadlines count working days on the training calendar (``training.calendar``): existing
staff from the version's effective instant, a new joiner from their start date. A
working day is an opening day of the calendar, as ``OpeningHours.add_working_days``
counts it: a local date on which at least one interval starts, after holidays and
special days. A calendar that opens on Saturdays (``uk-support``) counts them; one that
does not skips them. Day 0 is the day the count starts in (a start outside hours starts
at the next opening), and the deadline is the close of the last interval of the N-th
working day after it: the end of that day's opening hours, the last instant anyone at
the desk can still act that day.

Reminders fall inside the calendar's opening hours, never at night, at weekends or on
its holidays when it is closed then:

- ``before``: the opening of the working day ``remind_before`` working days before the
  deadline's day (the instant from which that many working days run out at the
  deadline);
- ``due``: the opening of the deadline's own working day ("due today"): the deadline
  itself is a close, when no one is there, and the next opening is already too late;
- ``overdue``: the first opening after the deadline; the person's manager is told.

>>> from charter.hours import OpeningHours
>>> week = {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")}
>>> office = OpeningHours("Europe/London", week)
>>> start = dt.date(2026, 12, 7)  # a Monday: day 0
>>> due = deadline(start, Duration(working_days=5), office)
>>> due.isoformat()  # the close of Monday 14 December, 17:00 GMT
'2026-12-14T17:00:00+00:00'
>>> {k: v.isoformat() for k, v in reminder_times(due, Duration(working_days=2), office).items()}
... # doctest: +NORMALIZE_WHITESPACE
{'before': '2026-12-10T09:00:00+00:00', 'due': '2026-12-14T09:00:00+00:00',
 'overdue': '2026-12-15T09:00:00+00:00'}
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np

from charter.errors import CalendarError, UsageError
from charter.hours import OpeningHours
from charter.policy.units import Duration

__all__ = ["deadline", "reminder_times", "send_at", "start_of"]

SEARCH_YEARS = 3  # how far back a reminder's day is looked for before giving up
_ONE_US = dt.timedelta(microseconds=1)


def deadline(start: dt.datetime | dt.date, within: Duration, hours: OpeningHours) -> dt.datetime:
    """The close of the ``within``-th working day after the one ``start`` falls in (UTC)."""
    return hours.add_working_days(start_of(start, hours), _days(within, "within"))


def reminder_times(
    deadline: dt.datetime, remind_before: Duration, hours: OpeningHours
) -> dict[str, dt.datetime]:
    """``{"before": ..., "due": ..., "overdue": ...}``, each inside opening hours (UTC)."""
    _aware(deadline, "deadline")
    return {
        "before": _opening_days_before(deadline, _days(remind_before, "remind_before"), hours),
        "due": _opening_days_before(deadline, 0, hours),
        "overdue": hours.next_open(deadline + _ONE_US),
    }


def send_at(t: dt.datetime, hours: OpeningHours) -> dt.datetime:
    """``t`` when the calendar is open then, else its next opening.

    >>> office = OpeningHours("Europe/London", {"mon": [("09:00", "17:00")]})
    >>> send_at(dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC), office).isoformat()
    '2026-12-07T09:00:00+00:00'
    """
    return hours.next_open(_aware(t, "t"))


def start_of(start: dt.datetime | dt.date, hours: OpeningHours) -> dt.datetime:
    """An aware instant as given; a date as the start of that day in the calendar's zone."""
    if isinstance(start, dt.datetime):
        return _aware(start, "start")
    midnight = dt.datetime.combine(start, dt.time(0), tzinfo=zoneinfo.ZoneInfo(hours.timezone))
    return midnight.astimezone(dt.UTC)


def _opening_days_before(deadline: dt.datetime, days: int, hours: OpeningHours) -> dt.datetime:
    """The opening of the latest day from which ``days`` working days run out by ``deadline``.

    Each local date before the deadline is tried as a start (its midnight, so the count's
    day 0 is that date or the next opening day), all at once on the hours engine's
    arrays; the window grows until a start fits.
    """
    zone = zoneinfo.ZoneInfo(hours.timezone)
    last = deadline.astimezone(zone).date()
    span = 14 * (days + 1)
    while span <= 366 * SEARCH_YEARS:
        dates = [last - dt.timedelta(days=k) for k in range(span)]
        midnights = np.array([_utc_midnight(d, zone) for d in dates], dtype="datetime64[us]")
        ends = hours.add_working_days(midnights, days)
        fits = np.flatnonzero(ends <= np.datetime64(_naive_utc(deadline), "us"))
        if fits.size:
            first = start_of(dates[int(fits[0])], hours)
            return hours.next_open(first)
        span *= 2
    raise CalendarError(
        f"calendar {hours.name!r} has no opening day {days} working days before "
        f"{deadline.isoformat()} within {SEARCH_YEARS} years; check its hours and holidays"
    )


def _utc_midnight(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return _naive_utc(dt.datetime.combine(day, dt.time(0), tzinfo=zone))


def _naive_utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(tzinfo=None)


def _days(duration: Duration, name: str) -> int:
    if duration.seconds:
        raise UsageError(
            f"{name} is {duration}, not whole working days; training deadlines and "
            "reminders count working days of the calendar, e.g. 5wd"
        )
    return duration.working_days


def _aware(t: dt.datetime, name: str) -> dt.datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise UsageError(
            f"{name} {t.isoformat()} has no timezone, so the instant it means is unknown; "
            "give an aware datetime (UTC)"
        )
    return t
