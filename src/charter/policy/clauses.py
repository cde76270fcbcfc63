"""The policy as an ordered list of clauses, each with the id the handbook links to.

A clause id is made from the clause's place in the policy document: ``<section>``
for a section (``returns``), ``<section>.<item id>`` for an item of a section that is
a list (``contact_points.cp-email``), ``<section>.<list>.<item id>`` for an item of a
list inside a section (``service_levels.rules.sl-email-high``). Every surface that
cites a clause builds its link the same way: ``/handbook#<clause id>``.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: Acme, mission: Delight}
... principles: [{id: own-it, title: Own it, text: See it through.}]
... ''').policy
>>> [(c.id, c.heading) for c in clauses(policy)][1:3]
[('principles', 'Principles'), ('principles.own-it', 'Own it')]
>>> print(clauses(policy)[2].body)
See it through.
>>> clause_of("principles[own-it].text", {"principles", "principles.own-it"})
'principles.own-it'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from charter.policy import _clause_words as w
from charter.policy import complaint_words
from charter.policy.complaints import Complaints
from charter.policy.diff import diff
from charter.policy.people import MEASURABLE_KPIS, KpiTarget
from charter.policy.schema import Policy
from charter.policy.service_level import Target
from charter.policy.surveys import SURVEY_WORDS, Surveys

SECTIONS = {
    "organisation": "Organisation", "vision": "Vision", "goals": "Goals",
    "principles": "Principles", "calendars": "Opening hours", "contact_points": "Contact points",
    "service_levels": "Service levels", "escalation": "Escalation", "delivery": "Delivery",
    "returns": "Returns and refunds", "complaints": "Complaints", "surveys": "Surveys",
    "staff": "Staff",
    "kpis": "KPI targets", "review": "Review", "training": "Training",
    "competitors": "Competitor benchmarks",
}  # fmt: skip
# What one item of each list is called, for items without a name or title of their own.
NOUNS = {
    "reasons": "Reason", "goals": "Goal", "conditions": "Condition", "exclusions": "Exclusion",
    "courtesy": "Courtesy standard", "categories": "Category rule",
}  # fmt: skip
HIDDEN = frozenset({"id", "charter"})


@dataclass(frozen=True)
class Fact:
    """One line of a clause: a label (empty for running text) and its value in words."""

    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label}: {self.value}" if self.label else self.value


@dataclass(frozen=True)
class Clause:
    """A section or an item of the policy, in document order (``position`` from 0)."""

    id: str
    section: str
    heading: str
    facts: tuple[Fact, ...]
    position: int

    @property
    def is_section(self) -> bool:
        return self.id == self.section

    @property
    def body(self) -> str:
        """The clause as plain text, one fact a line: what the search index holds."""
        return "\n".join(str(fact) for fact in self.facts)


def clauses(policy: Policy) -> list[Clause]:
    """Every clause of ``policy`` in document order: each section, then its items."""
    found: list[Clause] = []
    for section in SECTIONS:
        value = getattr(policy, section)
        if value is None or value == []:
            continue
        for clause_id, heading, facts in _section(section, value):
            found.append(Clause(clause_id, section, heading, tuple(facts), len(found)))
    return found


def clause_of(path: str, known: set[str] | frozenset[str]) -> str | None:
    """The clause a diff path belongs to: the longest known clause id that prefixes it.

    ``service_levels.rules[sl-a].targets.resolution.within`` belongs to
    ``service_levels.rules.sl-a``; a removed item belongs to its section.
    """
    dotted = path.replace("[", ".").replace("]", "")
    best = None
    for end, char in enumerate(dotted + "."):
        if char == "." and dotted[:end] in known:
            best = dotted[:end]
    return best


@dataclass(frozen=True)
class Mark:
    """The latest version in which a clause's content changed; ``added`` if it was new."""

    version: int
    added: bool


def changed_in(chain: Sequence[tuple[int, Policy]]) -> dict[str, Mark]:
    """Mark each clause of the last policy of ``chain`` with the latest version that changed it.

    ``chain`` is ``(version number, policy)`` in order; each version is compared with
    the one before it by the semantic diff. Clauses of the first version that never
    changed carry no mark.
    """
    found: dict[str, Mark] = {}
    for (_, old), (number, new) in itertools.pairwise(chain):
        before, after = _ids(old), _ids(new)
        for change in diff(old, new):
            clause = clause_of(change.path, after)
            if clause is not None:
                found[clause] = Mark(number, clause not in before)
    last = _ids(chain[-1][1]) if chain else frozenset()
    return {clause: mark for clause, mark in found.items() if clause in last}


def _ids(policy: Policy) -> frozenset[str]:
    return frozenset(clause.id for clause in clauses(policy))


Entry = tuple[str, str, list[Fact]]


def _section(name: str, value: Any) -> Iterator[Entry]:
    if isinstance(value, list):
        yield name, SECTIONS[name], []
        yield from _items(name, name, value)
        return
    assert isinstance(value, BaseModel)
    yield name, SECTIONS[name], _facts(value)
    section = value if isinstance(value, Complaints) else None
    for field in type(value).model_fields:
        items = getattr(value, field)
        if _is_item_list(items):
            yield from _items(f"{name}.{field}", field, items, section)


def _items(
    prefix: str, kind: str, items: list[Any], section: Complaints | None = None
) -> Iterator[Entry]:
    for number, item in enumerate(items, start=1):
        yield f"{prefix}.{item.id}", _heading(kind, item, number), _facts(item, section)


def _is_item_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(getattr(v, "id", None), str) for v in value)
    )


def _heading(kind: str, item: Any, number: int) -> str:
    """The name people know the item by, else what it is and its place."""
    if kind == "benchmarks":
        channel = f" ({item.channel})" if item.channel else ""
        return f"{item.competitor}: {w.metric(item.metric)}{channel}"
    for field in ("name", "title"):
        found = getattr(item, field, None)
        if isinstance(found, str):
            return found
    if kind in ("calendars", "rules", "targets"):
        return str(item.id)
    if kind == "escalation":
        return f"Level {item.level} for {w.metric(item.metric)}, at {item.at}"
    if kind == "delivery":
        return f"{item.region}, {item.method}"
    if kind == "contact_points":
        return f"{item.channel}: {item.address}"
    return f"{NOUNS.get(kind, kind.replace('_', ' ').capitalize())} {number}"


def _facts(value: BaseModel, section: Complaints | None = None) -> list[Fact]:
    fields = type(value).model_fields
    shown = [f for f in fields if f not in HIDDEN and f not in ("name", "title")]
    facts: list[Fact] = []
    for field in shown:
        item = getattr(value, field)
        said = complaint_words.staff_facts(value, field, item, section)
        if said is not None:  # the complaint procedure's own wording
            facts += [Fact(label, text) for label, text in said]
            continue
        if _is_item_list(item) or item is None or item == [] or item == {}:
            continue
        if field == "clock" and "within" in fields:
            continue  # said with the time limit
        if field in ("statistic", "clock") and _measures_no_time(value):
            continue  # defaults that mean nothing for a share, score or count
        facts += _field_facts(value, field, item)
    return facts


def _target(target: Target) -> str:
    """A target in words, with its own pauses when it names them (they replace the
    policy-wide ones for its rule's metric): ``...; its clock never pauses``."""
    said = w.target(target)
    if target.paused is None:
        return said
    if not target.paused:
        return f"{said}; its clock never pauses (this rule's own pauses)"
    return f"{said}; its clock pauses in {w.words(target.paused)} (this rule's own pauses)"


def _overridden(owner: BaseModel) -> str:
    """What to add to the policy-wide pauses when some targets name their own."""
    rules = getattr(owner, "rules", [])
    own = [
        f"{rule.id} ({w.metric(metric)})"
        for rule in rules
        for metric, target in rule.targets.items()
        if target.paused is not None
    ]
    return f"; except where a target names its own: {', '.join(own)}" if own else ""


def _measures_no_time(value: BaseModel) -> bool:
    return isinstance(value, KpiTarget) and MEASURABLE_KPIS.get(value.metric) != "duration"


def _field_facts(owner: BaseModel, field: str, value: Any) -> list[Fact]:
    if field == "text":
        return [Fact("", value)]
    if field == "targets" and isinstance(value, dict):
        return [Fact(w.metric(m).capitalize(), _target(t)) for m, t in value.items()]
    if field == "pauses" and isinstance(value, dict):
        paused = {m: s for m, s in value.items() if s}
        if not paused:
            return []
        return [Fact("Clocks pause", w.words(paused) + _overridden(owner))]
    if field == "within":
        return [Fact(w.label(field), w.duration(value, getattr(owner, "clock", "24x7")))]
    if isinstance(owner, Surveys):
        return [_survey_fact(field, value)]
    if field in ("acknowledge_within", "new_staff_within", "remind_before"):
        return [Fact(w.label(field), w.duration(value, getattr(owner, "calendar", "24x7")))]
    if field in ("weekly", "special") and isinstance(value, dict):
        days = "; ".join(f"{w.words(k)}: {w.words(v) or 'closed'}" for k, v in value.items())
        return [Fact(w.label(field), days)]
    if field == "window_days":
        return [Fact(w.label(field), f"{value} day{'' if value == 1 else 's'}")]
    if field == "quiet_outside":
        return [Fact(w.label(field), w.quiet_outside(value))]
    if field == "responsibilities":
        return [Fact("Responsible for", " ".join(value))]
    return [Fact(w.label(field), w.words(value, field))]


def _survey_fact(field: str, value: Any) -> Fact:
    if field == "kind":
        return Fact("Asks", SURVEY_WORDS[value])
    if field in ("after", "valid_for"):
        label = "Sent after the solve" if field == "after" else "Its link works for"
        return Fact(label, value.words(business=False))
    if field == "reasons":
        return Fact("Reasons offered for a bad score", w.words(value, field))
    return Fact(w.label(field), w.words(value, field))
