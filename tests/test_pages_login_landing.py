"""After signing in each role lands where it works; the sign-in page links back to the
charter; the header shows one name (docs/accounts.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter.services.accounts import Principal, Role
from charter.services.lifecycle import create_policy, transition
from charter.store import Database
from charter.web.app import create_app
from support.lifecycle import policy_text
from support.pages import csrf_of
from support.web import PASSWORD, make_settings, make_user


@pytest.fixture
def client(database_url: str, database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url), database),
                    follow_redirects=False) as browser:  # fmt: skip
        yield browser


def sign_in(client: TestClient, email: str, next_path: str | None = None) -> str:
    """Where the sign-in form sends ``email`` (its 303's location)."""
    form = {"email": email, "password": PASSWORD, "csrf_token": csrf_of(client.get("/login").text)}
    if next_path is not None:
        form["next"] = next_path
    answer = client.post("/login", data=form)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def principal(database: Database, role: str) -> tuple[str, Principal]:
    account = make_user(database, role)
    return account.email, Principal(account.id, account.email, account.name, Role(role))


@pytest.mark.parametrize(
    ("role", "landing"),
    [("agent", "/tickets"), ("manager", "/dashboard"), ("admin", "/policies")],
)
def test_story_sign_in_each_role_lands_where_it_works(
    client: TestClient, database: Database, role: str, landing: str
) -> None:
    # Nothing waits in review, so: agent -> tickets, manager -> dashboard, admin ->
    # policies (the table in docs/accounts.md). Before, everyone went to "/".
    email, _ = principal(database, role)
    assert sign_in(client, email) == landing


def test_story_sign_in_a_reviewer_lands_on_the_version_waiting_for_them(
    client: TestClient, database: Database
) -> None:
    # Ada (manager) writes "acme" version 1 and submits it: it waits in review. Bo
    # (admin) wrote none of it, so Bo lands on it; Ada may not review her own text,
    # so she lands on her dashboard as usual; the agent on the tickets.
    ada_email, ada = principal(database, "manager")
    bo_email, _ = principal(database, "admin")
    agent_email, _ = principal(database, "agent")
    create_policy(
        database, slug="acme", name="Acme", text=policy_text(), actor=ada, change_summary="First"
    )
    transition(database, "acme", 1, "submit", ada)
    assert sign_in(client, bo_email) == "/policies/acme/versions/1"
    assert sign_in(client, ada_email) == "/dashboard"
    assert sign_in(client, agent_email) == "/tickets"


@pytest.mark.parametrize(
    ("next_path", "location"),
    [
        ("/handbook?q=refund", "/handbook?q=refund"),  # a local page still wins
        ("/", "/tickets"),  # the public page's sign-in link: to work instead
        ("https://evil.example/tickets", "/tickets"),  # never elsewhere
        ("//evil.example/", "/tickets"),
    ],
)
def test_story_sign_in_a_local_next_wins_and_any_other_goes_to_the_landing_page(
    client: TestClient, database: Database, next_path: str, location: str
) -> None:
    email, _ = principal(database, "agent")
    assert sign_in(client, email, next_path) == location


def test_story_sign_in_the_form_links_back_to_the_public_charter(client: TestClient) -> None:
    page = client.get("/login").text
    assert re.search(r'<a href="/">[^<]*Back to the customer charter</a>', page)


def brands(html: str) -> list[str]:
    return re.findall(r'class="brand">([^<]*)</a>', html)


def test_story_one_brand_the_header_names_the_business_on_every_page(
    client: TestClient, database: Database
) -> None:
    # Before anything is in force the header says "Charter"; once Acme's version 1 is
    # published, every page's header says "Acme" (organisation.name in policy_text),
    # once, on staff pages and the public page alike.
    email, ada = principal(database, "manager")
    _, bo = principal(database, "admin")
    sign_in(client, email)
    assert brands(client.get("/handbook").text) == ["Charter"]
    create_policy(
        database,
        slug="acme",
        name="Acme policy",
        text=policy_text(),
        actor=ada,
        change_summary="First",
    )
    transition(database, "acme", 1, "submit", ada)
    transition(database, "acme", 1, "approve", bo)
    transition(database, "acme", 1, "publish", bo)
    for path in ("/handbook", "/policies", "/tickets", "/"):
        page = client.get(path, follow_redirects=True).text
        assert brands(page) == ["Acme"], path
