"""Times for the public page: wall-clock hours to instants, and instants in words.

Names of days and months are written out here, not taken from the process locale,
so every machine renders the same page.

>>> import datetime as dt
>>> from zoneinfo import ZoneInfo
>>> london = ZoneInfo("Europe/London")
>>> wall(dt.date(2026, 6, 1), "08:00", london).isoformat()
'2026-06-01T07:00:00+00:00'
>>> wall(dt.date(2026, 3, 29), "01:30", london).isoformat()  # does not exist: clocks go forward
'2026-03-29T01:00:00+00:00'
>>> moment(dt.datetime(2026, 6, 2, 7, tzinfo=dt.UTC), london, today=dt.date(2026, 6, 1))
'tomorrow at 08:00'
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SHORT_DAYS = tuple(day[:3] for day in DAYS)
MONTHS = (
    "January February March April May June July August September October November December"
).split()
MAX_ZONE_LENGTH = 64
UNKNOWN_ZONE = (
    "We do not know the time zone you asked for, so times are shown only on our own "
    "clock. Use a name such as Europe/Paris or America/Chicago."
)
_STEP = dt.timedelta(minutes=1)


@cache
def _zones() -> dict[str, str]:
    """Every IANA zone name, by its lower-case spelling."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def canonical_zone(name: str | None) -> str | None:
    """The IANA name of zone ``name`` in any letter case, or None when there is no such zone.

    >>> canonical_zone("europe/paris"), canonical_zone("Mars/Olympus"), canonical_zone("")
    ('Europe/Paris', None, None)
    """
    if not name or len(name) > MAX_ZONE_LENGTH:
        return None
    return _zones().get(name.lower())


def known_zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone ``name`` (``Europe/Paris``), or None when there is no such zone.

    >>> known_zone("Europe/Paris") is not None, known_zone("Mars/Olympus"), known_zone("")
    (True, None, None)
    """
    canonical = canonical_zone(name)
    return zoneinfo.ZoneInfo(canonical) if canonical else None


def visitor_zone(name: str | None) -> tuple[zoneinfo.ZoneInfo | None, str | None]:
    """The visitor's zone from ``?tz=``, or None and a note saying why it was not used.

    The note does not repeat ``name``: every unknown zone gives the same page, so a
    page kept for one is right for all, and the page never shows text a link chose.
    """
    if name is None or name == "":
        return None, None
    zone = known_zone(name)
    if zone is None:
        return None, UNKNOWN_ZONE
    return zone, None


def wall(day: dt.date, hhmm: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of wall-clock ``hhmm`` on local ``day``; ``24:00`` is the next midnight.

    A wall time that does not exist (clocks go forward) moves forward to the first
    instant that does; an ambiguous one (clocks go back) takes its first occurrence.
    """
    if hhmm == "24:00":
        day, hhmm = day + dt.timedelta(days=1), "00:00"
    hours, minutes = (int(part) for part in hhmm.split(":"))
    local = dt.datetime.combine(day, dt.time(hours, minutes), zone)
    instant = local.astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # In a gap: the later offset gives an instant before the change; walk to the change.
    instant = local.replace(fold=1).astimezone(dt.UTC)
    before = instant.astimezone(zone).utcoffset()
    while instant.astimezone(zone).utcoffset() == before:
        instant += _STEP
    return instant - dt.timedelta(seconds=instant.second, microseconds=instant.microsecond)


def clock(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """``HH:MM`` of ``instant`` on the wall clock of ``zone``."""
    return instant.astimezone(zone).strftime("%H:%M")


def date_words(day: dt.date, *, year: bool = True) -> str:
    """``Monday 1 June 2026`` (or without the year)."""
    text = f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def month_words(first_day: dt.date) -> str:
    """``October 2026``."""
    return f"{MONTHS[first_day.month - 1]} {first_day.year}"


def moment(instant: dt.datetime, zone: zoneinfo.ZoneInfo, *, today: dt.date) -> str:
    """``today at 08:00``, ``tomorrow at 08:00`` or ``Monday 8 June at 08:00`` in ``zone``."""
    local = instant.astimezone(zone)
    days = (local.date() - today).days
    if days == 0:
        when = "today"
    elif days == 1:
        when = "tomorrow"
    else:
        when = date_words(local.date(), year=local.year != today.year)
    return f"{when} at {local:%H:%M}"


def span(start: dt.datetime, end: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """An opening in ``zone``: ``Mon 09:00–21:00``, or ``Mon 22:00 – Tue 06:00`` across days."""
    a, b = start.astimezone(zone), end.astimezone(zone)
    first = f"{SHORT_DAYS[a.weekday()]} {a:%H:%M}"
    last_day = (b - dt.timedelta(microseconds=1)).date()  # an opening to midnight ends that day
    if last_day == a.date():
        closes = "24:00" if b.date() != a.date() else f"{b:%H:%M}"
        return f"{first}–{closes}"
    return f"{first} – {SHORT_DAYS[b.weekday()]} {b:%H:%M}"
