"""What every page shares: sign-in redirects, role refusals and errors as pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from charter.store import Database
from support.pages import sign_in


def test_an_unknown_page_is_an_html_page_while_the_api_keeps_its_json_body(
    client: TestClient,
) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text and 'id="main"' in page.text
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_the_stylesheet_is_served_from_the_package(client: TestClient) -> None:
    sheet = client.get("/static/charter.css")
    assert sheet.status_code == 200 and "text/css" in sheet.headers["content-type"]
    assert "http" not in sheet.text  # nothing fetched from elsewhere


def test_a_signed_in_page_names_the_account_and_offers_sign_out(
    client: TestClient, database: Database
) -> None:
    user = sign_in(client, database, "agent")
    page = client.get("/no-such-page")
    assert f"{user.name} (agent)" in page.text and 'action="/logout"' in page.text
