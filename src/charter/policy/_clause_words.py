"""Policy values in plain words for the handbook: ``4 business hours on uk-support``.

Used by :mod:`charter.policy.clauses`; every value is shown in full (never cut short),
as the handbook is where staff read the whole policy.

>>> from charter.policy.units import Duration
>>> words(Duration(seconds=4 * 3600), "within")
'4h'
>>> words(0.9, "attainment"), words(["by_mail", "in_store"], "methods")
('90%', 'by mail, in store')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from charter.policy.calendar import ALWAYS, HolidaySource
from charter.policy.commitments import DayRange
from charter.policy.returns import Refund
from charter.policy.service_level import METRIC_WORDS, Action, Conditions, Target, Threshold
from charter.policy.units import Duration

SHARES = frozenset({"attainment", "restocking_fee", "pass_mark"})
LABELS = {
    "why_customers_love_us": "Why customers love us",
    "mission_link": "Serves the mission",
    "kpi": "Measured by KPI",
    "when": "Applies when",
    "at": "Due at",
    "notify": "Notifies",
    "handling_days": "Handling time",
    "transit_days": "Transit time",
    "window_days": "Return window",
    "window_starts": "Window starts at",
    "window_unit": "Window counts",
    "check_order": "Checks, in order",
    "fee_rounding": "Restocking fee rounded",
    "not_informed_extension": "12 months more when the customer was not told of the right",
    "countries": "Applies in",
    "return_country": "Items go back to",
    "bypasses_window": "Not bound by the window",
    "bypasses_exclusions": "Not bound by the exclusions",
    "waives_fees": "Pays no restocking fee",
    "counts_from": "Counted from",
    "owner_role": "Owned by role",
    "within": "Time limit",
    "cadence_months": "Months between reviews",
    "warn_days": "Reminders start (days before)",
    "stricter_factor": "Warn when stricter than every benchmark by a factor of",
    "alert_after": "Alert after missed periods in a row",
    "sla_metric": "Service-level metric",
    "quiet_outside": "Delivered",
    "acknowledge_within": "Acknowledge a version within",
    "new_staff_within": "New staff acknowledge and pass the quiz within",
    "remind_before": "Remind before the deadline",
    "pass_mark": "Pass mark",
    "questions": "Questions in a quiz",
}


def label(field: str) -> str:
    """The label shown for a field: ``window_days`` → ``Return window``."""
    return LABELS.get(field, field.replace("_", " ").capitalize())


def metric(name: str) -> str:
    return METRIC_WORDS.get(name, name.replace("_", " "))


def clock_words(clock: str) -> str:
    return "around the clock (24x7)" if clock == ALWAYS else f"on calendar {clock}"


def duration(value: Duration, clock: str) -> str:
    """``4 business hours on calendar uk-support``, ``1 day around the clock (24x7)``."""
    return f"{value.words(business=clock != ALWAYS)} {clock_words(clock)}"


def target(value: Target) -> str:
    share = f"; {value.attainment * 100:g}% of tickets" if value.attainment else ""
    return f"within {duration(value.within, value.clock)}{share}"


def words(value: Any, field: str = "") -> str:
    """Any policy value in plain words; ``""`` for nothing to show."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and field in SHARES:
        return f"{value * 100:g}%"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Duration | Threshold | dt.date):
        return str(value)
    if isinstance(value, str):
        return value.replace("_", " ") if value.isidentifier() and "_" in value else value
    if isinstance(value, tuple):
        return "–".join(str(part) for part in value)
    if isinstance(value, list):
        return ", ".join(words(item, field) for item in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{_key(key)}: {words(item, field) or 'none'}" for key, item in value.items()
        )
    if isinstance(value, BaseModel):
        return model(value)
    return str(value)


def model(value: BaseModel) -> str:
    """A nested part of the policy (a target, a condition set, a refund) in words."""
    if isinstance(value, Target):
        return target(value)
    if isinstance(value, DayRange):
        span = f"{value.min}" if value.min == value.max else f"{value.min}–{value.max}"
        return f"{span} business day{'' if value.max == 1 else 's'}"
    if isinstance(value, Conditions):
        return conditions(value)
    if isinstance(value, Refund):
        method = words(value.method)
        return f"{method}, within {duration(value.within, value.clock)}"
    if isinstance(value, HolidaySource):
        return holidays(value)
    if isinstance(value, Action):
        return action(value)
    shown = [
        f"{label(name)} {words(getattr(value, name), name)}" for name in type(value).model_fields
    ]
    return "; ".join(shown)


def conditions(value: Conditions) -> str:
    if value.is_catch_all():
        return "every ticket"
    parts = [
        f"{name} is {' or '.join(items)}"
        for name, items in value.model_dump().items()
        if items is not None
    ]
    return "; ".join(parts)


def holidays(value: HolidaySource) -> str:
    parts = []
    if value.country:
        place = f"{value.country} ({value.subdivision})" if value.subdivision else value.country
        parts.append(f"public holidays of {place}")
    if value.dates:
        parts.append("also " + ", ".join(d.isoformat() for d in value.dates))
    return "; ".join(parts) or "none"


def quiet_outside(calendar: str) -> str:
    """When an escalation level that keeps quiet outside ``calendar`` is delivered."""
    return (
        f"only while calendar {calendar} is open; what falls due outside its hours is "
        "delivered at its next opening"
    )


def action(value: Action) -> str:
    parts = ["raise the priority one step"] if value.raise_priority else []
    if value.reassign_to:
        parts.append(f"reassign to {value.reassign_to}")
    return "; ".join(parts) or "none"


def _key(key: Any) -> str:
    if isinstance(key, dt.date):
        return key.isoformat()
    return metric(str(key)) if str(key) in METRIC_WORDS else str(key)
