"""The dashboard's filters, read from a page's query: period, groups and trend step.

>>> parse_period("2026-10").label, parse_period("2026-W42").start, parse_period("2026-Q4").end
('October 2026', datetime.date(2026, 10, 12), datetime.date(2026, 12, 31))
>>> parse_period("2026-13")
Traceback (most recent call last):
...
charter.errors.InvalidInput: period: '2026-13' is not a period; write a month (2026-10), ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from charter.errors import InvalidInput

Kind = Literal["week", "month", "quarter", "year"]
Step = Literal["day", "week"]
STEPS: tuple[Step, ...] = ("day", "week")
MONTHS = (
    "January February March April May June July August September October November December"
).split()
PERIOD_HELP = (
    "write a month (2026-10), an ISO week (2026-W42), a quarter (2026-Q4) or a year (2026)"
)
_FORMS: dict[Kind, re.Pattern[str]] = {
    "week": re.compile(r"(\d{4})-W(\d{2})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "quarter": re.compile(r"(\d{4})-Q(\d)"),
    "year": re.compile(r"(\d{4})()"),
}
MAX_TEXT = 64


@dataclass(frozen=True)
class Period:
    """A span of whole UTC days, ``start`` to ``end`` inclusive, named as written."""

    kind: Kind
    start: dt.date
    end: dt.date

    @property
    def text(self) -> str:
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"week {self.text[-2:].lstrip('0')} of {self.start.isocalendar()[0]}, "\
                   f"{self.start:%d/%m} to {self.end:%d/%m}"  # fmt: skip
        if self.kind == "month":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        if self.kind == "quarter":
            return f"{self.text[-2:]} {self.start.year}"
        return self.text

    @property
    def step(self) -> Step:
        """The trend step that suits the period: days within a month, weeks beyond."""
        return "day" if self.kind in ("week", "month") else "week"

    def shifted(self, by: int) -> Period:
        """The period ``by`` periods of the same kind later (earlier when negative)."""
        if self.kind == "week":
            start = self.start + dt.timedelta(weeks=by)
            return Period("week", start, start + dt.timedelta(days=6))
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + by * months
        return _months(self.kind, index // 12, index % 12 + 1, months)


def _months(kind: Kind, year: int, month: int, count: int) -> Period:
    after = year * 12 + month - 1 + count
    end = dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(kind, dt.date(year, month, 1), end)


def month_of(day: dt.date) -> Period:
    return _months("month", day.year, day.month, 1)


def parse_period(value: str) -> Period:
    """A period written as ``2026-10``, ``2026-W42``, ``2026-Q4`` or ``2026``."""
    for kind, form in _FORMS.items():
        found = form.fullmatch(value.strip())
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


@dataclass(frozen=True)
class Filters:
    """What the page asked for; ``period`` None means the latest month with tickets."""

    period: Period | None = None
    channel: str | None = None
    priority: str | None = None
    team: str | None = None
    step: Step | None = None

    def query(self, **changes: object) -> dict[str, str]:
        """These filters (with ``changes``) as URL query values, empty ones left out."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        values = {
            "period": chosen.period.text if chosen.period else None,
            "channel": chosen.channel, "priority": chosen.priority, "team": chosen.team,
            "every": chosen.step,
        }  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}

    def tickets(
        self, *, worst: str | None = None, open_only: bool = False, period: Period | None = None
    ) -> dict[str, str]:
        """The ticket list's query for a figure over these groups: every filter the figure
        is counted with goes into the link, so the list holds exactly the figure's tickets.
        ``worst``: the worst SLA status among a ticket's clocks (``at_risk`` means at
        risk and none breached); ``open_only``: not solved; ``period``: created then."""
        values = {
            "state": "open" if open_only else None, "worst": worst,
            "period": period.text if period else None,
            "channel": self.channel, "priority": self.priority, "team": self.team,
        }  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}


def parse_filters(query: Mapping[str, str]) -> Filters:
    """The filters in a page's query; a bad value raises ``InvalidInput`` naming it."""
    texts = {key: (query.get(key) or "").strip() for key in
             ("period", "channel", "priority", "team", "every")}  # fmt: skip
    for key, value in texts.items():
        if len(value) > MAX_TEXT or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            raise InvalidInput(
                f"{key}: the value is too long or holds control characters; "
                f"give at most {MAX_TEXT} plain characters",
                [{"field": key, "problem": "too long or control characters"}],
            )
    every = texts["every"] or None
    if every is not None and every not in STEPS:
        raise InvalidInput(
            f"every: {every!r} is not a trend step; choose day or week",
            [{"field": "every", "problem": "not day or week"}],
        )
    period = parse_period(texts["period"]) if texts["period"] else None
    if every == "day" and period is not None and period.kind == "year":
        raise InvalidInput(
            "every: a year is shown week by week (365 daily points do not read as a "
            "trend); choose week, or a quarter or shorter period for daily steps",
            [{"field": "every", "problem": "day steps over a year"}],
        )
    return Filters(
        period=period,
        channel=texts["channel"] or None,
        priority=texts["priority"] or None,
        team=texts["team"] or None,
        step=every,
    )
