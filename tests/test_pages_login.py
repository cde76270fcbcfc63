"""The HTML sign-in form: CSRF on every post, no open redirect, both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from charter.services import _passwords
from charter.store import Database
from charter.web.app import create_app
from charter.web.pages import auth
from support.web import PASSWORD, make_settings, make_user


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: the rules under test do not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(_passwords, "_hasher", cheap)


@pytest.fixture
def browser(database_url: str, database: Database) -> Iterator[TestClient]:
    """A client of the app with the sign-in pages, keeping cookies like a browser."""
    app: FastAPI = create_app(make_settings(database_url), database)
    if not any(getattr(route, "path", None) == "/login" for route in app.routes):
        app.include_router(auth.router)
    with TestClient(app, follow_redirects=False) as client:
        yield client


class Fields(HTMLParser):
    """The inputs of a page, by name, and the labels' ``for`` targets."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name"):
            self.inputs.setdefault(str(values["name"]), values)
        if tag == "label" and values.get("for"):
            self.labelled.add(str(values["for"]))


def fields(html: str) -> Fields:
    parser = Fields()
    parser.feed(html)
    return parser


def form_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    assert page.status_code == 200
    token = fields(page.text).inputs["csrf_token"]["value"]
    assert token
    return token


def signed_in_as(client: TestClient) -> int | None:
    response = client.get("/api/session")
    return int(response.json()["user"]["id"]) if response.status_code == 200 else None


def test_the_form_has_labelled_fields_and_a_hidden_csrf_token(browser: TestClient) -> None:
    page = browser.get("/login")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    found = fields(page.text)
    assert found.inputs["csrf_token"]["type"] == "hidden"
    assert found.inputs["password"]["type"] == "password"
    assert {"email", "password"} <= found.labelled
    assert '<html lang="en">' in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)  # no external assets
    assert page.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("token", [None, "", "wrong", "é"])
def test_a_post_without_the_right_token_is_a_403_and_signs_no_one_in(
    browser: TestClient, database: Database, token: str | None
) -> None:
    ada = make_user(database, "agent")
    form_token(browser)  # the session has a token; the post does not carry it
    extra = {} if token is None else {"csrf_token": token}
    response = browser.post("/login", data={"email": ada.email, "password": PASSWORD} | extra)
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert "expired" in response.text
    assert signed_in_as(browser) is None


def test_the_right_token_signs_in_and_redirects_with_303(
    browser: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    token = form_token(browser, "/login?next=/policies?tab=1")
    response = browser.post(
        "/login",
        data={
            "email": ada.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/policies?tab=1",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/policies?tab=1"
    assert signed_in_as(browser) == ada.id
    # A new session on sign-in: the token of the anonymous form is no longer valid.
    assert browser.get("/api/session").json()["csrf_token"] != token


def test_the_next_path_travels_from_the_query_into_the_form(browser: TestClient) -> None:
    page = browser.get("/login", params={"next": "/handbook#refunds"})
    assert fields(page.text).inputs["next"]["value"] == "/handbook#refunds"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_a_next_outside_this_site_goes_to_the_landing_page_instead(
    browser: TestClient, database: Database, target: str
) -> None:
    ada = make_user(database, "agent")
    response = browser.post(
        "/login",
        data={
            "email": ada.email,
            "password": PASSWORD,
            "csrf_token": form_token(browser),
            "next": target,
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/tickets"  # an agent's landing page


def test_a_wrong_password_shows_the_form_again_with_a_401(
    browser: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    form = {"email": ada.email, "password": "not it", "csrf_token": form_token(browser)}
    response = browser.post("/login", data=form)
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.text
    again = fields(response.text)
    assert again.inputs["email"]["value"] == ada.email
    assert "value" not in again.inputs["password"]
    assert signed_in_as(browser) is None


def test_the_form_is_rate_limited_with_retry_after(browser: TestClient, database: Database) -> None:
    ada = make_user(database, "agent")
    token = form_token(browser)
    wrong = {"email": ada.email, "password": "not it", "csrf_token": token}
    assert {browser.post("/login", data=wrong).status_code for _ in range(5)} == {401}
    right = {"email": ada.email, "password": PASSWORD, "csrf_token": token}
    response = browser.post("/login", data=right)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert signed_in_as(browser) is None


def test_signing_out_needs_the_token_of_the_session(
    browser: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    form = {"email": ada.email, "password": PASSWORD, "csrf_token": form_token(browser)}
    assert browser.post("/login", data=form).status_code == 303
    assert browser.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    assert signed_in_as(browser) == ada.id
    page = browser.get("/login")
    assert ada.email in page.text  # says who is signed in, with a sign-out button
    out = browser.post(
        "/logout", data={"csrf_token": fields(page.text).inputs["csrf_token"]["value"]}
    )
    assert (out.status_code, out.headers["location"]) == (303, "/login")
    assert signed_in_as(browser) is None


def test_html_in_a_rejected_e_mail_is_escaped(browser: TestClient) -> None:
    form = {"email": "<script>x</script>", "password": "p", "csrf_token": form_token(browser)}
    response = browser.post("/login", data=form)
    assert response.status_code == 401
    assert "<script>" not in response.text
