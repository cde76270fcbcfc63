"""The onboarding checklist: read the handbook's sections for your role, acknowledge
the version asked of you, pass its quiz, by the deadline (docs/training.md).

Every account has one; for a new joiner it is the whole of their first weeks' policy
training, for others it is what the latest version that asked them needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from charter import clock
from charter.errors import InvalidInput, NotFound
from charter.policy.clauses import SECTIONS
from charter.services.lifecycle import Version
from charter.services.training._standing import Requirement, State, person_of, standings
from charter.store import Database
from charter.store import training as records
from charter.store.models import StaffProfile
from charter.training.material import Person
from charter.training.onboarding import reading_list


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do; ``clause_id`` is the handbook section to read for a ``read``."""

    kind: Literal["read", "acknowledge", "quiz"]
    label: str
    clause_id: str | None
    done: bool
    done_at: dt.datetime | None


@dataclass(frozen=True)
class Checklist:
    """A person's checklist for the version asked of them."""

    version_number: int | None
    items: list[ChecklistItem]
    deadline: dt.datetime | None
    state: State

    @property
    def done(self) -> int:
        return sum(item.done for item in self.items)


def sections_to_read(requirement: Requirement, profile: StaffProfile | None) -> list[str]:
    """The section ids a person reads for the version asked of them."""
    return list(_reading(requirement.version, person_of(profile)))


@lru_cache(maxsize=1024)
def _reading(version: Version, person: Person) -> tuple[str, ...]:
    return tuple(reading_list(version.policy(), person))


def checklist(database: Database, user_id: int, now: dt.datetime | None = None) -> Checklist:
    """The person's checklist at ``now``."""
    moment = clock.utc_moment(now)
    found = standings(database, moment, [user_id])
    if not found:
        raise NotFound(f"no active account {user_id}")
    standing = found[0]
    required = standing.requirement
    if required is None:
        return Checklist(None, [], None, "none")
    with database.reading() as session:
        read = records.reads(session, user_id, required.version.id)
    items = [
        ChecklistItem("read", f"Read “{SECTIONS.get(s, s)}” in the handbook", s, s in read,
                      read.get(s))
        for s in sections_to_read(required, standing.profile)
    ]  # fmt: skip
    number = required.version.number
    acked, passed = required.acknowledged_at, required.passed_at
    items.append(ChecklistItem("acknowledge", f"Acknowledge version {number}", None,
                               acked is not None, acked))  # fmt: skip
    items.append(ChecklistItem("quiz", f"Pass the quiz of version {number}", None,
                               passed is not None, passed))  # fmt: skip
    return Checklist(number, items, required.deadline, required.state(moment))


def mark_read(
    database: Database, user_id: int, section: str, now: dt.datetime | None = None
) -> None:
    """Record that the person read ``section`` of the version asked of them; a section
    not on their checklist is refused naming the ones that are."""
    moment = clock.utc_moment(now)
    found = standings(database, moment, [user_id])
    if not found or found[0].requirement is None:
        raise NotFound("no policy version is in force: there is nothing to read yet")
    required = found[0].requirement
    wanted = sections_to_read(required, found[0].profile)
    if section not in wanted:
        raise InvalidInput(f"section {section[:80]!r} is not on your checklist; read one of "
                           f"{', '.join(wanted)}", [{"field": "section", "problem": "not on the "
                                                     "checklist"}])  # fmt: skip
    with database.transaction() as session:
        records.mark_read(session, user_id, required.version.id, section, moment)
