"""Whose text a version carries: the people who may not review it.

Four eyes means the reviewer wrote none of the text under review. A version's text
is written by its author and editors, and also by whoever wrote the unreviewed
versions (draft, in review, rejected) it was copied from: a manager could
otherwise have a colleague copy their draft and approve the copy. The trail
follows ``based_on`` back through unreviewed versions and stops at a reviewed one
(approved, in pilot, published, retired), whose text a reviewer already read. A
version whose text is, byte for byte, that of another unreviewed version of the
policy (text pasted across) carries that version's text too, unless a reviewed
version has the same text. The events keep no hash of past texts, so only the
texts as they are now are compared.

>>> facts = {
...     1: Facts("published", None, 1, "h1", frozenset()),
...     2: Facts("draft", 1, 2, "h2", frozenset({4})),
...     3: Facts("in_review", 2, 3, "h2", frozenset()),
... }
>>> trace(3, facts)
{2: (2,), 3: (3,), 4: (2,)}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter.services.lifecycle._find import find_policy, find_version
from charter.store import Database
from charter.store import policies as policies_store
from charter.store.models import PolicyVersion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

UNREVIEWED = frozenset({"draft", "in_review", "rejected"})


@dataclass(frozen=True)
class Facts:
    """What the trail needs of one version."""

    status: str
    based_on: int | None
    author_id: int | None
    content_hash: str
    editors: frozenset[int]

    @property
    def writers(self) -> set[int]:
        return set(self.editors) | ({self.author_id} if self.author_id is not None else set())


def trace(number: int, versions: Mapping[int, Facts]) -> dict[int, tuple[int, ...]]:
    """Everyone whose text version ``number`` carries, with the versions they wrote it in."""
    wrote: dict[int, set[int]] = defaultdict(set)
    seen: set[int] = set()
    queue = [number, *_pasted_from(number, versions)]
    while queue:
        current = queue.pop()
        if current in seen or current not in versions:
            continue
        seen.add(current)
        for person in versions[current].writers:
            wrote[person].add(current)
        parent = versions[current].based_on
        if parent is not None and parent in versions and versions[parent].status in UNREVIEWED:
            queue.append(parent)
    return {person: tuple(sorted(numbers)) for person, numbers in sorted(wrote.items())}


def _pasted_from(number: int, versions: Mapping[int, Facts]) -> list[int]:
    """Other unreviewed versions with this one's text, unless a reviewed one has it too."""
    same = [n for n, f in versions.items() if f.content_hash == versions[number].content_hash]
    if any(versions[n].status not in UNREVIEWED for n in same if n != number):
        return []
    return [n for n in same if n != number]


def text_writers(database: Database, slug: str, number: int) -> dict[int, tuple[int, ...]]:
    """Whose text version ``number`` of ``slug`` carries: who may not approve or reject it."""
    with database.reading() as session:
        return writers(session, find_version(session, find_policy(session, slug), number))


def writers(session: Session, row: PolicyVersion) -> dict[int, tuple[int, ...]]:
    """Whose text ``row`` carries, read in two queries: the policy's versions, their edits."""
    found = policies_store.version_facts(session, row.policy_id)
    editors = policies_store.editors(session, row.policy_id)
    versions = {
        number: Facts(status, based_on, author, digest, frozenset(editors.get(version_id, ())))
        for version_id, number, status, based_on, author, digest in found
    }
    return trace(row.number, versions)
