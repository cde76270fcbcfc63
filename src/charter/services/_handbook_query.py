"""Searching the handbook: a query cut into words, and the clauses of one version that
hold them all, with those words highlighted. The index and its full-text queries
(SQLite FTS5 or PostgreSQL) are ``charter.store.handbook_index``.

The user's words are never passed to the search syntax as typed: the query is cut
into words (letters and digits), which the store quotes for FTS5 (``"refund"``) or
hands to ``plainto_tsquery`` on PostgreSQL, so quotes, ``*``, ``NEAR``, ``OR`` or a
stray parenthesis are searched for as words, or ignored, and never break the query.
A clause holding any of the words is found (in any form the English stemmer folds
together: ``refunds`` finds ``refund``), so "how long refund" finds the refund rules
although no clause says "how long". Best matches come first: the clauses holding the
most of the distinct words, then those holding more of them in their heading or id,
then in document order. Common words ("how",
"the", "to": the English stop words PostgreSQL's ``english`` configuration drops) are
left out on both databases, so SQLite does not rank a clause up for holding "how".

>>> words_of('refund "within" NEAR(* 5wd)')
['refund', 'within', 'NEAR', '5wd']
>>> search_words("How long does a Refund take, refund?")
['long', 'Refund', 'take']
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
# Snowball's English stop words, the list PostgreSQL's ``english`` configuration drops.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """.split()
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
    held: int
    """How many of the distinct words searched for the clause holds."""


def words_of(query: str) -> list[str]:
    """The words of a query, at most ``MAX_WORDS``."""
    return _WORD.findall(query)[:MAX_WORDS]


def search_words(query: str) -> list[str]:
    """The words searched for: each once whatever its case, without the common words."""
    found = [word for word in words_of(query) if word.casefold() not in STOP_WORDS]
    return index_store.distinct(found)


def distinct_words(query: str) -> int:
    """How many different words are searched for.

    >>> distinct_words("Refund how refund window")
    2
    """
    return len(search_words(query))


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
    """The clauses of ``version_id`` holding any of the words, best first."""
    return [
        Found(m.clause_id, m.section, segments(m.heading or ""), segments(m.extract or ""), m.held)
        for m in index_store.matching_clauses(session, version_id, words)
    ]
