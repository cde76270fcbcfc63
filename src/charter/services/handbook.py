"""The staff handbook: the operating policy clause by clause, and search over it.

``read_handbook`` gives the version of the operating policy in force now (or another
version of it; a version published to take effect later replaces it at its instant,
docs/lifecycle.md) as sections of clauses, each marked with the latest version that
changed it; ``search_handbook`` finds clauses by their words, best first, with the
words highlighted. ``handbook_context`` turns a handbook into the plain data the
``handbook/`` templates render, so an export can render them without a request.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> read_handbook(db) is None, search_handbook(db, "refund").problem
(True, 'No policy is published yet, so the handbook is empty.')
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

from charter.errors import NotFound, PolicyError
from charter.policy.clauses import SECTIONS, Clause, Fact, Mark, changed_in, clauses
from charter.publish.clause_sentences import sentences
from charter.services._handbook_index import index_version, is_indexed, load
from charter.services._handbook_query import (
    MAX_QUERY,
    Found,
    distinct_words,
    search,
    search_words,
    words_of,
)
from charter.services.lifecycle import Version, get_version, list_versions, operating_version
from charter.store import Database

__all__ = [
    "Handbook",
    "SearchResults",
    "handbook_context",
    "index_version",
    "read_handbook",
    "search_handbook",
]
NOTHING_PUBLISHED = "No policy is published yet, so the handbook is empty."
LARGEST_NUMBER = 2**31 - 1


@dataclass(frozen=True)
class Entry:
    """A clause as the handbook shows it: its sentence (``""`` for a kind without one,
    ``charter.publish.clause_sentences``), its fields, and its change mark with the
    version it was compared with (``changed_from``), for the link to that diff."""

    id: str
    heading: str
    sentence: str
    facts: tuple[Fact, ...]
    changed_in: int | None
    changed_from: int | None
    added: bool


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    sentence: str
    facts: tuple[Fact, ...]
    changed_in: int | None
    changed_from: int | None
    added: bool
    clauses: tuple[Entry, ...]


@dataclass(frozen=True)
class VersionLink:
    number: int
    status: str


@dataclass(frozen=True)
class Handbook:
    """One version of the operating policy, ready to show."""

    slug: str
    organisation: str
    language: str
    number: int
    status: str
    content_hash: str
    published_at: str | None
    change_summary: str
    is_operating: bool
    versions: tuple[VersionLink, ...]
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class SearchResults:
    """What a search found; ``problem`` says why nothing was searched, if so."""

    query: str
    number: int | None
    is_operating: bool
    hits: tuple[Found, ...]
    problem: str = ""

    @property
    def words(self) -> int:
        """How many different words were searched for."""
        return distinct_words(self.query)


def read_handbook(database: Database, number: int | None = None) -> Handbook | None:
    """Version ``number`` (default: the one in force now) of the operating policy, or
    None when no policy is in force."""
    chosen = _chosen(database, number)
    if chosen is None:
        return None
    version, operating = chosen
    versions = list_versions(database, version.slug)
    policy = load(version.text, version.file)
    earlier = [v for v in versions if v.published_at is not None and v.number < version.number]
    chain = [*_loadable(earlier), (version.number, policy)]
    marks = changed_in(chain)
    before = {later: earlier for (earlier, _), (later, _) in itertools.pairwise(chain)}
    return Handbook(
        slug=version.slug,
        organisation=policy.organisation.name,
        language=policy.organisation.language,
        number=version.number,
        status=version.status,
        content_hash=version.content_hash,
        published_at=version.published_at.isoformat() if version.published_at else None,
        change_summary=version.change_summary,
        is_operating=version.number == operating.number,
        versions=tuple(VersionLink(v.number, v.status) for v in versions),
        sections=_sections(clauses(policy), Marks(marks, before, sentences(policy))),
    )


def handbook_context(handbook: Handbook, *, diff_links: bool = False) -> dict[str, Any]:
    """The handbook as plain dicts and lists: what ``handbook/_document.html`` renders;
    with ``diff_links`` (the web page) each change mark links to its change in the diff."""
    return {"handbook": asdict(handbook), "lang": handbook.language, "diff_links": diff_links}


def search_handbook(database: Database, query: str, number: int | None = None) -> SearchResults:
    """The clauses of the published version (or version ``number``) holding any of the
    words, those holding the most first."""
    chosen = _chosen(database, number)
    if chosen is None:
        return SearchResults(query, number, False, (), NOTHING_PUBLISHED)
    version, operating = chosen
    is_operating = version.number == operating.number
    problem = _problem(query, version)
    if problem:
        return SearchResults(query, version.number, is_operating, (), problem)
    if not is_indexed(database, version.id):
        index_version(database, version.id)
    with database.reading() as session:
        hits = search(session, version.id, search_words(query))
    return SearchResults(query, version.number, is_operating, tuple(hits))


def section_heading(section: str) -> str:
    """``service_levels`` → ``Service levels``."""
    return SECTIONS.get(section, section)


def _chosen(database: Database, number: int | None) -> tuple[Version, Version] | None:
    operating = operating_version(database)
    if operating is None:
        return None
    if number is None or number == operating.number:
        return operating, operating
    if not 1 <= number <= LARGEST_NUMBER:
        raise NotFound(f"version: policy {operating.slug} has no version {number}")
    return get_version(database, operating.slug, number), operating


def _problem(query: str, version: Version) -> str:
    if len(query) > MAX_QUERY:
        return f"The search is {len(query)} characters long; use at most {MAX_QUERY}."
    if not query.strip():
        return "Type one or more words to search for."
    if not words_of(query):
        return "There are no words to search for; type letters or numbers."
    if not search_words(query):
        common = ", ".join(dict.fromkeys(w.casefold() for w in words_of(query)))
        return (
            f"“{common}” holds only common words; add a word "
            "that says what you are looking for, such as refund or complaint."
        )
    if version.status == "draft":
        return (
            f"Version {version.number} is a draft and may still change, so it is not "
            "searchable; search a submitted version."
        )
    return ""


def _loadable(versions: list[Version]) -> list[tuple[int, Any]]:
    """Earlier versions as policies; one that no longer loads is left out of the marks."""
    found = []
    for version in versions:
        try:
            found.append((version.number, load(version.text, version.file)))
        except PolicyError:
            continue
    return found


@dataclass(frozen=True)
class Marks:
    """What the entries are built from beside their clauses."""

    marks: dict[str, Mark]
    before: dict[int, int]  # each version of the chain → the one before it
    sentences: dict[str, str]


def _sections(found: list[Clause], given: Marks) -> tuple[Section, ...]:
    heads: list[Clause] = []
    items: dict[str, list[Entry]] = {}
    for clause in found:
        if clause.is_section:
            heads.append(clause)
        items.setdefault(clause.section, [])
        if not clause.is_section:
            items[clause.section].append(_entry(clause, given))
    return tuple(
        Section(**vars(_entry(head, given)), clauses=tuple(items[head.section])) for head in heads
    )


def _entry(clause: Clause, given: Marks) -> Entry:
    mark = given.marks.get(clause.id)
    return Entry(
        clause.id,
        clause.heading,
        given.sentences.get(clause.id, ""),
        clause.facts,
        changed_in=mark.version if mark else None,
        changed_from=given.before.get(mark.version) if mark else None,
        added=bool(mark and mark.added),
    )
