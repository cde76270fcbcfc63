"""What a new member of staff reads first: the handbook's sections that concern their
role and channels, by the same rule that decides who a change concerns
(``charter.training.material.concerns``), so the two never disagree.

>>> from importlib import resources
>>> from charter.policy import load_policy_text
>>> text = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")
>>> policy = load_policy_text(text).policy
>>> reading_list(policy, Person(role="agent", channels=frozenset({"chat"})))
... # doctest: +NORMALIZE_WHITESPACE
['calendars', 'contact_points', 'service_levels', 'delivery', 'returns', 'complaints',
 'staff']
"""

from __future__ import annotations

from charter.policy.clauses import clauses
from charter.policy.diff import Change
from charter.policy.schema import Policy
from charter.training.material import Person, concerns

__all__ = ["concerning_clauses", "reading_list"]


def _path(clause_id: str) -> str:
    """A clause id as the diff writes the path of that part: ``service_levels.rules.x``
    is ``service_levels.rules[x]``, ``contact_points.cp-chat`` is
    ``contact_points[cp-chat]``."""
    parts = clause_id.split(".")
    if len(parts) == 1:
        return clause_id
    return ".".join(parts[:-1]) + f"[{parts[-1]}]"


def concerning_clauses(policy: Policy, person: Person) -> list[str]:
    """The ids of the items (not whole sections) of ``policy`` that concern ``person``,
    in the policy's order."""
    found = []
    for clause in clauses(policy):
        if clause.is_section:
            continue
        probe = Change(_path(clause.id), "changed", "major", None, None, "")
        if concerns(probe, policy, policy, person):
            found.append(clause.id)
    return found


def reading_list(policy: Policy, person: Person) -> list[str]:
    """The sections a new member of staff reads: each section with an item that
    concerns them, and the sections that concern everyone though they have no items
    (returns, the staff section's courtesy), in the policy's order."""
    items = concerning_clauses(policy, person)
    wanted = {c.split(".")[0] for c in items}
    for clause in clauses(policy):
        if clause.is_section and concerns(
            Change(clause.id, "changed", "major", None, None, ""), policy, policy, person
        ):
            wanted.add(clause.id)
    return [c.id for c in clauses(policy) if c.is_section and c.id in wanted]
