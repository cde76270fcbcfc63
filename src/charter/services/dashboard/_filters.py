"""The dashboard's filters, read from a page's query: period, groups and trend step.

The period comes from the date picker's ``from`` and ``to`` when either is given, else
from ``period`` (a preset such as ``last-28-days``, or a period as ``parse_period``
reads it), else it is the last 28 days; it is resolved on ``today``, the business's
date, and cut there.

>>> parse_filters({"period": "last-month"}, dt.date(2026, 12, 7)).period.label
'November 2026'
>>> parse_filters({"from": "2026-11-01", "to": "2026-12-31"}, dt.date(2026, 12, 7)).period.text
'2026-11-01..2026-12-07'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from charter.errors import InvalidInput
from charter.services.dashboard._period import (
    DAILY_UP_TO,
    DEFAULT_PRESET,
    MAX_TEXT,
    MONTHS,
    PRESETS,
    STEPS,
    Period,
    Step,
    day_of,
    day_words,
    days_between,
    month_of,
    parse_period,
    preset,
)

__all__ = ["MONTHS", "Filters", "Period", "Step", "month_of", "parse_filters", "parse_period"]

FIELDS = ("period", "from", "to", "channel", "priority", "team", "every")


@dataclass(frozen=True)
class Filters:
    """What the page asked for, its period resolved; ``preset`` names the preset that
    chose the period (its link keeps the days relative to today)."""

    period: Period
    channel: str | None = None
    priority: str | None = None
    team: str | None = None
    step: Step | None = None
    preset: str | None = None

    def query(self, **changes: object) -> dict[str, str]:
        """These filters (with ``changes``) as URL query values, empty ones left out; a
        changed period drops the preset, and ``preset=None`` writes the days themselves."""
        if "period" in changes:
            changes.setdefault("preset", None)
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        values = {
            "period": chosen.preset or chosen.period.text,
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
        risk and none breached); ``open_only``: not solved; ``period``: created then
        (written as its days, so the list counts the same days the figure did)."""
        values = {
            "state": "open" if open_only else None, "worst": worst,
            "period": period.text if period else None,
            "channel": self.channel, "priority": self.priority, "team": self.team,
        }  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}


def default_filters(today: dt.date) -> Filters:
    """The view a page opens on: the last 28 days up to ``today``."""
    return Filters(preset(DEFAULT_PRESET, today), preset=DEFAULT_PRESET)


def parse_filters(query: Mapping[str, str], today: dt.date) -> Filters:
    """The filters in a page's query, the period resolved on ``today`` (the business's
    date); a bad value raises ``InvalidInput`` naming it."""
    texts = {key: (query.get(key) or "").strip() for key in FIELDS}
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
    period, named = _period(texts, today)
    _check_step(every, period)
    return Filters(
        period=period,
        # Groups are one whatever their case ("Tier-1" and "tier-1"), as the ticket list
        # matches them: the aggregates hold them in lower case.
        channel=texts["channel"].lower() or None,
        priority=texts["priority"].lower() or None,
        team=texts["team"].lower() or None,
        step=every,
        preset=named,
    )


def _period(texts: Mapping[str, str], today: dt.date) -> tuple[Period, str | None]:
    """The asked period cut at ``today``, and the preset that named it."""
    if texts["from"] or texts["to"]:
        if not texts["from"]:
            raise InvalidInput(
                "from: give the first day of the range as well as its last (to)",
                [{"field": "from", "problem": "missing"}],
            )
        last = texts["to"] or max(today, day_of("from", texts["from"])).isoformat()
        asked, field = days_between(("from", "to"), texts["from"], last), "from"
    elif texts["period"] in PRESETS:
        return preset(texts["period"], today), texts["period"]
    elif texts["period"]:
        asked, field = parse_period(texts["period"]), "period"
    else:
        return preset(DEFAULT_PRESET, today), DEFAULT_PRESET
    if asked.start > today:
        raise InvalidInput(
            f"{field}: {asked.label} starts after today ({day_words(today)} on the "
            "business's clock); choose days up to today",
            [{"field": field, "problem": "starts after today"}],
        )
    return asked.up_to(today), None


def _check_step(every: str | None, period: Period) -> None:
    if every != "day":
        return
    if period.kind == "year":
        raise InvalidInput(
            "every: a year is shown week by week (365 daily points do not read as a "
            "trend); choose week, or a quarter or shorter period for daily steps",
            [{"field": "every", "problem": "day steps over a year"}],
        )
    if period.kind == "days" and period.days > DAILY_UP_TO:
        raise InvalidInput(
            f"every: {period.days} days are shown week by week (daily points over more "
            f"than {DAILY_UP_TO} days do not read as a trend); choose week, or fewer days",
            [{"field": "every", "problem": "day steps over a long range"}],
        )
