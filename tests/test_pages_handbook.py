"""The staff handbook pages: every clause with its id, anchor and change mark; print view."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.policy import Policy, load_policy_text
from charter.policy.clauses import clauses
from charter.store import Database
from charter.web.rendering import templates
from support import EXAMPLE_TEXT, edited_text
from support.handbook import block, publish_version, text_of
from support.pages import sign_in
from support.seed import publish_example

EMAIL_HIGH = "service_levels.rules.sl-email-high"


@cache
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


def faster_email(data: Any) -> None:
    data["service_levels"]["rules"][4]["targets"]["first_response"]["within"] = "2h"


@pytest.mark.parametrize("path", ["/handbook", "/handbook/print", "/handbook/search?q=refund"])
def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=" + path.split("?")[0])


@pytest.mark.parametrize("role", ["agent", "manager", "admin"])
def test_every_staff_role_reads_every_clause_with_its_id_and_anchor(
    client: TestClient, database: Database, role: str
) -> None:
    publish_example(database)
    sign_in(client, database, role)
    page = client.get("/handbook")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1 and 'lang="en-GB"' in page.text
    for clause in clauses(example()):
        assert f'id="{clause.id}"' in page.text
        assert f'href="#{clause.id}"' in page.text
    rule = text_of(block(page.text, EMAIL_HIGH))
    assert "E-mail, high priority" in rule
    assert "First response within 4 business hours on calendar uk-support" in rule


def test_without_a_published_policy_the_handbook_says_so(
    client: TestClient, database: Database
) -> None:
    sign_in(client, database, "agent")
    page = client.get("/handbook")
    assert page.status_code == 200
    assert "No policy is published yet" in page.text


def test_a_clause_changed_in_a_later_version_carries_that_version(
    client: TestClient, database: Database
) -> None:
    seeded = publish_example(database)
    assert publish_version(database, seeded, edited_text(faster_email)) == 2
    sign_in(client, database, "agent")
    page = client.get("/handbook").text
    changed = text_of(block(page, EMAIL_HIGH))
    assert "changed in version 2" in changed
    assert "within 2 business hours" in changed
    assert "changed in version" not in text_of(block(page, "service_levels.rules.sl-urgent"))
    assert page.count("changed in version") == 1


def test_an_earlier_version_shows_its_own_values_and_says_it_is_not_in_force(
    client: TestClient, database: Database
) -> None:
    seeded = publish_example(database)
    publish_version(database, seeded, edited_text(faster_email))
    sign_in(client, database, "agent")
    page = client.get("/handbook?version=1").text
    assert "within 4 business hours" in text_of(block(page, EMAIL_HIGH))
    assert "changed in version" not in page
    assert "not the version in force" in text_of(page)
    assert 'href="/handbook/print?version=1"' in page


@pytest.mark.parametrize(
    "version, status, message",
    [
        ("abc", 422, "version: 'abc' is not a version number"),
        ("-1", 422, "is not a version number"),
        ("99999999999999999999", 422, "is not a version number"),
        ("7", 404, "has no version 7"),
    ],
)
def test_a_bad_version_in_the_address_answers_a_page_saying_what_is_wrong(
    client: TestClient, database: Database, version: str, status: int, message: str
) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook", params={"version": version})
    assert page.status_code == status
    assert message in text_of(page.text)


def test_the_printable_view_has_every_clause_and_no_navigation(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    sign_in(client, database, "agent")
    page = client.get("/handbook/print")
    assert page.status_code == 200
    assert 'aria-label="Main"' not in page.text and "Sign out" not in page.text
    assert "<main" in page.text and 'lang="en-GB"' in page.text
    assert 'href="/static/handbook.css"' in page.text
    for clause in clauses(example()):
        assert f'id="{clause.id}"' in page.text


def test_policy_text_is_shown_as_text_never_as_markup(
    client: TestClient, database: Database
) -> None:
    def hostile(data: Any) -> None:
        data["principles"][0]["text"] = "<script>alert(1)</script> Own it."

    seeded = publish_example(database)
    publish_version(database, seeded, edited_text(hostile))
    sign_in(client, database, "agent")
    page = client.get("/handbook").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Own it." in page


def test_the_document_template_renders_from_plain_data_alone() -> None:
    fact = {"label": "Time limit", "value": "2 working days"}
    clause = {"id": "complaints.stages.first", "heading": "First stage", "facts": [fact],
              "changed_in": 3, "added": True}  # fmt: skip
    section = {"id": "complaints", "heading": "Complaints", "facts": [], "changed_in": None,
               "added": False, "clauses": [clause]}  # fmt: skip
    handbook = {"organisation": "Acme", "language": "fr", "number": 3, "status": "published",
                "content_hash": "ab" * 32, "published_at": "2026-11-02T09:00:00+00:00",
                "sections": [section]}  # fmt: skip
    page = templates.get_template("handbook/print.html").render(
        handbook=handbook, static_root="assets"
    )
    assert 'lang="fr"' in page and 'href="assets/handbook.css"' in page
    assert 'id="complaints.stages.first"' in page and 'href="#complaints"' in page
    shown = text_of(block(page, "complaints.stages.first"))
    assert "First stage" in shown and "new in version 3" in shown
    assert "Time limit 2 working days" in shown
    assert "ab" * 32 in page and "published 2026-11-02" in text_of(page)


def test_the_handbook_stylesheet_is_served_and_fetches_nothing(client: TestClient) -> None:
    sheet = client.get("/static/handbook.css")
    assert sheet.status_code == 200 and "@media print" in sheet.text
    assert "http" not in sheet.text and "@import" not in sheet.text
