"""Reading an opening-hours calendar: times, intervals, days and the timezone.

Everything a user can get wrong in a calendar is caught here, before any
arithmetic, and reported as a ``CalendarError`` that names the calendar, the day
and the bad value, and says how to fix it.

Intervals are kept as minutes after the local midnight of the date they start
on: ``("22:00", "06:00")`` becomes ``(1320, 1800)``, so an overnight interval is
simply one whose end lies past 1440.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from charter.errors import CalendarError

MINUTES_PER_DAY = 1440
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_FIX_TIME = "write 24-hour 'HH:MM' text between '00:00' and '24:00', e.g. ('09:00', '17:30')"

Minutes = tuple[int, int]
Interval = tuple[str, str]
DayKey = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_KEYS: tuple[DayKey, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Mapping keys are invariant, so a dict keyed by the Literal needs its own arm.
Weekly = Mapping[str, Sequence[Interval]] | Mapping[DayKey, Sequence[Interval]]


@dataclass(frozen=True)
class CalendarSpec:
    """A validated calendar: weekly intervals per weekday (Monday first), closed
    dates and dates with their own intervals, all in local wall-clock minutes."""

    name: str
    timezone: str
    zone: ZoneInfo
    weekly: tuple[tuple[Minutes, ...], ...]
    holidays: frozenset[dt.date]
    special: Mapping[dt.date, tuple[Minutes, ...]]


def read_spec(
    name: str,
    timezone: str,
    weekly: Weekly,
    holidays: Iterable[dt.date],
    special: Mapping[dt.date, Sequence[Interval]],
) -> CalendarSpec:
    """Validate every part of a calendar and return it in minutes."""
    if not isinstance(name, str) or not name:
        raise CalendarError(f"calendar name must be non-empty text, got {name!r}")
    return CalendarSpec(
        name=name,
        timezone=timezone,
        zone=load_zone(timezone, name),
        weekly=_read_weekly(weekly, name),
        holidays=frozenset(_read_date(d, name, "holidays") for d in holidays),
        special=_read_special(special, name),
    )


def load_zone(key: object, name: str) -> ZoneInfo:
    """The IANA zone called ``key``, or a CalendarError suggesting the nearest name."""
    if not isinstance(key, str) or not key:
        raise CalendarError(
            f"calendar {name!r}: timezone must be an IANA name such as 'Europe/London', got {key!r}"
        )
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    hint = _nearest_zone(key)
    advice = f"did you mean {hint!r}?" if hint else "use an IANA name such as 'Europe/London'"
    raise CalendarError(f"calendar {name!r}: unknown timezone {key!r}; {advice}")


def _nearest_zone(key: str) -> str | None:
    # Listing the zones reads the tz database from disk, so only do it on the error path.
    by_lower = {zone.lower(): zone for zone in available_timezones()}
    if key.lower() in by_lower:
        return by_lower[key.lower()]
    close = difflib.get_close_matches(key.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def _read_weekly(weekly: Weekly, name: str) -> tuple[tuple[Minutes, ...], ...]:
    if not isinstance(weekly, Mapping):
        raise CalendarError(
            f"calendar {name!r}: weekly must map day keys ('mon'..'sun') to lists of "
            f"intervals, got {type(weekly).__name__}"
        )
    for key in weekly:
        if key not in DAY_KEYS:
            close = difflib.get_close_matches(str(key).lower()[:3], DAY_KEYS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise CalendarError(
                f"calendar {name!r}: unknown day {key!r} in weekly; {hint}use {', '.join(DAY_KEYS)}"
            )
    return tuple(_read_intervals(weekly.get(day, ()), name, day) for day in DAY_KEYS)


def _read_special(
    special: Mapping[dt.date, Sequence[Interval]], name: str
) -> dict[dt.date, tuple[Minutes, ...]]:
    if not isinstance(special, Mapping):
        raise CalendarError(
            f"calendar {name!r}: special must map dates to lists of intervals, "
            f"got {type(special).__name__}; e.g. {{date(2024, 12, 24): [('09:00', '12:00')]}}"
        )
    return {
        _read_date(day, name, "special"): _read_intervals(spans, name, f"special day {day}")
        for day, spans in special.items()
    }


def _read_date(value: object, name: str, where: str) -> dt.date:
    # A datetime is also a date; accepting one would silently drop its time of day.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise CalendarError(
        f"calendar {name!r}: {where} must hold dates (datetime.date), got {value!r}; "
        "give local calendar dates such as datetime.date(2024, 12, 25)"
    )


def _read_intervals(spans: object, name: str, where: str) -> tuple[Minutes, ...]:
    if isinstance(spans, str) or not isinstance(spans, Sequence):
        raise CalendarError(
            f"calendar {name!r}, {where}: expected a list of (start, end) intervals, "
            f"got {spans!r}; e.g. [('09:00', '12:00'), ('13:00', '17:00')], or [] for closed"
        )
    return tuple(_read_interval(span, name, where) for span in spans)


def _read_interval(span: Any, name: str, where: str) -> Minutes:
    if isinstance(span, str) or not isinstance(span, Sequence) or len(span) != 2:
        raise CalendarError(
            f"calendar {name!r}, {where}: interval {span!r} is not a (start, end) pair; "
            "write it as ('09:00', '17:30')"
        )
    start = _read_time(span[0], name, where, may_be_24=False)
    end = _read_time(span[1], name, where, may_be_24=True)
    if start == end:
        raise CalendarError(
            f"calendar {name!r}, {where}: interval ({span[0]!r}, {span[1]!r}) starts and "
            "ends at the same time; give two different times (a whole day is "
            "('00:00', '24:00'))"
        )
    # An end before the start runs past midnight into the next day.
    return (start, end if end > start else end + MINUTES_PER_DAY)


def _read_time(text: object, name: str, where: str, *, may_be_24: bool) -> int:
    match = _TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise CalendarError(f"calendar {name!r}, {where}: {text!r} is not a time; {_FIX_TIME}")
    hours, minutes = int(match[1]), int(match[2])
    if hours == 24 and minutes == 0:
        if may_be_24:
            return MINUTES_PER_DAY
        raise CalendarError(
            f"calendar {name!r}, {where}: '24:00' can only end an interval; "
            "start the interval at '00:00' instead"
        )
    if hours > 23 or minutes > 59:
        raise CalendarError(f"calendar {name!r}, {where}: {text!r} is not a time; {_FIX_TIME}")
    return hours * 60 + minutes


def week_minutes(spec: CalendarSpec) -> int:
    """Open minutes in a normal week on the wall clock, overlaps counted once."""
    week = 7 * MINUTES_PER_DAY
    spans: list[Minutes] = []
    for day, intervals in enumerate(spec.weekly):
        for start, end in intervals:
            offset = day * MINUTES_PER_DAY
            # Sunday's overnight tail wraps round to Monday morning.
            spans.extend(
                (max(s, 0), min(e, week))
                for s, e in (
                    (start + offset, end + offset),
                    (start + offset - week, end + offset - week),
                )
                if e > 0 and s < week
            )
    total, reach = 0, 0
    for start, end in sorted(spans):
        total += max(0, end - max(start, reach))
        reach = max(reach, end)
    return total


def opens_at_all(spec: CalendarSpec) -> bool:
    """False when no weekly day and no special day has any interval."""
    return any(spec.weekly) or any(spec.special.values())
