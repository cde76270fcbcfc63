"""Security headers on every kind of response: pages, API, static files, every error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from charter.web.app import create_app
from support.pages import sign_in
from support.seed import publish_example
from support.web import bearer, make_settings

# Written out here, not imported: the test pins what browsers are told.
REQUIRED_CSP = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
HSTS = "max-age=31536000; includeSubDomains"
Response = Any  # what TestClient answers
Fetch = Callable[[TestClient, Database], Response]


def directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {words[0]: words[1:] for words in parts}


def assert_secured(response: Response) -> None:
    headers = response.headers
    assert len(headers.get_list("content-security-policy")) == 1
    csp = directives(headers["content-security-policy"])
    for name, sources in REQUIRED_CSP.items():
        assert csp.get(name) == sources, (name, csp)
    allowed = [s for name in ("default-src", "script-src", "style-src") for s in csp.get(name, [])]
    assert not any(s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:") for s in allowed)
    assert headers.get_list("x-frame-options") == ["DENY"]
    assert headers.get_list("x-content-type-options") == ["nosniff"]
    assert headers["referrer-policy"] in ("same-origin", "no-referrer", "strict-origin")


def _public_kept(client: TestClient, database: Database) -> Response:
    publish_example(database)
    first = client.get("/charter?tz=Asia/Tokyo")
    assert_secured(first)
    return client.get("/charter?tz=Asia/Tokyo")  # answered from memory


def _handbook(client: TestClient, database: Database) -> Response:
    publish_example(database)
    sign_in(client, database, "agent")
    return client.get("/handbook")


def _session(client: TestClient, database: Database) -> Response:
    sign_in(client, database, "agent")
    return client.get("/api/session")


def _unprocessable(client: TestClient, database: Database) -> Response:
    return client.get("/api/tickets?page=zero", headers=bearer(database, "agent"))


CASES: dict[str, tuple[Fetch, int]] = {
    "public page from memory": (_public_kept, 200),
    "public page, nothing published": (lambda c, d: c.get("/"), 404),
    "sign-in page": (lambda c, d: c.get("/login"), 200),
    "handbook signed in": (_handbook, 200),
    "API session": (_session, 200),
    "OpenAPI schema": (lambda c, d: c.get("/api/openapi.json"), 200),
    "static file": (lambda c, d: c.get("/static/charter.css"), 200),
    "404 page": (lambda c, d: c.get("/no-such-page"), 404),
    "404 API error": (lambda c, d: c.get("/api/no-such-thing"), 404),
    "405 page": (lambda c, d: c.delete("/charter"), 405),
    "422 API error": (_unprocessable, 422),
    "401 API error": (lambda c, d: c.get("/api/policies"), 401),
    "staff page redirect": (lambda c, d: c.get("/dashboard", follow_redirects=False), 303),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_kind_of_response_carries_the_security_headers(
    client: TestClient, database: Database, case: str
) -> None:
    fetch, status = CASES[case]
    response = fetch(client, database)
    assert response.status_code == status, response.text[:300]
    assert_secured(response)
    assert "strict-transport-security" not in response.headers  # not without the setting


@pytest.fixture
def failing_client(database_url: str, database: Database) -> Iterator[TestClient]:
    app = create_app(make_settings(database_url, https=True), database)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("path", ["/api/broken", "/broken", "/charter", "/static/public.css"])
def test_with_the_https_setting_every_response_also_carries_hsts_even_a_500(
    failing_client: TestClient, path: str
) -> None:
    response = failing_client.get(path)
    assert response.status_code in (200, 404, 500)
    if "broken" in path:
        assert response.status_code == 500 and "a bug" not in response.text
    assert_secured(response)
    assert response.headers.get_list("strict-transport-security") == [HSTS]


def test_the_sign_in_page_keeps_no_inline_style_of_its_own(client: TestClient) -> None:
    page = client.get("/login")
    assert "<style" not in page.text and "style=" not in page.text
    assert '<link rel="stylesheet" href="/static/login.css">' in page.text
    assert "font: 1rem/1.5" in client.get("/static/login.css").text
