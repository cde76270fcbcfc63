"""The handbook's search index: the clauses of each indexed version, searched with
SQLite FTS5 (the ``handbook_search`` table, kept in step by triggers) or PostgreSQL's
full-text search (a GIN index on ``HANDBOOK_TSVECTOR``).

The words searched for are never passed to the search syntax as typed: each is quoted
for FTS5 (``"refund"``) or handed to ``plainto_tsquery`` on PostgreSQL. Every word must
occur; best matches come first, a word in a clause's heading or id weighing more than
one in its body. The matching words come back between ``START`` and ``STOP``; indexed
text never holds those markers (``clean``).

>>> fts5_match(["refund", "NEAR"])
'"refund" "NEAR"'
>>> clean("a \\ue000refund\\0")
'a refund'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from charter.errors import Conflict
from charter.policy.clauses import Clause
from charter.store.models import HANDBOOK_TSVECTOR, HandbookClause, PolicyRecord, PolicyVersion

LIMIT = 50  # clauses found
START, STOP = "\ue000", "\ue001"  # private-use characters; removed from indexed text
# PostgreSQL's headline drops what looks like an HTML tag; "<" stands in as LT there.
LT = "\ue002"

SQLITE = text(
    "SELECT c.clause_id, c.section, highlight(handbook_search, 0, :start, :stop), "
    "snippet(handbook_search, 2, :start, :stop, ' … ', 32) "
    "FROM handbook_search JOIN handbook_clauses AS c ON c.id = handbook_search.rowid "
    "WHERE handbook_search MATCH :match AND c.version_id = :version "
    "ORDER BY bm25(handbook_search, 10.0, 10.0, 1.0), c.position LIMIT :limit"
)
_MARKS = f"StartSel={START}, StopSel={STOP}"
_BODY = f'{_MARKS}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
POSTGRES = text(
    "SELECT c.clause_id, c.section, "
    f"ts_headline('english', replace(c.heading, '<', :lt), q.query, '{_MARKS}, HighlightAll=1'), "
    f"ts_headline('english', replace(c.body, '<', :lt), q.query, '{_BODY}') "
    "FROM handbook_clauses AS c, (SELECT plainto_tsquery('english', :words) AS query) AS q "
    f"WHERE c.version_id = :version AND ({HANDBOOK_TSVECTOR}) @@ q.query "
    f"ORDER BY ts_rank(({HANDBOOK_TSVECTOR}), q.query) DESC, c.position LIMIT :limit"
)


class VersionSource(NamedTuple):
    """What indexing a version reads: its text, its number and its policy's slug."""

    text: str
    number: int
    slug: str


class Match(NamedTuple):
    """A clause that matched, its heading and an extract with the words marked."""

    clause_id: str
    section: str
    heading: str | None
    extract: str | None


def clean(value: str) -> str:
    """Text as it is indexed: without the highlight markers or NUL."""
    for marker in (START, STOP, LT, "\0"):
        value = value.replace(marker, "")
    return value


def fts5_match(words: list[str]) -> str:
    """An FTS5 query that asks for every word, each quoted as a string."""
    return " ".join(f'"{word}"' for word in words)


def is_indexed(session: Session, version_id: int) -> bool:
    """Whether the version with this id has clauses in the index."""
    query = select(HandbookClause.id).where(HandbookClause.version_id == version_id)
    return session.scalars(query.limit(1)).first() is not None


def version_source(session: Session, version_id: int) -> VersionSource | None:
    """The text, number and policy slug of the version with this id; None if none has it."""
    found = session.execute(
        select(PolicyVersion.text, PolicyVersion.number, PolicyRecord.slug)
        .join(PolicyRecord, PolicyRecord.id == PolicyVersion.policy_id)
        .where(PolicyVersion.id == version_id)
    ).first()
    return VersionSource(found.text, found.number, found.slug) if found else None


def add_clauses(session: Session, version_id: int, clauses: Iterable[Clause]) -> int:
    """Index ``clauses`` as the version's; returns how many were written.

    Raises ``Conflict`` when the version's clauses are already there (another request
    indexed it meanwhile); the session's transaction must then be rolled back."""
    rows = [
        {"version_id": version_id, "clause_id": c.id, "section": c.section,
         "heading": clean(c.heading), "body": clean(c.body), "position": c.position}
        for c in clauses
    ]  # fmt: skip
    try:
        session.execute(insert(HandbookClause), rows)
    except IntegrityError:
        raise Conflict(f"the policy version with the id {version_id} is indexed already") from None
    return len(rows)


def matching_clauses(session: Session, version_id: int, words: list[str]) -> list[Match]:
    """The clauses of ``version_id`` holding every word, best first, at most ``LIMIT``."""
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(
            SQLITE,
            {"start": START, "stop": STOP, "match": fts5_match(words),
             "version": version_id, "limit": LIMIT},
        )  # fmt: skip
    else:
        rows = session.execute(
            POSTGRES,
            {"words": " ".join(words), "lt": LT, "version": version_id, "limit": LIMIT},
        )
    return [Match(*row) for row in rows]
