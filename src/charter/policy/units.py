"""Value types of the policy: durations, shares, clock times, ids.

Each type parses the forms people write in YAML and says how to fix anything else.

>>> Duration.parse("1h30m").seconds
5400
>>> Duration.parse("10wd").working_days
10
>>> parse_share("85%")
0.85
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, StringConstraints, WithJsonSchema

_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_UNIT_ALIASES = {
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "d": "d", "day": "d", "days": "d",
    "wd": "wd", "working day": "wd", "working days": "wd",
    "business day": "wd", "business days": "wd", "bd": "wd",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
}  # fmt: skip
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+(?: days?)?)\s*")
DURATION_HINT = (
    "write a number and a unit, e.g. 90m, 4h, 1h30m, 2d (24-hour days), 10wd (working days) "
    "or 8w (calendar weeks)"
)


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time on a clock: seconds, or whole working days of a calendar.

    ``seconds`` counts time on the target's clock (business seconds on a calendar,
    real seconds on ``24x7``). ``working_days`` counts opening days of the calendar
    instead, as public charters promise ("within 10 working days"). ``weeks`` keeps a
    period written in weeks ("8w", as FCA DISP words its limit): its ``seconds`` are the
    calendar time, and a deadline counted in weeks does not move off a closed day.
    """

    seconds: int = 0
    working_days: int = 0
    weeks: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``"4h"``, ``"1h30m"``, ``"90 minutes"``, ``"2d"``, ``"10wd"``."""
        raw = text.strip().lower()
        pos, seconds, days, weeks = 0, 0.0, 0, 0
        while pos < len(raw):
            match = _PART.match(raw, pos)
            unit = _UNIT_ALIASES.get(match.group(2)) if match else None
            if match is None or unit is None:
                raise ValueError(f"{text!r} is not a duration; {DURATION_HINT}")
            amount = float(match.group(1))
            if unit == "wd":
                if not amount.is_integer():
                    raise ValueError(f"{text!r}: working days must be whole; {DURATION_HINT}")
                days += int(amount)
            elif unit == "w":
                if not amount.is_integer():
                    raise ValueError(f"{text!r}: weeks must be whole; {DURATION_HINT}")
                weeks += int(amount)
            else:
                seconds += amount * _UNIT_SECONDS[unit]
            pos = match.end()
        if not raw:
            raise ValueError(f"empty duration; {DURATION_HINT}")
        if days and (seconds or weeks):
            raise ValueError(f"{text!r} mixes working days with hours or weeks; use one")
        if weeks and seconds:
            raise ValueError(f"{text!r} mixes weeks with days or hours; write one, e.g. 8w")
        if weeks:
            return cls(seconds=weeks * 7 * 86400, weeks=weeks)
        if not seconds.is_integer():
            raise ValueError(f"{text!r} is not a whole number of seconds; {DURATION_HINT}")
        if not (days or seconds):
            raise ValueError(f"{text!r} is zero; a promise needs a positive duration")
        return cls(seconds=int(seconds), working_days=days)

    @property
    def is_working_days(self) -> bool:
        return self.working_days > 0

    def __str__(self) -> str:
        """The compact form that parses back to the same value (``1h30m``)."""
        if self.weeks:
            return f"{self.weeks}w"
        if self.working_days:
            return f"{self.working_days}wd"
        days, rest = divmod(self.seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        if secs:
            return f"{self.seconds / 60:g}m"
        parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
        return "".join(parts)

    def words(self, *, business: bool) -> str:
        """Plain words: ``4 business hours``, ``10 working days``, ``30 minutes``."""
        if self.weeks:
            return _plural(self.weeks, "week")
        if self.working_days:
            return _plural(self.working_days, "working day")
        prefix = "business " if business else ""
        if self.seconds % 86400 == 0 and not business:
            return _plural(self.seconds // 86400, "day")
        if self.seconds % 3600 == 0:
            return _plural(self.seconds // 3600, f"{prefix}hour")
        if self.seconds % 60 == 0 and self.seconds < 3600:
            return _plural(self.seconds // 60, f"{prefix}minute")
        return f"{self.seconds / 3600:g} {prefix}hours"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _duration_before(value: Any) -> Any:
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool) or isinstance(value, int | float):
        raise ValueError(f"{value!r} has no unit; {DURATION_HINT}")
    if isinstance(value, str):
        return Duration.parse(value)
    raise ValueError(f"expected a duration such as 4h, got {type(value).__name__}")


DurationField = Annotated[
    Duration,
    BeforeValidator(_duration_before),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["4h", "90m", "10wd"]}),
]

SHARE_HINT = "write a percentage such as 85% or a fraction such as 0.85"


def parse_share(value: Any) -> float:
    """A share in (0, 1]: ``"85%"``, ``"85 %"`` or ``0.85``."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            try:
                number = float(text[:-1].strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a percentage; {SHARE_HINT}") from None
            return _check_share(number / 100, value)
        raise ValueError(f"{value!r} is not a share; {SHARE_HINT}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a share, got {type(value).__name__}; {SHARE_HINT}")
    if value > 1:
        raise ValueError(f"{value!r} is more than 1, did you mean {value:g}%?; {SHARE_HINT}")
    return _check_share(float(value), value)


def _check_share(share: float, original: Any) -> float:
    if not 0 < share <= 1:
        raise ValueError(f"{original!r} is outside 0-100 %; {SHARE_HINT}")
    return share


ShareField = Annotated[
    float,
    BeforeValidator(parse_share),
    WithJsonSchema({"type": "string", "examples": ["85%", "0.95"]}),
]

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
ID_HINT = "ids are lower-case letters, digits, '-', '_' or '.', e.g. email-urgent"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
INTERVAL_HINT = (
    'write "HH:MM-HH:MM" in 24-hour time, e.g. "09:00-17:30"; "22:00-06:00" runs overnight'
)


def parse_interval(value: Any) -> tuple[str, str]:
    """``"09:00-17:30"`` or ``["09:00", "17:30"]`` → ``("09:00", "17:30")``."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split("-")]
    elif isinstance(value, list | tuple):
        parts = [str(p).strip() for p in value]
    else:
        raise ValueError(f"expected an interval, got {type(value).__name__}; {INTERVAL_HINT}")
    if len(parts) != 2 or not all(_TIME.match(p) for p in parts):
        raise ValueError(f"{value!r} is not an interval; {INTERVAL_HINT}")
    start, end = parts
    if start == "24:00":
        raise ValueError(f"{value!r} starts at 24:00; start at 00:00 of the next day instead")
    if start == end:
        raise ValueError(f"{value!r} is empty; {INTERVAL_HINT}")
    return (start, end)


IntervalField = Annotated[
    tuple[str, str],
    BeforeValidator(parse_interval),
    PlainSerializer(lambda v: f"{v[0]}-{v[1]}", return_type=str),
    WithJsonSchema({"type": "string", "examples": ["09:00-17:30", "22:00-06:00"]}),
]
