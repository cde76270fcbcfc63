"""What a difference is about, in words: ``first response for email/high``, ``returns window``."""

from __future__ import annotations

from charter.policy.diff._text import metric_words, rule_label, value_words
from charter.policy.diff._walk import Delta, DiffPath, navigate
from charter.policy.schema import Policy
from charter.policy.service_level import Rule

NOUNS: dict[DiffPath, str] = {
    ("vision", "reasons"): "vision reason", ("goals",): "goal", ("principles",): "principle",
    ("calendars",): "calendar", ("contact_points",): "contact point",
    ("service_levels", "rules"): "rule", ("escalation",): "escalation level",
    ("delivery",): "delivery promise", ("returns", "conditions"): "return condition",
    ("returns", "exclusions"): "return exclusion", ("complaints", "stages"): "complaint stage",
    ("staff", "roles"): "role", ("staff", "courtesy"): "courtesy standard",
    ("kpis", "targets"): "KPI", ("competitors", "benchmarks"): "benchmark",
    ("returns", "reasons"): "return reason", ("returns", "categories"): "return category rule",
    ("complaints", "tracks"): "complaint track",
}  # fmt: skip
NAMED: dict[DiffPath, str] = {
    ("returns", "window_days"): "returns window",
    ("returns", "window_starts"): "returns window starts at",
    ("returns", "fees"): "return fees",
    ("returns", "refund", "within"): "refund time",
    ("returns", "refund", "method"): "refund method",
    ("returns", "refund", "clock"): "refund clock",
    ("returns", "refund", "counts_from"): "refund time counts from",
    ("returns", "window_unit"): "returns window counts",
    ("returns", "calendar"): "returns calendar",
    ("returns", "check_order"): "order of the return checks",
    ("returns", "fee_rounding"): "restocking fee rounding",
    ("returns", "not_informed_extension"): "12 months more when not told of the right to return",
    ("returns", "countries"): "countries the returns policy applies to",
}
FIELD_WORDS = {
    "at": "threshold",
    "within": "time limit",
    "notify": "who is notified",
    "quiet_outside": "delivery hours",
    "handling_days": "handling time",
    "transit_days": "transit time",
    "window_days": "window",
    "holidays": "",
    "dates": "closed dates",
    "country": "holiday country",
    "subdivision": "holiday subdivision",
}
TARGET_FIELDS = {"within": "", "clock": " clock", "attainment": " attainment"}


def sentence(delta: Delta, old: Policy, new: Policy) -> str:
    """The change in one plain sentence, without its direction."""
    path = delta.path
    side = old if delta.kind == "removed" else new
    if len(path) == 1 and delta.kind in ("added", "removed"):
        return f"section {path[0]} {delta.kind}"
    if path[:2] == ("service_levels", "rules") and len(path) == 3:
        return _rule_sentence(delta, old, new)
    subject = subject_of(path, side)
    if path[-1].startswith("[") and delta.kind in ("added", "removed"):
        return f"{subject} {delta.kind}"
    if delta.kind == "added":
        return f"{subject} added: {value_words(delta.new, path, new)}"
    if delta.kind == "removed":
        return f"{subject} removed (was {value_words(delta.old, path, old)})"
    before, after = value_words(delta.old, path, old), value_words(delta.new, path, new)
    return f"{subject}: {before} → {after}"


def subject_of(path: DiffPath, side: Policy) -> str:
    """Words naming the thing at ``path``."""
    if path in NAMED:
        return NAMED[path]
    if path[:2] == ("service_levels", "rules") and len(path) > 3:
        return _rule_subject(path, side)
    if path[:2] == ("service_levels", "pauses") and len(path) == 3:
        return f"statuses that pause {metric_words(path[2])}"
    if path[0] == "calendars" and len(path) == 4 and path[2] in ("weekly", "special"):
        return f"hours of calendar {path[1][1:-1]} on {path[3]}"
    return _generic_subject(path)


def _rule_subject(path: DiffPath, side: Policy) -> str:
    rule = navigate(side, path[:3])
    label = rule_label(rule) if isinstance(rule, Rule) else path[2][1:-1]
    rest = path[3:]
    if rest[0] == "targets" and len(rest) == 2:
        return f"{metric_words(rest[1])} for {label}"
    if rest[0] == "targets" and len(rest) == 3 and rest[2] == "paused":
        return f"statuses that pause {metric_words(rest[1])} for {label}"
    if rest[0] == "targets" and len(rest) == 3 and rest[2] in TARGET_FIELDS:
        return f"{metric_words(rest[1])}{TARGET_FIELDS[rest[2]]} for {label}"
    if rest[0] == "when" and len(rest) == 2:
        return f"{rest[1]} condition of rule {path[2][1:-1]}"
    return f"{' '.join(_words(rest))} of rule {path[2][1:-1]}"


def _rule_sentence(delta: Delta, old: Policy, new: Policy) -> str:
    rule = delta.old if delta.kind == "removed" else navigate(new, delta.path)
    assert isinstance(rule, Rule)
    label = rule_label(rule)
    name = f"rule {rule.id}" + ("" if label == rule.id else f" ({label})")
    if delta.kind == "moved":
        return (
            f"{name} moved from position {delta.old} to {delta.new}; first match wins, "
            "so some tickets may now get a different promise"
        )
    if delta.kind == "removed":
        return f"{name} removed"
    promises = ", ".join(
        f"{metric_words(m)} {value_words(t, (), new)}" for m, t in rule.targets.items()
    )
    return f"{name} added: {promises}"


def _generic_subject(path: DiffPath) -> str:
    """``title of principle principle-own-it``; ``kpis alert after`` without an item."""
    items = [i for i, part in enumerate(path) if part.startswith("[")]
    if not items:
        return " ".join(_words(path))
    last = items[-1]
    list_path = tuple(p for p in path[:last] if not p.startswith("["))[-2:]
    noun = NOUNS.get(list_path) or NOUNS.get(list_path[-1:], " ".join(_words(list_path)))
    named = f"{noun} {path[last][1:-1]}"
    rest = path[last + 1 :]
    return f"{' '.join(_words(rest))} of {named}" if rest else named


def _words(parts: DiffPath) -> list[str]:
    words = [FIELD_WORDS.get(p, p.replace("_", " ").strip("[]")) for p in parts]
    return [w for w in words if w]
