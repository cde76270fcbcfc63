"""How much a raw difference matters (major or minor), in which direction, and in words."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast

from pydantic import BaseModel

from charter.policy.calendar import ALWAYS, day_seconds
from charter.policy.commitments import DayRange
from charter.policy.diff._walk import Delta, DiffPath, navigate
from charter.policy.schema import Policy
from charter.policy.service_level import (
    METRIC_WORDS,
    Metric,
    Rule,
    Target,
    Threshold,
)
from charter.policy.units import Duration

Level = Literal["major", "minor"]
Direction = Literal["stronger", "weaker"]

# Wording and internal matters; everything else (promises to customers) is major.
MINOR: tuple[DiffPath, ...] = (
    ("organisation", "**"), ("vision", "**"), ("goals", "**"), ("principles", "**"),
    ("calendars", "[*]", "name"), ("contact_points", "[*]", "name"),
    ("service_levels", "rules", "[*]", "name"), ("escalation", "[*]", "notify"),
    ("escalation", "[*]", "quiet_outside"),
    ("delivery", "[*]", "region"), ("delivery", "[*]", "method"),
    ("complaints", "how_to_complain"), ("complaints", "external_body"),
    ("complaints", "stages", "[*]", "name"), ("complaints", "stages", "[*]", "owner_role"),
    ("complaints", "opens_on", "**"),
    ("staff", "**"), ("kpis", "**"), ("review", "**"), ("competitors", "**"), ("*", "id"),
    ("training", "**"), ("surveys", "**"),
)  # fmt: skip
# Sections that promise customers nothing: coming or going is minor (training is the
# team's; a survey asks the customer, it promises nothing).
INTERNAL = frozenset({"training", "surveys"})
SHARES = frozenset({"attainment", "restocking_fee"})


def matches(path: DiffPath, pattern: DiffPath) -> bool:
    """``*`` matches one part, ``[*]`` one list item, a final ``**`` the rest."""
    if pattern and pattern[-1] == "**":
        head = pattern[:-1]
        return len(path) >= len(head) and matches(path[: len(head)], head)
    if len(path) != len(pattern):
        return False
    return all(
        want == part or want == "*" or (want == "[*]" and part.startswith("["))
        for part, want in zip(path, pattern, strict=True)
    )


def level_of(delta: Delta) -> Level:
    """Major when a promise to customers changed or a section came or went."""
    if (
        len(delta.path) == 1
        and delta.kind in ("added", "removed")
        and delta.path[0] not in INTERNAL
    ):
        return "major"
    return "minor" if any(matches(delta.path, p) for p in MINOR) else "major"


def rule_label(rule: Rule) -> str:
    """``email/high``, ``urgent``, ``all tickets``, or the rule id when conditions are many."""
    when = rule.when
    if when.is_catch_all():
        return "all tickets"
    others = (when.segment, when.category, when.tags)
    lists = [v for v in (when.channel, when.priority) if v is not None]
    if any(o is not None for o in others) or any(len(v) != 1 for v in lists):
        return rule.id
    return "/".join(v[0] for v in lists)


# Returns settings whose values are words joined by underscores (half_up, working_days).
RETURNS_WORDS = frozenset({"window_unit", "window_starts", "check_order", "fee_rounding",
                           "counts_from", "fees", "method"})  # fmt: skip
# Settings whose one value is the customer's side: changing to it is stronger.
STRONGER_VALUE: dict[DiffPath, object] = {
    ("returns", "not_informed_extension"): True,
    ("returns", "fee_rounding"): "down",
    ("returns", "refund", "counts_from"): "earlier_of_received_or_evidence",
}


def direction_of(delta: Delta, old: Policy, new: Policy) -> Direction | None:
    """Whether a change is stronger or weaker for customers, where that is clear."""
    path, field = delta.path, delta.path[-1]
    if field == "paused" and _is_target(path):
        return _pause_direction(delta, old, new)
    if delta.kind == "changed" and field == "within":
        clocks = {getattr(navigate(p, path[:-1]), "clock", None) for p in (old, new)}
        return _durations(delta.old, delta.new) if len(clocks) == 1 else None
    if delta.kind == "changed" and field == "attainment":
        return _numbers(delta.old or 1.0, delta.new or 1.0, higher_is_stronger=True)
    if path == ("returns", "window_days"):
        units = {p.returns.window_unit if p.returns else None for p in (old, new)}
        return _numbers(delta.old, delta.new, True) if len(units) == 1 else None
    if path == ("returns", "restocking_fee"):
        return _numbers(delta.old or 0.0, delta.new or 0.0, higher_is_stronger=False)
    if path in STRONGER_VALUE:
        better = STRONGER_VALUE[path]
        return "stronger" if delta.new == better else "weaker" if delta.old == better else None
    if path == ("returns", "fees"):
        return "stronger" if delta.new == "free" else "weaker" if delta.old == "free" else None
    if isinstance(delta.old, DayRange) and isinstance(delta.new, DayRange):
        lows = _numbers(delta.old.min, delta.new.min, higher_is_stronger=False)
        highs = _numbers(delta.old.max, delta.new.max, higher_is_stronger=False)
        found = {d for d in (lows, highs) if d is not None}
        return found.pop() if len(found) == 1 else None
    return _listed(delta)


def _is_target(path: DiffPath) -> bool:
    return len(path) == 6 and path[:2] == ("service_levels", "rules") and path[3] == "targets"


def _effective_pauses(value: Any, path: DiffPath, side: Policy) -> list[str]:
    """A target's ``paused`` value as the statuses that stop its clock: its own list,
    or (absent) the policy's pauses for the metric."""
    if value is not None:
        return list(value)
    return list(side.service_levels.pause_statuses(cast(Metric, path[4])))


def _pause_words(value: Any, path: DiffPath, side: Policy) -> str:
    statuses = [s.replace("_", " ") for s in _effective_pauses(value, path, side)]
    listed = ", ".join(statuses) if statuses else "never paused"
    return f"the policy's pauses ({listed})" if value is None else listed


def _own_pauses(target: Target) -> str:
    """``, paused in pending`` or ``, never paused`` for a target naming its own pauses."""
    if target.paused is None:
        return ""
    statuses = ", ".join(s.replace("_", " ") for s in target.paused)
    return f", paused in {statuses}" if statuses else ", never paused"


def _pause_direction(delta: Delta, old: Policy, new: Policy) -> Direction | None:
    """Pausing in more statuses is weaker for customers; in fewer, stronger."""
    before = set(_effective_pauses(delta.old, delta.path, old))
    after = set(_effective_pauses(delta.new, delta.path, new))
    return "weaker" if after > before else "stronger" if after < before else None


def _listed(delta: Delta) -> Direction | None:
    path = delta.path
    added = {"added": True, "removed": False}.get(delta.kind)
    if len(path) == 3 and path[:2] in (("returns", "conditions"), ("returns", "exclusions")):
        return None if added is None else "weaker" if added else "stronger"
    promise = len(path) == 5 and path[:2] == ("service_levels", "rules") and path[3] == "targets"
    if (len(path) == 2 and path[0] == "contact_points") or promise:
        return None if added is None else "stronger" if added else "weaker"
    if len(path) == 4 and path[0] == "calendars" and path[2:] == ("holidays", "dates"):
        closed_before, closed_after = set(delta.old), set(delta.new)
        more = closed_after > closed_before
        fewer = closed_after < closed_before
        return "weaker" if more else "stronger" if fewer else None
    if len(path) == 4 and path[0] == "calendars" and path[2] == "weekly":
        before = day_seconds(delta.old or [])
        return _numbers(before, day_seconds(delta.new or []), higher_is_stronger=True)
    return None


def _durations(old: Duration, new: Duration) -> Direction | None:
    if old.is_working_days != new.is_working_days:
        return None
    return _numbers(old.working_days or old.seconds, new.working_days or new.seconds, False)


def _numbers(old: float, new: float, higher_is_stronger: bool) -> Direction | None:
    if old == new:
        return None
    return "stronger" if (new > old) == higher_is_stronger else "weaker"


def value_words(value: Any, path: DiffPath, side: Policy) -> str:
    """A policy value in plain words, using the clock of the target it belongs to."""
    field = path[-1] if path else ""
    if field == "paused" and _is_target(path):
        return _pause_words(value, path, side)
    if field == "quiet_outside" and path[0] == "escalation":
        return f"only while calendar {value} is open" if value else "as soon as due"
    if value is None:
        condition = len(path) > 1 and path[-2] == "when"
        return "every ticket" if field == "attainment" else "any" if condition else "none"
    if isinstance(value, Duration):
        clock = getattr(navigate(side, path[:-1]), "clock", ALWAYS)
        return value.words(business=clock != ALWAYS)
    if isinstance(value, Target):
        share = f" ({value.attainment * 100:g}% of tickets)" if value.attainment else ""
        return value.within.words(business=value.clock != ALWAYS) + share + _own_pauses(value)
    if isinstance(value, float) and field in SHARES:
        return f"{value * 100:g}%"
    if field == "window_days":
        working = side.returns is not None and side.returns.window_unit == "working_days"
        return f"{value} {'working day' if working else 'day'}{'' if value == 1 else 's'}"
    if path[:1] == ("returns",) and path[-1] in RETURNS_WORDS:
        return _plain_words(value, path).replace("_", " ")
    return _plain_words(value, path)


def _plain_words(value: Any, path: DiffPath) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, DayRange):
        span = f"{value.min}" if value.min == value.max else f"{value.min}–{value.max}"
        return f"{span} business day{'' if value.max == 1 else 's'}"
    if isinstance(value, tuple):
        return "-".join(str(v) for v in value)
    if isinstance(value, list):
        shown = [_plain_words(v, path) for v in value]
        return ", ".join(shown) if shown else ("closed" if "weekly" in path else "none")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain_words(v, path)}" for k, v in value.items())
    if isinstance(value, BaseModel):
        return str(getattr(value, "id", "")) or _model_words(value)
    if isinstance(value, Threshold | dt.date):
        return str(value)
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _model_words(value: BaseModel) -> str:
    fields = value.model_dump(exclude_defaults=True)
    return ", ".join(f"{k.replace('_', ' ')} {_plain_words(v, ())}" for k, v in fields.items())


def metric_words(metric: str) -> str:
    return METRIC_WORDS.get(metric, metric.replace("_", " "))
