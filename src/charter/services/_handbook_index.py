"""Filling the handbook's search index with the clauses of a version.

A version is indexed once, when it is published, or on the first search that finds
it missing (a database published before search existed). Submitted versions are
immutable, so an indexed version never goes stale. Two requests indexing the same
version at once are harmless: the second meets the unique key and leaves the first's
rows in place. A clause's body is its sentence (``charter.publish.clause_sentences``),
when its kind has one, then its fields, so a search finds the words the handbook shows.
"""

from __future__ import annotations

import dataclasses

from charter.errors import Conflict, NotFound
from charter.policy import Policy
from charter.policy.cache import load_cached
from charter.policy.clauses import Clause, Fact, clauses
from charter.publish.clause_sentences import sentences
from charter.store import Database
from charter.store import handbook_index as index_store


def load(text: str, file: str) -> Policy:
    """A version's text as a policy; kept, as pages load the same versions again and again."""
    return load_cached(text, file).policy


def indexed(policy: Policy) -> list[Clause]:
    """The clauses of ``policy`` as the index holds them: each sentence before the fields."""
    said = sentences(policy)
    return [
        dataclasses.replace(c, facts=(Fact("", said[c.id]), *c.facts)) if c.id in said else c
        for c in clauses(policy)
    ]


def is_indexed(database: Database, version_id: int) -> bool:
    with database.reading() as session:
        return index_store.is_indexed(session, version_id)


def index_version(database: Database, version_id: int) -> int:
    """Index the clauses of the version with this id, unless already there.

    Returns how many clauses were written (0 when the version was indexed before).
    """
    if is_indexed(database, version_id):
        return 0
    with database.reading() as session:
        found = index_store.version_source(session, version_id)
    if found is None:
        raise NotFound(f"no policy version has the id {version_id}")
    policy = load(found.text, f"{found.slug} version {found.number}")
    try:
        with database.transaction() as session:
            return index_store.add_clauses(session, version_id, indexed(policy))
    except Conflict:
        return 0  # indexed by another request at the same moment
