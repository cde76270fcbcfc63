"""Full-text search over the indexed clauses of one version: SQLite FTS5 or PostgreSQL.

The user's words are never passed to the search syntax as typed: the query is cut
into words (letters and digits), and each word is quoted for FTS5 (``"refund"``) or
handed to ``plainto_tsquery`` on PostgreSQL, so quotes, ``*``, ``NEAR``, ``OR`` or a
stray parenthesis are searched for as words, or ignored, and never break the query.
Every word must occur (in any form the English stemmer folds together: ``refunds``
finds ``refund``). Best matches come first: a word in a clause's heading or id
weighs more than one in its body.

>>> words_of('refund "within" NEAR(* 5wd)')
['refund', 'within', 'NEAR', '5wd']
>>> fts5_match(["refund", "NEAR"])
'"refund" "NEAR"'
>>> [(s.text, s.match) for s in segments("a \\ue000refund\\ue001 within")]
[('a ', False), ('refund', True), (' within', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from charter.store.models import HANDBOOK_TSVECTOR

MAX_QUERY = 200  # characters
MAX_WORDS = 20
LIMIT = 50  # results shown
START, STOP = "\ue000", "\ue001"  # private-use characters; removed from indexed text
# PostgreSQL's headline drops what looks like an HTML tag; "<" stands in as LT there.
LT = "\ue002"
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as both databases' tokenizers see words

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


@dataclass(frozen=True)
class Segment:
    """A piece of a highlighted text; ``match`` when it is a word searched for."""

    text: str
    match: bool


@dataclass(frozen=True)
class Found:
    """One clause that matched, with its heading and an extract, highlighted."""

    clause_id: str
    section: str
    heading: tuple[Segment, ...]
    extract: tuple[Segment, ...]


def words_of(query: str) -> list[str]:
    """The words of a query, at most ``MAX_WORDS``."""
    return _WORD.findall(query)[:MAX_WORDS]


def fts5_match(words: list[str]) -> str:
    """An FTS5 query that asks for every word, each quoted as a string."""
    return " ".join(f'"{word}"' for word in words)


def clean(value: str) -> str:
    """Text as it is indexed: without the highlight markers or NUL."""
    for marker in (START, STOP, LT, "\0"):
        value = value.replace(marker, "")
    return value


def segments(marked: str) -> tuple[Segment, ...]:
    """Cut a text with highlight markers into plain and matching pieces."""
    pieces: list[Segment] = []
    for part in marked.replace(LT, "<").split(START):
        match, _, rest = part.rpartition(STOP) if STOP in part else ("", "", part)
        if match:
            pieces.append(Segment(match, True))
        if rest:
            pieces.append(Segment(rest, False))
    return tuple(pieces)


def search(session: Session, version_id: int, words: list[str]) -> list[Found]:
    """The clauses of ``version_id`` holding every word, best first."""
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
    return [
        Found(clause_id, section, segments(heading or ""), segments(extract or ""))
        for clause_id, section, heading, extract in rows
    ]
