"""Handbook search: SQLite FTS5 and PostgreSQL full-text search, ranked and highlighted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from charter.services.handbook import index_version, search_handbook
from charter.services.lifecycle import new_draft, operating_version
from charter.store import Database
from charter.store.models import HandbookClause
from support import edited_text
from support.handbook import publish_version, text_of
from support.pages import sign_in
from support.seed import publish_example

# Sections and items of the example policy (test_policy_clauses.py): 52 items, and its
# three return reasons and one return category rule.
EXAMPLE_CLAUSES = 17 + 52 + 4
_LINK = re.compile(r'<h2><a href="([^"]+)">')


def links(page: str) -> list[str]:
    """The result links of a search page, in order."""
    return _LINK.findall(page)


def stored(database: Database, version_id: int | None = None) -> int:
    query = select(func.count()).select_from(HandbookClause)
    if version_id is not None:
        query = query.where(HandbookClause.version_id == version_id)
    with database.reading() as session:
        return int(session.scalar(query) or 0)


def two_principles(data: Any) -> None:
    data["principles"] = [
        {"id": "p-body", "title": "Listen", "text": "Offer to call back by telephone."},
        {"id": "p-title", "title": "Telephone manners", "text": "Smile as you speak."},
    ]


def test_publishing_puts_every_clause_of_the_version_in_the_index(database: Database) -> None:
    seeded = publish_example(database)  # published before the index existed: not indexed
    assert stored(database) == 0
    publish_version(database, seeded, edited_text(lambda d: None))
    version = operating_version(database)
    assert version is not None and version.number == 2
    assert stored(database, version.id) == EXAMPLE_CLAUSES
    assert index_version(database, version.id) == 0  # indexed once
    assert stored(database) == EXAMPLE_CLAUSES


def test_a_search_indexes_a_version_published_before_search_existed(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "hygiene"})
    assert page.status_code == 200
    assert links(page.text) == ["/handbook#returns.exclusions.exclusion-hygiene"]
    assert stored(database) == EXAMPLE_CLAUSES


def test_matches_are_highlighted_and_link_to_their_clause(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "Refunds"}).text
    assert links(page)[0] == "/handbook#returns"
    assert "/handbook#vision.reasons.reason-loyalty" in links(page)
    assert "Returns and <mark>refunds</mark>" in page  # the heading
    # another form of the word: "we refund within…" in the sentence or "Refund: …" in the
    # fields, whichever extract the database picks
    assert re.search(r"<mark>[Rr]efund</mark>", page)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("bedding hygiene", ["returns.exclusions.exclusion-hygiene"]),
        ("telephone", ["principles.p-title", "principles.p-body"]),  # heading first
        # any word is enough: each clause holds one of the two words; p-title holds it in
        # its heading and exclusion-hygiene in its id, so both come before p-body, which
        # holds it in its text only; between the first two, document order
        (
            "hygiene telephone",
            ["principles.p-title", "returns.exclusions.exclusion-hygiene", "principles.p-body"],
        ),
    ],
)
def test_results_hold_any_word_and_the_best_match_comes_first(
    database: Database, query: str, expected: list[str]
) -> None:
    seeded = publish_example(database)
    publish_version(database, seeded, edited_text(two_principles))
    results = search_handbook(database, query)
    assert results.problem == ""
    assert [hit.clause_id for hit in results.hits] == expected


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR", "NEAR(refund", 'refund"', "refund*", "(", ")", "AND", "OR refund",
     "NOT refund", "-refund", "^refund", "refund:", "'; DROP TABLE handbook_clauses; --",
     "{refund}", "col:refund", "refund NEAR/2 window", "\\", "%_"],
)  # fmt: skip
def test_search_syntax_in_a_query_is_searched_for_as_words_never_an_error(
    client: TestClient, database: Database, query: str
) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": query})
    assert page.status_code == 200
    assert 'name="q"' in page.text
    if re.findall(r"[A-Za-z]+", query) == ["refund"]:  # the only word in it
        assert "/handbook#returns" in links(page.text)
    assert stored(database) in (0, EXAMPLE_CLAUSES)


def test_a_nul_in_the_query_is_refused_naming_the_parameter(
    client: TestClient, database: Database
) -> None:
    # every request refuses NUL (charter.web.inputs): PostgreSQL's text cannot hold it
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "\x00refund"})
    assert page.status_code == 422
    assert "query.q: must not contain the NUL character" in page.text


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Type one or more words"),
        ("   ", "Type one or more words"),
        ('"*()', "no words to search for"),
        ("refund " * 40, "use at most 200"),
    ],
)
def test_a_query_with_nothing_to_search_says_what_to_type(
    client: TestClient, database: Database, query: str, message: str
) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": query})
    assert page.status_code == 200
    assert message in text_of(page.text)
    assert links(page.text) == []


def test_a_search_that_finds_nothing_says_so(client: TestClient, database: Database) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "zeppelin"})
    assert "No clause of version 1 holds the word “zeppelin”" in text_of(page.text)


def test_an_earlier_version_is_searched_with_its_own_words_and_links(
    client: TestClient, database: Database
) -> None:
    def renamed(data: Any) -> None:
        data["service_levels"]["rules"][4]["name"] = "Priority e-mail"

    seeded = publish_example(database)
    publish_version(database, seeded, edited_text(renamed))
    sign_in(client, database, "agent")
    found = links(client.get("/handbook/search", params={"q": "priority e-mail"}).text)
    assert found[0] == "/handbook#service_levels.rules.sl-email-high"
    old = client.get("/handbook/search", params={"q": "high priority", "version": "1"}).text
    assert "/handbook?version=1#service_levels.rules.sl-email-high" in links(old)
    assert 'name="version" value="1"' in old


def test_a_draft_is_not_searched(client: TestClient, database: Database) -> None:
    seeded = publish_example(database)
    new_draft(database, "larkfield", seeded.author)
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "refund", "version": "2"})
    assert page.status_code == 200
    assert "Version 2 is a draft" in text_of(page.text) and links(page.text) == []


def test_search_results_show_policy_text_as_text(client: TestClient, database: Database) -> None:
    def hostile(data: Any) -> None:
        data["principles"][0]["text"] = "Answer the <b>telephone</b> & <script>x</script>."

    seeded = publish_example(database)
    publish_version(database, seeded, edited_text(hostile))
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "telephone"}).text
    assert "<b>" not in page and "<script>x" not in page
    assert "&lt;b&gt;<mark>telephone</mark>&lt;/b&gt;" in page


def test_without_a_published_policy_search_says_so(client: TestClient, database: Database) -> None:
    sign_in(client, database, "agent")
    page = client.get("/handbook/search", params={"q": "refund"})
    assert page.status_code == 200
    assert "No policy is published yet" in text_of(page.text)
