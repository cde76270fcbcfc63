"""What a new version of the policy asks of one member of staff: acknowledge, a notice, or
nothing.

Trainual asks everyone to re-sign after any edit, even a typo. Charter reads the
semantic diff instead (``charter.policy.diff``) and asks a person to acknowledge again
only when a *material* change *concerns* them:

- no previous version → ``acknowledge`` (the whole version is new to them);
- no change at all (a review that changes nothing) → ``keep``: nothing is sent;
- a material change that concerns them → ``acknowledge``, listing exactly those changes;
- anything else (minor changes only, or material ones in sections that are not theirs)
  → ``notice``: a "what changed" message; their acknowledgment stands.

``decide`` compares the two versions it is given: the one before ``new`` along the chain
of versions in force, or the one the person last acknowledged.

>>> from charter.policy import load_policy_text
>>> def policy(courtesy: str):
...     return load_policy_text(f'''
... organisation: {{name: Acme, mission: Delight}}
... staff: {{courtesy: [{{id: courtesy-name, text: "{courtesy}"}}]}}
... ''').policy
>>> old = policy("Greet the customer by name.")
>>> decide(old, policy("Greet the custmer by name."), Person("agent")).outcome  # a typo
'notice'
>>> decide(policy("Greet the custmer by name."), old, Person("agent")).outcome  # its fix
'notice'
>>> decide(old, policy("Greet the customer."), Person("agent")).outcome
'acknowledge'
>>> decide(old, old, Person("agent")).outcome
'keep'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from charter.policy import Policy
from charter.policy.diff import Change, diff

__all__ = ["Decision", "Outcome", "Person", "concerns", "decide", "is_material", "is_typo_fix"]

Outcome = Literal["acknowledge", "notice", "keep"]
Parts = tuple[str, ...]

EVERYONE = frozenset({"returns", "delivery"})
NEVER = frozenset(
    {"charter", "organisation", "vision", "goals", "principles", "kpis", "review",
     "training", "competitors"}
)  # fmt: skip
NEGATIONS = frozenset(
    {"not", "never", "no", "without", "unless", "cannot", "nor", "neither", "none",
     "nothing", "nobody", "nowhere"}
)  # fmt: skip
# Words that carry a quantity or a time of day: "two" → "ten" is two edits but no typo.
QUANTITIES = frozenset(
    {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
     "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "hundred",
     "thousand", "first", "second", "third", "fourth", "fifth", "last", "once", "twice",
     "half", "am", "pm", "min", "max"}
)  # fmt: skip
_PART = re.compile(r"\[[^\]]*\]|[^.\[]+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_NUMBER = re.compile(r"[$£€¥₹]?\d+(?:[.,:]\d+)*%?")


@dataclass(frozen=True)
class Person:
    """A member of staff as the rule sees them: their role and the channels they answer."""

    role: str | None = None  # the policy's staff role id (agent, team-lead), or None
    channels: frozenset[str] = frozenset()  # channels they answer; empty = every channel

    def answers(self, channels: list[str] | None) -> bool:
        """Whether they answer any of ``channels`` (None: a rule without a channel)."""
        return channels is None or not self.channels or bool(self.channels & set(channels))


@dataclass(frozen=True)
class Decision:
    """What a new version asks of one person, and why."""

    outcome: Outcome
    concerning: tuple[Change, ...] = ()  # the material changes that concern them
    changes: tuple[Change, ...] = ()  # every change between the versions (for a notice)


def decide(old: Policy | None, new: Policy, person: Person) -> Decision:
    """Acknowledge, notice or keep: see the module's rule."""
    if old is None:
        return Decision("acknowledge")
    changes = tuple(diff(old, new))
    if not changes:
        return Decision("keep")
    concerning = tuple(c for c in changes if is_material(c) and concerns(c, old, new, person))
    return Decision("acknowledge" if concerning else "notice", concerning, changes)


def concerns(change: Change, old: Policy, new: Policy, person: Person) -> bool:
    """Whether ``change`` is in a part of the policy that is ``person``'s to know.

    Their channels' service-level rules (and rules without a channel condition), the
    pauses, their channels' contact points and the calendars their things run on,
    returns and delivery, the first complaint stage and stages their role owns,
    escalation levels that notify their role, courtesy, their own role. A thing counts
    when it is theirs in the old version or in the new one.
    """
    parts = parts_of(change.path)
    if parts[0] in EVERYONE:
        return True
    if parts[0] in NEVER:
        return False
    test = _CONCERNS.get(parts[0])
    return test is not None and any(test(parts, side, person) for side in (old, new))


def is_material(change: Change) -> bool:
    """Major in the diff, or a change to what staff themselves are told to do.

    The staff-facing parts the diff calls minor (courtesy text, a role's
    responsibilities, who an escalation level notifies, which role owns a complaint
    stage) are material unless the change is a typo fix of prose; a changed role id or
    address names someone else, so it is never a typo fix.
    """
    if change.level == "major":
        return True
    parts = parts_of(change.path)
    if _matches(parts, ("staff", "courtesy", "[]", "text")) or _matches(
        parts, ("staff", "roles", "[]", "responsibilities")
    ):
        return not _typo_fixed(change.old, change.new)
    return (
        _matches(parts, ("staff", "courtesy", "[]"))
        or _matches(parts, ("staff", "roles", "[]"))
        or _matches(parts, ("escalation", "[]", "notify"))
        or _matches(parts, ("complaints", "stages", "[]", "owner_role"))
    )


def is_typo_fix(old: str, new: str) -> bool:
    """Whether ``new`` only corrects the spelling of ``old``.

    Same numbers, same negations, the same number of words, and every changed word
    (compared after folding case and punctuation) within Damerau-Levenshtein distance
    2 of its replacement (1 for words of up to four letters: "all" → "any" is two
    edits and a new meaning). Words that carry a quantity ("two", "first", "pm") or
    hold a digit must stay as they were.

    >>> is_typo_fix("We recieve returns", "We receive returns")
    True
    >>> is_typo_fix("within 2 days", "within 3 days"), is_typo_fix("always", "never")
    (False, False)
    >>> is_typo_fix("Greet the customer", "Greet the customer by name")
    False
    """
    if _numbers(old) != _numbers(new):
        return False
    before, after = _words(old), _words(new)
    if len(before) != len(after) or _negations(before) != _negations(after):
        return False
    return all(_close(a, b) for a, b in zip(before, after, strict=True) if a != b)


def parts_of(path: str) -> Parts:
    """``"escalation[esc.1].notify"`` → ``("escalation", "[esc.1]", "notify")``."""
    return tuple(_PART.findall(path))


def _matches(parts: Parts, pattern: Parts) -> bool:
    return len(parts) == len(pattern) and all(
        want == part or (want == "[]" and part.startswith("["))
        for part, want in zip(parts, pattern, strict=True)
    )


def _item(parts: Parts, at: int) -> str | None:
    """The id of the list item named at ``parts[at]``, or None when the path stops short."""
    return parts[at][1:-1] if len(parts) > at and parts[at].startswith("[") else None


def _rules(parts: Parts, side: Policy, person: Person) -> bool:
    rule_id = _item(parts, 2)
    if parts[1:2] != ("rules",) or rule_id is None:
        return True  # the pauses, or the section itself: every ticket's clock
    rule = next((r for r in side.service_levels.rules if r.id == rule_id), None)
    return rule is not None and person.answers(rule.when.channel)


def _contact_points(parts: Parts, side: Policy, person: Person) -> bool:
    point_id = _item(parts, 1)
    point = next((p for p in side.contact_points if p.id == point_id), None)
    return point is not None and person.answers([point.channel])


def _calendars(parts: Parts, side: Policy, person: Person) -> bool:
    calendar_id = _item(parts, 1)
    return calendar_id is None or calendar_id in calendars_of(side, person)


def calendars_of(policy: Policy, person: Person) -> set[str]:
    """Ids of the calendars that the parts of ``policy`` concerning ``person`` run on."""
    used = {p.calendar for p in policy.contact_points if person.answers([p.channel])}
    for rule in policy.service_levels.rules:
        if person.answers(rule.when.channel):
            used |= {t.clock for t in rule.targets.values()}
    used |= {d.calendar for d in policy.delivery}
    if policy.returns is not None:
        used.add(policy.returns.refund.clock)
    if policy.complaints is not None:
        section = policy.complaints
        used |= {s.clock for s in section.stages
                 if section.opens_path(s) or s.owner_role == person.role}  # fmt: skip
    return {c for c in used if c is not None}


def _escalation(parts: Parts, side: Policy, person: Person) -> bool:
    level_id = _item(parts, 1)
    levels = [x for x in side.escalation if level_id is None or x.id == level_id]
    return person.role is not None and any(person.role in x.notify for x in levels)


def _complaints(parts: Parts, side: Policy, person: Person) -> bool:
    stage_id = _item(parts, 2)
    if stage_id is None or parts[1] != "stages":
        return True  # how to complain, the tracks, the external body: front-line matters
    if side.complaints is None:
        return False
    section = side.complaints
    return any(
        s.id == stage_id and (section.opens_path(s) or s.owner_role == person.role)
        for s in section.stages
    )


def _staff(parts: Parts, side: Policy, person: Person) -> bool:
    if len(parts) == 1 or parts[1] == "courtesy":
        return True
    return parts[1] == "roles" and _item(parts, 2) == person.role


_CONCERNS: dict[str, Callable[[Parts, Policy, Person], bool]] = {
    "service_levels": _rules,
    "contact_points": _contact_points,
    "calendars": _calendars,
    "escalation": _escalation,
    "complaints": _complaints,
    "staff": _staff,
}


def _typo_fixed(old: Any, new: Any) -> bool:
    """A typo fix of one text, or of a list of texts (the texts that differ, in order)."""
    if isinstance(old, str) and isinstance(new, str):
        return is_typo_fix(old, new)
    if isinstance(old, list) and isinstance(new, list):
        gone = [str(x) for x in old if x not in new]
        came = [str(x) for x in new if x not in old]
        return len(gone) == len(came) and all(map(is_typo_fix, gone, came))
    return False


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(text)


def _negations(words: list[str]) -> list[str]:
    return [w for w in words if w in NEGATIONS or w.endswith("n't")]


def _close(a: str, b: str) -> bool:
    if {a, b} & QUANTITIES or any(ch.isdigit() for ch in a + b):
        return False
    return _distance(a, b) <= (1 if max(len(a), len(b)) <= 4 else 2)


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): insertions, deletions,
    substitutions and swaps of two adjacent letters each cost one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
