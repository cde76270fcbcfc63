"""The handbook's search index: the clauses of each indexed version, searched with
SQLite FTS5 (the ``handbook_search`` table, kept in step by triggers) or PostgreSQL's
full-text search (a GIN index on ``HANDBOOK_TSVECTOR``).

The words searched for are never passed to the search syntax as typed: each is quoted
for FTS5 (``"refund"``) or handed to ``plainto_tsquery`` on PostgreSQL. A clause holding
any of the words is found; best matches come first: the clauses holding the most of
the distinct words, then those holding more of them in their heading or id, then in
document order: the same order on both databases, which a reader can check by hand.
The matching words come back between ``START`` and ``STOP``; indexed text never holds
those markers (``clean``).

>>> fts5_match(["refund", "NEAR"])
'"refund" OR "NEAR"'
>>> fts5_match(["refund"], "{heading clause_id}")
'{heading clause_id} : "refund"'
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

_SQLITE = (
    "SELECT c.clause_id, c.section, highlight(handbook_search, 0, :start, :stop), "
    "snippet(handbook_search, 2, :start, :stop, ' … ', 32), {held} AS held, {titled} AS titled "
    "FROM handbook_search JOIN handbook_clauses AS c ON c.id = handbook_search.rowid "
    "WHERE handbook_search MATCH :match AND c.version_id = :version "
    "ORDER BY held DESC, titled DESC, c.position LIMIT :limit"
)
# The clauses (of any version) holding one word, anywhere or in the heading or id.
_SQLITE_HOLDS = "(c.id IN (SELECT rowid FROM handbook_search WHERE handbook_search MATCH :{}))"
_TITLE = "{heading clause_id}"
_MARKS = f"StartSel={START}, StopSel={STOP}"
_BODY = f'{_MARKS}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
_POSTGRES = (
    "WITH q AS (SELECT {queries}, {anyword} AS query), "
    f"hits AS (SELECT c.clause_id, c.section, c.heading, c.body, c.position, "
    f"({HANDBOOK_TSVECTOR}) AS words FROM handbook_clauses AS c, q "
    f"WHERE c.version_id = :version AND ({HANDBOOK_TSVECTOR}) @@ q.query) "
    "SELECT h.clause_id, h.section, "
    f"ts_headline('english', replace(h.heading, '<', :lt), q.query, '{_MARKS}, HighlightAll=1'), "
    f"ts_headline('english', replace(h.body, '<', :lt), q.query, '{_BODY}'), "
    "{held} AS held, {titled} AS titled FROM hits AS h, q "
    "ORDER BY held DESC, titled DESC, h.position LIMIT :limit"
)
# A word's query on PostgreSQL; a stop word ("how") gives an empty one, which matches nothing.
_PG_WORD = "plainto_tsquery('english', :w{0}) AS q{0}"
_PG_HOLDS = "(h.words @@ q.q{0})::int"
_PG_TITLE = "(ts_filter(h.words, '{{a}}') @@ q.q{0})::int"  # weight A: heading and id


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
    held: int
    """How many of the distinct words the clause holds."""
    titled: int
    """How many of them are in its heading or id."""


def clean(value: str) -> str:
    """Text as it is indexed: without the highlight markers or NUL."""
    for marker in (START, STOP, LT, "\0"):
        value = value.replace(marker, "")
    return value


def fts5_match(words: list[str], columns: str = "") -> str:
    """An FTS5 query that asks for any of the words, each quoted as a string; within
    ``columns`` (``{heading clause_id}``) when given."""
    if columns:
        return f"{columns} : " + " OR ".join(f'"{word}"' for word in words)
    return " OR ".join(f'"{word}"' for word in words)


def distinct(words: list[str]) -> list[str]:
    """The words once each, whatever their case, in the order given.

    >>> distinct(["Refund", "how", "refund"])
    ['Refund', 'how']
    """
    seen: dict[str, str] = {}
    for word in words:
        seen.setdefault(word.casefold(), word)
    return list(seen.values())


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
    """The clauses of ``version_id`` holding any of the words, best first, at most ``LIMIT``."""
    words = distinct(words)
    if not words:
        return []
    numbered = range(len(words))
    values: dict[str, object] = {"version": version_id, "limit": LIMIT}
    if session.get_bind().dialect.name == "sqlite":
        held = " + ".join(_SQLITE_HOLDS.format(f"w{n}") for n in numbered)
        titled = " + ".join(_SQLITE_HOLDS.format(f"t{n}") for n in numbered)
        query = _SQLITE.format(held=held, titled=titled)
        values |= {"start": START, "stop": STOP, "match": fts5_match(words)}
        values |= {f"w{n}": fts5_match([word]) for n, word in enumerate(words)}
        values |= {f"t{n}": fts5_match([word], _TITLE) for n, word in enumerate(words)}
    else:
        query = _POSTGRES.format(
            queries=", ".join(_PG_WORD.format(n) for n in numbered),
            anyword=" || ".join(f"plainto_tsquery('english', :w{n})" for n in numbered),
            held=" + ".join(_PG_HOLDS.format(n) for n in numbered),
            titled=" + ".join(_PG_TITLE.format(n) for n in numbered),
        )
        values |= {"lt": LT} | {f"w{n}": word for n, word in enumerate(words)}
    return [Match(*row) for row in session.execute(text(query), values)]
