"""Numbers as a reader wants them: humanised durations, shares in per cent, plain numbers.

>>> format_duration(2700), format_duration(12600), format_duration(172800)
('45 m', '3.5 h', '2 d')
>>> format_share(0.925)
'92.5 %'
>>> format_value(None, "duration")
'—'
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

MISSING = "—"
"""What a cell or label shows when there is no value."""

DURATION = "duration"
"""Unit of values that are seconds, shown humanised (``45 m``, ``3.5 h``, ``2 d``)."""
SHARE = "share"
"""Unit of values that are fractions of one, shown in per cent (``92.5 %``)."""

# symbol, seconds per unit, first amount that is shown in the next unit instead
_DURATION_UNITS = (("s", 1, 60.0), ("m", 60, 60.0), ("h", 3600, 48.0), ("d", 86400, math.inf))


def is_missing(value: object) -> bool:
    """``None`` and non-finite floats (NaN, infinity) have no value to show."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def short_number(amount: float) -> str:
    """One decimal below ten, none from ten on, thousands separated; no ``.0`` or ``-0``.

    >>> short_number(3.46), short_number(12.6), short_number(1234.0), short_number(-0.01)
    ('3.5', '13', '1,234', '0')
    """
    text = f"{amount:.1f}" if abs(amount) < 9.95 else f"{amount:,.0f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def format_duration(seconds: float) -> str:
    """Seconds in the largest unit that reads naturally: ``s`` below a minute,
    ``m`` below an hour, ``h`` below two days, then ``d`` (24-hour days).

    >>> [format_duration(s) for s in (45, 90, 3599, 5400, 86400, 1_209_600)]
    ['45 s', '1.5 m', '1 h', '1.5 h', '24 h', '14 d']
    """
    for symbol, size, limit in _DURATION_UNITS:
        text = short_number(seconds / size)
        if abs(float(text.replace(",", ""))) < limit:
            return f"{text} {symbol}"
    raise AssertionError("the last unit has no limit")  # pragma: no cover


def format_share(fraction: float) -> str:
    """A fraction of one in per cent with at most one decimal.

    >>> format_share(1.0), format_share(0.8567), format_share(0.5)
    ('100 %', '85.7 %', '50 %')
    """
    text = f"{fraction * 100:.1f}".removesuffix(".0")
    return ("0" if text == "-0" else text) + " %"


def format_number(value: float) -> str:
    """Whole numbers with thousands separators, others with at most two decimals.

    >>> format_number(12345), format_number(3.14159), format_number(-12.0)
    ('12,345', '3.14', '-12')
    """
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.2f}".rstrip("0").removesuffix(".")
    return "0" if text == "-0" else text


def format_value(value: float | None, unit: str) -> str:
    """A chart value in its unit: ``"duration"`` (seconds), ``"share"`` (fraction), or a
    plain number for any other unit (the unit is named by the axis, not each label)."""
    if value is None or is_missing(value):
        return MISSING
    if unit == DURATION:
        return format_duration(value)
    if unit == SHARE:
        return format_share(value)
    return format_number(value)


def format_cell(value: object) -> str:
    """A table cell: numbers, dates, durations (``timedelta``) and booleans read naturally.

    >>> format_cell(timedelta(hours=3, minutes=30)), format_cell(True), format_cell(None)
    ('3.5 h', 'yes', '—')
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, Decimal):
        return format_number(float(value))
    if isinstance(value, timedelta):
        return format_duration(value.total_seconds())
    if isinstance(value, datetime):
        zone = f" {value.tzname()}" if value.tzinfo is not None else ""
        return value.strftime("%Y-%m-%d %H:%M") + zone
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def is_numeric(value: object) -> bool:
    """Values that line up on their right edge in a table column."""
    return isinstance(value, int | float | Decimal | timedelta) and not isinstance(value, bool)
