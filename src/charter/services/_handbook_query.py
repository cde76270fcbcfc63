"""Searching the handbook: a query cut into words, and the clauses of one version that
hold them all, with those words highlighted. The index and its full-text queries
(SQLite FTS5 or PostgreSQL) are ``charter.store.handbook_index``.

The user's words are never passed to the search syntax as typed: the query is cut
into words (letters and digits), which the store quotes for FTS5 (``"refund"``) or
hands to ``plainto_tsquery`` on PostgreSQL, so quotes, ``*``, ``NEAR``, ``OR`` or a
stray parenthesis are searched for as words, or ignored, and never break the query.
Every word must occur (in any form the English stemmer folds together: ``refunds``
finds ``refund``). Best matches come first: a word in a clause's heading or id
weighs more than one in its body.

>>> words_of('refund "within" NEAR(* 5wd)')
['refund', 'within', 'NEAR', '5wd']
>>> [(s.text, s.match) for s in segments("a \\ue000refund\\ue001 within")]
[('a ', False), ('refund', True), (' within', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter.store import handbook_index as index_store
from charter.store.handbook_index import LT, START, STOP

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_QUERY = 200  # characters
MAX_WORDS = 20
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as both databases' tokenizers see words


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
    return [
        Found(m.clause_id, m.section, segments(m.heading or ""), segments(m.extract or ""))
        for m in index_store.matching_clauses(session, version_id, words)
    ]
