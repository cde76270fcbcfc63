"""The dashboard's periods: what a page's ``period`` names, as whole days.

A period is written as a month, an ISO week, a quarter, a year or a range of days
(``2026-11-10..2026-12-07``); the presets (``last-28-days``, ``this-month``, …) and the
date picker's ``from`` and ``to`` name days relative to, or up to, today. A period that
runs past today is cut at today: it is charted up to now, never to its end.

>>> parse_period("2026-10").label, parse_period("2026-W42").start, parse_period("2026-Q4").end
('October 2026', datetime.date(2026, 10, 12), datetime.date(2026, 12, 31))
>>> parse_period("2026-11-09..2026-12-06").label
'9 November to 6 December 2026'
>>> preset("last-month", dt.date(2026, 12, 7)).text
'2026-11'
>>> parse_period("2026-13")
Traceback (most recent call last):
...
charter.errors.InvalidInput: period: '2026-13' is not a period; write a month (2026-10), ...
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Literal

from charter.errors import InvalidInput

Kind = Literal["week", "month", "quarter", "year", "days"]
Step = Literal["day", "week"]
STEPS: tuple[Step, ...] = ("day", "week")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
PRESETS = {
    "last-7-days": "Last 7 days", "last-28-days": "Last 28 days",
    "last-90-days": "Last 90 days", "this-month": "This month", "last-month": "Last month",
    "this-quarter": "This quarter", "last-quarter": "Last quarter",
}  # fmt: skip
DEFAULT_PRESET = "last-28-days"
PERIOD_HELP = (
    "write a month (2026-10), an ISO week (2026-W42), a quarter (2026-Q4), a year (2026), "
    "days (2026-11-10..2026-12-07) or one of " + ", ".join(PRESETS)
)
_FORMS: dict[Kind, re.Pattern[str]] = {
    "week": re.compile(r"(\d{4})-W(\d{2})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "quarter": re.compile(r"(\d{4})-Q(\d)"),
    "year": re.compile(r"(\d{4})()"),
}
_DAYS = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")
MAX_TEXT = 64
MAX_DAYS = 3 * 366  # the longest range of days a view charts
DAILY_UP_TO = 92  # days: a longer range is charted week by week


def day_words(day: dt.date, *, year: bool = True) -> str:
    """``7 December 2026``: a day written out."""
    return f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


@dataclass(frozen=True)
class Period:
    """A span of whole UTC days, ``start`` to ``end`` inclusive, named as written. A
    week, month, quarter or year whose ``end`` comes before its last day was cut at
    today: it is written as its days, and its label says so."""

    kind: Kind
    start: dt.date
    end: dt.date

    @property
    def whole_end(self) -> dt.date:
        """The last day of the week, month, quarter or year (of a range: its end)."""
        if self.kind == "days":
            return self.end
        return _built(self.kind, *_number(self.kind, self.start)).end

    @property
    def cut(self) -> bool:
        """Whether the period stops at today, before its last day."""
        return self.end < self.whole_end

    @property
    def text(self) -> str:
        """The period as the URL writes it (the ticket list reads the same forms)."""
        if self.kind == "days" or self.cut:
            return f"{self.start.isoformat()}..{self.end.isoformat()}"
        year, number = _number(self.kind, self.start)
        return {"week": f"{year}-W{number:02d}", "month": f"{year}-{number:02d}",
                "quarter": f"{year}-Q{number}", "year": str(year)}[self.kind]  # fmt: skip

    @property
    def label(self) -> str:
        if self.kind == "days":
            return _span_words(self.start, self.end)
        year, number = _number(self.kind, self.start)
        if self.kind == "week":
            name = f"week {number} of {year}, {self.start:%d/%m} to {self.whole_end:%d/%m}"
        elif self.kind == "month":
            name = f"{MONTHS[number - 1]} {year}"
        else:
            name = f"Q{number} {year}" if self.kind == "quarter" else str(year)
        return f"{name} so far, to {day_words(self.end, year=False)}" if self.cut else name

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def step(self) -> Step:
        """The trend step that suits the period: days up to a month, weeks beyond."""
        if self.kind == "days":
            return "day" if self.days <= DAILY_UP_TO else "week"
        return "day" if self.kind in ("week", "month") else "week"

    def up_to(self, today: dt.date) -> Period:
        """The period cut at ``today`` when it runs past it."""
        return replace(self, end=today) if self.start <= today < self.end else self

    def shifted(self, by: int) -> Period:
        """The period ``by`` periods of the same kind later (earlier when negative); a
        range of days moves by its length."""
        if self.kind == "days":
            length = dt.timedelta(days=self.days)
            return Period("days", self.start + by * length, self.end + by * length)
        if self.kind == "week":
            start = self.start + dt.timedelta(weeks=by)
            return Period("week", start, start + dt.timedelta(days=6))
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + by * months
        return _months(self.kind, index // 12, index % 12 + 1, months)


def _number(kind: Kind, start: dt.date) -> tuple[int, int]:
    """The year and the number within it (week, month, quarter) of a period's start."""
    if kind == "week":
        year, week, _ = start.isocalendar()
        return year, week
    if kind == "month":
        return start.year, start.month
    if kind == "quarter":
        return start.year, (start.month - 1) // 3 + 1
    return start.year, 0


def _span_words(start: dt.date, end: dt.date) -> str:
    if start == end:
        return day_words(start)
    return f"{day_words(start, year=start.year != end.year)} to {day_words(end)}"


def _months(kind: Kind, year: int, month: int, count: int) -> Period:
    after = year * 12 + month - 1 + count
    end = dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(kind, dt.date(year, month, 1), end)


def month_of(day: dt.date) -> Period:
    return _months("month", day.year, day.month, 1)


def preset(name: str, today: dt.date) -> Period:
    """The days a preset names on ``today`` (the business's date), cut at today.

    >>> preset("this-quarter", dt.date(2026, 12, 7)).label
    'Q4 2026 so far, to 7 December'
    """
    if name.startswith("last-") and name.endswith("-days"):
        count = int(name[len("last-") : -len("-days")])
        return Period("days", today - dt.timedelta(days=count - 1), today)
    kind: Kind = "month" if name.endswith("month") else "quarter"
    current = _built(kind, *_number(kind, today))
    return current.shifted(-1) if name.startswith("last-") else current.up_to(today)


def parse_period(value: str) -> Period:
    """A period written as ``2026-10``, ``2026-W42``, ``2026-Q4``, ``2026`` or
    ``2026-11-10..2026-12-07`` (whole UTC days, both ends included)."""
    text = value.strip()
    days = _DAYS.fullmatch(text)
    if days is not None:
        return days_between(("period", "period"), days.group(1), days.group(2))
    for kind, form in _FORMS.items():
        found = form.fullmatch(text)
        if found is None:
            continue
        year, number = int(found.group(1)), int(found.group(2) or 0)
        try:
            return _built(kind, year, number)
        except ValueError:
            break
    shown = value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    raise InvalidInput(
        f"period: {shown!r} is not a period; {PERIOD_HELP}",
        [{"field": "period", "problem": f"not a period; {PERIOD_HELP}"}],
    )


def _built(kind: Kind, year: int, number: int) -> Period:
    if year < 1900:
        raise ValueError(year)
    if kind == "week":
        start = dt.date.fromisocalendar(year, number, 1)
        return Period("week", start, start + dt.timedelta(days=6))
    if kind == "month" and 1 <= number <= 12:
        return _months("month", year, number, 1)
    if kind == "quarter" and 1 <= number <= 4:
        return _months("quarter", year, 3 * number - 2, 3)
    if kind == "year":
        return _months("year", year, 1, 12)
    raise ValueError(number)


def day_of(field: str, value: str) -> dt.date:
    """A day written ``2026-11-10`` (as a date picker sends it); else a message naming
    ``field``."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else dt.date.fromisoformat("")
    except ValueError:
        shown = value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
        raise InvalidInput(
            f"{field}: {shown!r} is not a day; write it as year-month-day, e.g. 2026-11-10",
            [{"field": field, "problem": "not a day (year-month-day)"}],
        ) from None


def days_between(fields: tuple[str, str], first_text: str, last_text: str) -> Period:
    """The range of days from one written day to another, both included; ``fields``
    name where each was written. A range that ends before it starts, or runs over three
    years, is refused with the reason."""
    first, last = day_of(fields[0], first_text), day_of(fields[1], last_text)
    if last < first:
        raise InvalidInput(
            f"{fields[1]}: the range ends on {day_words(last)}, before it starts on "
            f"{day_words(first)}; give a last day on or after the first",
            [{"field": fields[1], "problem": "ends before the range starts"}],
        )
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput(
            f"{fields[1]}: {day_words(first)} to {day_words(last)} is longer than three "
            "years; choose a shorter range",
            [{"field": fields[1], "problem": "longer than three years"}],
        )
    return Period("days", first, last)
