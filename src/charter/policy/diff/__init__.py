"""What changed between two versions of a policy, and whether it matters to customers.

>>> from charter.policy import load_policy_text
>>> def policy(hours: str):
...     text = f'''
... organisation: {{name: Acme, mission: Delight}}
... calendars: [{{id: support, timezone: Europe/London, weekly: {{mon: ["09:00-17:00"]}}}}]
... service_levels:
...   rules:
...     - id: sl-email-high
...       when: {{channel: [email], priority: [high]}}
...       targets: {{first_response: {{within: {hours}, clock: support}}}}
... '''
...     return load_policy_text(text).policy
>>> [change] = diff(policy("4h"), policy("2h"))
>>> change.path
'service_levels.rules[sl-email-high].targets.first_response.within'
>>> change.text
'first response for email/high: 4 business hours → 2 business hours (stronger for customers)'
>>> change.level, change.kind
('major', 'changed')

**Major** changes alter a promise to customers: service-level targets (time,
clock, attainment), rule conditions, the order of rules (first match wins, so a
reorder is major and reported as ``moved``), rules added or removed, calendars'
hours, holidays and timezone, contact points, delivery day ranges, cut-offs and
costs, the returns window, fees, conditions, exclusions and refund, complaint
stages' limits, escalation thresholds, levels and actions, and any section added
or removed. **Minor** changes are wording and internal matters: names, the text
of the vision, mission, goals and principles, staff roles and courtesy, KPI
targets, the review cadence, competitor benchmarks, training (deadlines, pass mark)
and the survey after a solve (adding or removing either section too), escalation
recipients and the hours an escalation is delivered in (``quiet_outside``: staff are
told later, the customer's promise is the same).

A major change with a direction says whether it is *stronger* for customers
(a shorter time, a higher attainment, a longer returns window, longer opening
hours, another contact point) or *weaker*; every other change is *neutral*
(``Change.effect``). The web diff colours each row by it and ``charter diff``
each line, always with the words too. Changes come in the schema's section order, which is the
order of the example policy; list items are named by id, not position.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

from pydantic import BaseModel

from charter.policy.diff._subject import sentence
from charter.policy.diff._text import Direction, Level, direction_of, level_of, rule_label
from charter.policy.diff._walk import Delta, DiffPath, Kind, walk
from charter.policy.schema import Policy
from charter.policy.service_level import Threshold
from charter.policy.units import Duration

Effect = Literal["stronger", "weaker", "neutral"]

__all__ = [
    "Change", "Direction", "Effect", "Kind", "Level", "Summary", "diff", "effects",
    "render_text", "rule_label", "summarize",
]  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One change between two versions, with its path, weight and a sentence."""

    path: str
    kind: Kind
    level: Level
    old: Any
    new: Any
    text: str
    direction: Direction | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready mapping: ``{"path": ..., "kind": ..., "level": ..., ...}``."""
        return asdict(self)

    @property
    def effect(self) -> Effect:
        """``stronger`` or ``weaker`` for customers, ``neutral`` when neither is clear
        (every minor change, and a major one without a direction)."""
        return self.direction or "neutral"

    @property
    def effect_words(self) -> str:
        """The effect in words, shown beside its colour: ``stronger for customers``."""
        return f"{self.effect} for customers"

    @property
    def sentence(self) -> str:
        """``text`` without its ``(stronger for customers)``, for a page that shows the
        effect in a column of its own."""
        if self.direction is None:
            return self.text
        return self.text.removesuffix(f" ({self.direction} for customers)")


@dataclass(frozen=True)
class Summary:
    """How many changes of each level a diff holds."""

    major: int
    minor: int

    @property
    def total(self) -> int:
        return self.major + self.minor

    def __str__(self) -> str:
        if not self.total:
            return "no changes"
        parts = [_count(self.major, "major"), _count(self.minor, "minor")]
        return ", ".join(p for p in parts if p)


def diff(old: Policy, new: Policy) -> list[Change]:
    """Every change from ``old`` to ``new``, by section in document order."""
    return [_change(delta, old, new) for delta in walk(old, new)]


def summarize(changes: list[Change]) -> Summary:
    """Count the major and minor changes.

    >>> str(summarize([]))
    'no changes'
    """
    major = sum(1 for c in changes if c.level == "major")
    return Summary(major=major, minor=len(changes) - major)


def effects(changes: list[Change]) -> str:
    """How many changes are stronger and weaker for customers, in words; empty when none
    has a direction.

    >>> effects([])
    ''
    """
    counts = {d: sum(c.direction == d for c in changes) for d in ("stronger", "weaker")}
    parts = [f"{n} {d}" for d, n in counts.items() if n]
    return f"for customers: {', '.join(parts)}" if parts else ""


def render_text(changes: list[Change]) -> str:
    """A summary line, then one line per change: level, sentence and path.

    >>> print(render_text([]))
    no changes
    """
    lines = [str(summarize(changes))]
    lines += [f"{c.level:<5}  {c.text}  [{c.path}]" for c in changes]
    return "\n".join(lines)


def _change(delta: Delta, old: Policy, new: Policy) -> Change:
    level = level_of(delta)
    text = sentence(delta, old, new)
    direction = direction_of(delta, old, new) if level == "major" else None
    if direction is not None:
        text += f" ({direction} for customers)"
    return Change(
        path=render(delta.path),
        kind=delta.kind,
        level=level,
        old=jsonable(delta.old),
        new=jsonable(delta.new),
        text=text,
        direction=direction,
    )


def render(path: DiffPath) -> str:
    """``("service_levels", "rules", "[a]", "when")`` → ``service_levels.rules[a].when``."""
    out = ""
    for part in path:
        out += part if part.startswith("[") or not out else f".{part}"
    return out


def jsonable(value: Any) -> Any:
    """A policy value as plain JSON data, in the form the YAML file uses."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Duration | Threshold):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "-".join(str(v) for v in value)
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _count(number: int, level: str) -> str:
    return f"{number} {level} change{'' if number == 1 else 's'}" if number else ""
