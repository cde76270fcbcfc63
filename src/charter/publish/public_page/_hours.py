"""Opening hours of a contact point as the public page shows them.

The usual week is the calendar's weekly hours as written, in its own timezone.
The coming days are real openings: holidays close a day (and cut the tail of the
previous night's opening at midnight), special days replace the weekly hours,
exactly as ``charter.hours`` counts them, and each opening is also shown on the
visitor's clock. Whether a contact point is open now, and when it next opens,
comes from ``charter.hours`` itself.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from charter.errors import CalendarError
from charter.hours import OpeningHours
from charter.policy.calendar import WEEKDAYS, Calendar
from charter.publish.public_page import _time as t

Opening = tuple[dt.datetime, dt.datetime]
COMING_DAYS = 7


@dataclass(frozen=True)
class DayHours:
    """One weekday of the usual week: ``Monday``, ``08:00–20:00``."""

    day: str
    hours: str


@dataclass(frozen=True)
class DateHours:
    """One coming date: its hours on the business's clock and on the visitor's."""

    date: dt.date
    label: str
    note: str
    hours: str
    visitor_hours: str | None


@dataclass(frozen=True)
class Availability:
    """Open now or not, and the sentence that says until or from when."""

    open_now: bool
    text: str


@dataclass(frozen=True)
class Schedule:
    """What the page needs of one calendar at one moment."""

    calendar: Calendar
    closed: frozenset[dt.date]
    hours: OpeningHours

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.calendar.timezone)

    def openings(self, day: dt.date) -> list[Opening]:
        """The openings that start on local ``day``, as UTC instants."""
        cal, zone = self.calendar, self.zone
        if day in cal.special:
            intervals = cal.special[day]
        elif day in self.closed:
            intervals = []
        else:
            intervals = cal.weekly.get(WEEKDAYS[day.weekday()], [])
        next_day = day + dt.timedelta(days=1)
        cut = t.wall(next_day, "00:00", zone) if next_day in self.closed else None
        found = []
        for start, end in intervals:
            end_day = next_day if end != "24:00" and end <= start else day
            opening = (t.wall(day, start, zone), t.wall(end_day, end, zone))
            if cut is not None and opening[1] > cut:
                opening = (opening[0], cut)
            found.append(opening)
        return found


def usual_week(calendar: Calendar) -> list[DayHours]:
    """Monday to Sunday as written: ``08:00–20:00``, overnight hours marked, else Closed."""
    rows = []
    for name, key in zip(t.DAYS, WEEKDAYS, strict=True):
        intervals = calendar.weekly.get(key, [])
        words = [f"{a}–{b}" + (" (next day)" if b != "24:00" and b <= a else "")
                 for a, b in intervals]  # fmt: skip
        rows.append(DayHours(name, ", ".join(words) or "Closed"))
    return rows


def coming_days(
    schedule: Schedule, today: dt.date, visitor: zoneinfo.ZoneInfo | None
) -> list[DateHours]:
    """The next ``COMING_DAYS`` local dates from ``today``, with their real openings."""
    cal, zone, rows = schedule.calendar, schedule.zone, []
    for offset in range(COMING_DAYS):
        day = today + dt.timedelta(days=offset)
        openings = schedule.openings(day)
        note = "Special hours" if day in cal.special else ""
        if day in schedule.closed and day not in cal.special:
            note = "Holiday"
        hours = ", ".join(f"{t.clock(a, zone)}–{_close(a, b, zone)}" for a, b in openings)
        shown = None
        if visitor is not None:
            shown = ", ".join(t.span(a, b, visitor) for a, b in openings) or "Closed"
        label = t.date_words(day, year=False)
        rows.append(DateHours(day, label, note, hours or "Closed", shown))
    return rows


def _close(start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    a, b = start.astimezone(zone), end.astimezone(zone)
    if b.date() == a.date():
        return f"{b:%H:%M}"
    if b.time() == dt.time(0) and (b.date() - a.date()).days == 1:
        return "24:00"
    return f"{b:%H:%M} next day"


def availability(
    schedule: Schedule, now: dt.datetime, visitor: zoneinfo.ZoneInfo | None
) -> Availability:
    """``Open now until 20:00`` or ``Closed now; opens tomorrow at 08:00``, both clocks."""
    zone = schedule.zone
    try:
        if schedule.hours.is_open(now):
            until = _closes_after(schedule, now)
            if until is None:
                return Availability(True, "Open now.")
            return Availability(True, f"Open now until {_both(until, now, zone, visitor)}.")
        opens = schedule.hours.next_open(now)
    except CalendarError:
        return Availability(False, "Closed: no opening hours are published.")
    return Availability(False, f"Closed now. Opens {_both(opens, now, zone, visitor)}.")


def _both(
    instant: dt.datetime, now: dt.datetime, zone: zoneinfo.ZoneInfo,
    visitor: zoneinfo.ZoneInfo | None,
) -> str:  # fmt: skip
    """``instant`` on the business's clock, then the visitor's when it differs."""
    text = t.moment(instant, zone, today=now.astimezone(zone).date())
    if visitor is None or visitor.key == zone.key:
        return text
    yours = t.moment(instant, visitor, today=now.astimezone(visitor).date())
    return f"{text} ({yours} your time)"


def _closes_after(schedule: Schedule, now: dt.datetime) -> dt.datetime | None:
    """When the opening that holds ``now`` ends, following openings that join on."""
    today = now.astimezone(schedule.zone).date()
    days = [today + dt.timedelta(days=d) for d in range(-1, 3)]
    openings = sorted(o for day in days for o in schedule.openings(day))
    end = next((b for a, b in openings if a <= now < b), None)
    if end is None:
        return None
    for a, b in openings:
        if a <= end < b:
            end = b
    return end
