"""Figures as a person reads them, the same on every page, report and command:
durations, shares, counts, plain numbers and instants.

>>> duration(2700), duration(12600), duration(273_600), duration(273_600, business=True)
('45 min', '3 h 30 min', '3 d 4 h', '76 h')
>>> share(0.925), count(4210), number(3.14159)
('92.5 %', '4,210', '3.14')
>>> instant(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
'Mon 05 Jan 2026 09:00 UTC'
>>> value(None, "duration")
'—'
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

MISSING = "—"
"""What a cell, label or sentence shows when there is no value."""

DURATION = "duration"
"""Unit of values that are seconds, shown as a duration (``45 min``, ``3 h 30 min``)."""
SHARE = "share"
"""Unit of values that are fractions of one, shown in per cent (``92.5 %``)."""

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_FROM = 48 * 3600  # real time from two days on reads in days and hours


def is_missing(figure: object) -> bool:
    """``None`` and non-finite floats (NaN, infinity) have no value to show."""
    return figure is None or (isinstance(figure, float) and not math.isfinite(figure))


def short_number(amount: float) -> str:
    """One decimal below ten, none from ten on, thousands separated; no ``.0`` or ``-0``:
    a tick on an axis.

    >>> short_number(3.46), short_number(12.6), short_number(1234.0), short_number(-0.01)
    ('3.5', '13', '1,234', '0')
    """
    text = f"{amount:.1f}" if abs(amount) < 9.95 else f"{amount:,.0f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def duration(seconds: float | None, *, business: bool = False) -> str:
    """Seconds below a minute, then minutes, then hours and minutes; real time from two
    days on in days and hours. Business time never reads in days (a working day is not
    24 hours), so it stays in hours and minutes. Halves round up.

    >>> [duration(s) for s in (0, 45, 59.5, 870, 3599, 5400, 7200, 172_800, 1_209_600)]
    ['0 s', '45 s', '1 min', '15 min', '1 h', '1 h 30 min', '2 h', '2 d', '14 d']
    >>> duration(-5400), duration(190_380, business=True), duration(float("nan"))
    ('-1 h 30 min', '52 h 53 min', '—')
    """
    if seconds is None or is_missing(seconds):
        return MISSING
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    if seconds < 59.5:
        return f"{sign}{_half_up(seconds)} s"
    if seconds >= _DAYS_FROM and not business:
        days, hours = divmod(_half_up(seconds / 3600), 24)
        return sign + _pair(days, "d", hours, "h")
    hours, minutes = divmod(_half_up(seconds / 60), 60)
    return sign + _pair(hours, "h", minutes, "min")


def _half_up(amount: float) -> int:
    return math.floor(amount + 0.5)


def _pair(large: int, large_unit: str, small: int, small_unit: str) -> str:
    if not large:
        return f"{small} {small_unit}"
    return f"{large} {large_unit} {small} {small_unit}" if small else f"{large} {large_unit}"


def spoken(seconds: int, *, working: bool = False) -> str:
    """A promised length of time as people say it in a sentence ("within ..."), in whole
    words: minutes below an hour, then hours (``working hours`` on a business clock),
    whole days of real time in days. Where ``duration`` is a measured figure in a
    table, this is the time a promise gives. Odd seconds read as ``duration`` does.

    >>> spoken(300), spoken(7200, working=True), spoken(3600, working=True), spoken(86400)
    ('5 minutes', '2 working hours', '1 working hour', '1 day')
    >>> spoken(5400), spoken(5400, working=True), spoken(97200), spoken(86400, working=True)
    ('1 hour 30 minutes', '1 hour 30 minutes of working time', '27 hours', '24 working hours')
    """
    if seconds <= 0 or seconds % 60:
        return duration(seconds, business=working)
    if not working and seconds % 86400 == 0:
        return plural(seconds // 86400, "day")
    hours, minutes = divmod(seconds // 60, 60)
    if not hours:
        return plural(minutes, "minute")
    if not minutes:
        return plural(hours, "working hour" if working else "hour")
    said = f"{plural(hours, 'hour')} {plural(minutes, 'minute')}"
    return f"{said} of working time" if working else said


def plural(amount: int, noun: str) -> str:
    """A count with its noun, singular for one: ``1 working day``, ``10 working days``.

    >>> plural(1, "working day"), plural(10, "working day"), plural(0, "week")
    ('1 working day', '10 working days', '0 weeks')
    """
    return f"{count(amount)} {noun}{'' if amount == 1 else 's'}"


def share(fraction: float | None) -> str:
    """A fraction of one in per cent with at most one decimal.

    >>> share(1.0), share(0.8567), share(0.5), share(None)
    ('100 %', '85.7 %', '50 %', '—')
    """
    if fraction is None or is_missing(fraction):
        return MISSING
    text = f"{fraction * 100:.1f}".removesuffix(".0")
    return ("0" if text == "-0" else text) + " %"


def points(change: float | None) -> str:
    """A change between two shares (fractions of one) in percentage points, signed, with
    at most one decimal.

    >>> points(0.072), points(-0.05), points(0.001), points(0.0), points(None)
    ('+7.2 points', '-5 points', '+0.1 points', '0 points', '—')
    >>> points(0.01)
    '+1 point'
    """
    if change is None or is_missing(change):
        return MISSING
    text = f"{change * 100:+.1f}".removesuffix(".0")
    if text in ("+0", "-0"):
        return "0 points"
    return f"{text} point" + ("" if text in ("+1", "-1") else "s")


def count(amount: int | None) -> str:
    """A count with thousands separators.

    >>> count(55806), count(0), count(None)
    ('55,806', '0', '—')
    """
    return MISSING if amount is None else f"{amount:,}"


def number(figure: float) -> str:
    """Whole numbers with thousands separators, others with at most two decimals.

    >>> number(12345), number(3.14159), number(-12.0)
    ('12,345', '3.14', '-12')
    """
    if isinstance(figure, int):
        return count(figure)
    text = f"{figure:,.2f}".rstrip("0").removesuffix(".")
    return "0" if text == "-0" else text


def instant(at: dt.datetime | None, zone: dt.tzinfo | None = None, *, seconds: bool = False) -> str:
    """An instant with its weekday and zone, in ``zone`` (else the zone it carries). The
    names are written out here, not taken from the process's locale, so every machine
    writes the same words.

    >>> at = dt.datetime(2026, 7, 6, 8, 30, 5, tzinfo=dt.UTC)
    >>> from zoneinfo import ZoneInfo
    >>> instant(at, ZoneInfo("Europe/London")), instant(at, seconds=True)
    ('Mon 06 Jul 2026 09:30 BST', 'Mon 06 Jul 2026 08:30:05 UTC')
    """
    if at is None:
        return MISSING
    shown = at.astimezone(zone) if zone is not None else at
    clock = f"{shown:%H:%M:%S}" if seconds else f"{shown:%H:%M}"
    day = f"{_WEEKDAYS[shown.weekday()]} {shown.day:02d} {_MONTHS[shown.month - 1]} {shown.year}"
    return f"{day} {clock}" + (f" {shown.tzname()}" if shown.tzinfo else "")


def value(figure: float | None, unit: str, *, business: bool = False) -> str:
    """A figure in its unit: ``"duration"`` or ``"seconds"`` (a duration; ``business``
    time never reads in days), ``"share"`` (a fraction), ``"points"`` (a score, one
    decimal at most), or a plain number for any other unit (counts of tickets; a chart's
    axis names the unit, not each label).

    >>> value(190_380, "seconds"), value(190_380, "seconds", business=True)
    ('2 d 5 h', '52 h 53 min')
    >>> value(0.5, "share"), value(4.26, "points"), value(1234, "tickets")
    ('50 %', '4.3', '1,234')
    """
    if figure is None or is_missing(figure):
        return MISSING
    if unit in (DURATION, "seconds"):
        return duration(figure, business=business)
    if unit == SHARE:
        return share(figure)
    return number(round(figure, 1) if unit == "points" else figure)


def cell(figure: object) -> str:
    """A table cell: numbers, instants, durations (``timedelta``) and booleans read naturally.

    >>> cell(dt.timedelta(hours=3, minutes=30)), cell(True), cell(None), cell(dt.date(2026, 1, 5))
    ('3 h 30 min', 'yes', '—', '2026-01-05')
    """
    if is_missing(figure):
        return MISSING
    if isinstance(figure, bool):
        return "yes" if figure else "no"
    if isinstance(figure, int | float):
        return number(figure)
    if isinstance(figure, Decimal):
        return number(float(figure))
    if isinstance(figure, dt.timedelta):
        return duration(figure.total_seconds())
    if isinstance(figure, dt.datetime):
        return instant(figure)
    if isinstance(figure, dt.date | dt.time):
        return figure.isoformat()
    return str(figure)


def is_numeric(figure: object) -> bool:
    """Values that line up on their right edge in a table column."""
    return isinstance(figure, int | float | Decimal | dt.timedelta) and not isinstance(figure, bool)
