"""Visitors rate the public charter's sections (POST /charter/feedback): stored
anonymously; a form from elsewhere, out of date or filled by a bot is not; one address
may send 10 an hour. On the example policy, published as version 1."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.errors import TooManyRequests
from charter.feedback import tokens
from charter.services.policy_feedback import SALT, form_token, rate_section
from charter.services.publishing import export_site
from charter.store import Database
from support.seed import publish_example
from support.ticket_store import rows

SIX = ["vision", "contact_points", "service_levels", "delivery", "returns", "complaints"]


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def send(client: TestClient, token: str, **fields: str) -> object:
    data = {"token": token, "section": "returns", **fields}
    return client.post("/charter/feedback", data=data)


@pytest.fixture
def page(client: TestClient, database: Database) -> str:
    publish_example(database)
    return client.get("/charter").text


def test_each_of_the_six_sections_has_a_rating_form_with_a_signed_token(page: str) -> None:
    assert re.findall(r'name="section" value="([a-z_]+)"', page) == SIX
    # One token for the page, naming version 1 (the example's id in a fresh database).
    assert len(set(re.findall(r'name="token" value="([^"]+)"', page))) == 1
    assert page.count('name="website"') == 6  # the honeypot, off-screen, no tab stop
    assert 'tabindex="-1"' in page


def test_a_rating_is_stored_without_the_address_and_thanked(
    client: TestClient, database: Database, page: str
) -> None:
    answer = send(client, token_of(page), clear="no", fair="yes",
                  comment="Which day does the 30 days start?\x07")  # fmt: skip
    assert answer.status_code == 200  # type: ignore[attr-defined]
    text = plain(answer.text)  # type: ignore[attr-defined]
    assert "Your feedback on “Returns and refunds” is with the team" in text
    assert 'href="/charter#returns"' in answer.text  # type: ignore[attr-defined]
    [(section, clear, fair, comment, hashed)] = rows(
        database, "SELECT section, clear, fair, comment, address_hash FROM policy_feedback"
    )
    assert (section, bool(clear), bool(fair)) == ("returns", False, True)
    assert comment == "Which day does the 30 days start?"  # the control character dropped
    assert len(hashed) == 64 and "testclient" not in hashed


def test_a_bot_that_fills_the_hidden_field_is_thanked_and_dropped(
    client: TestClient, database: Database, page: str
) -> None:
    answer = send(client, token_of(page), clear="yes", website="http://spam.example")
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert rows(database, "SELECT count(*) FROM policy_feedback") == [(0,)]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"token": "abc.def.ghi"}, "this form is not one of ours"),
        ({"section": "kpis"}, "is not one you can rate here"),
        ({}, "say whether the section is clear or fair, or write a comment"),
        ({"clear": "maybe"}, "is not yes or no"),
        ({"comment": "x" * 1001}, "1,001 characters is too long; at most 1,000"),
    ],
)
def test_a_rating_that_cannot_be_taken_says_why_and_stores_nothing(
    client: TestClient, database: Database, page: str, change: dict[str, str], words: str
) -> None:
    fields = {"token": token_of(page), "section": "returns", **change}
    answer = client.post("/charter/feedback", data=fields)
    assert answer.status_code == 422
    assert words in plain(answer.text).lower()  # the page starts the sentence capitalised
    assert rows(database, "SELECT count(*) FROM policy_feedback") == [(0,)]


def test_a_page_left_open_twelve_hours_asks_to_reload(
    client: TestClient, database: Database, page: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_of(page)
    later = clock.now() + dt.timedelta(hours=12, minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    answer = send(client, token, clear="yes")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "open a long time; reload it" in plain(answer.text)  # type: ignore[attr-defined]


def test_ten_an_hour_from_one_address_then_429_and_another_address_is_free(
    client: TestClient, database: Database, page: str
) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    version_id = tokens.unsign(token_of(page), settings.secret_key, SALT, now=clock.now())[0]
    token = form_token(settings, version_id)
    at = clock.now()
    for n in range(10):
        rate_section(database, settings, token=token, section="returns", clear="yes",
                     fair=None, comment=None, honeypot=None, address="203.0.113.5",
                     now=at + dt.timedelta(minutes=n))  # fmt: skip
    with pytest.raises(TooManyRequests, match="sent 10 ratings in the last hour") as caught:
        rate_section(database, settings, token=token, section="returns", clear="yes",
                     fair=None, comment=None, honeypot=None, address="203.0.113.5",
                     now=at + dt.timedelta(minutes=30))  # fmt: skip
    assert caught.value.retry_after == 3600
    rate_section(database, settings, token=token, section="returns", clear="no", fair=None,
                 comment=None, honeypot=None, address="203.0.113.6",
                 now=at + dt.timedelta(minutes=30))  # fmt: skip
    # An hour after the first, the first no longer counts.
    rate_section(database, settings, token=token, section="returns", clear="yes", fair=None,
                 comment=None, honeypot=None, address="203.0.113.5",
                 now=at + dt.timedelta(minutes=61))  # fmt: skip
    assert rows(database, "SELECT count(*) FROM policy_feedback") == [(12,)]


def test_the_http_answer_past_the_limit_is_429_with_retry_after(
    client: TestClient, database: Database, page: str
) -> None:
    token = token_of(page)
    for _ in range(10):
        assert send(client, token, clear="yes").status_code == 200  # type: ignore[attr-defined]
    answer = send(client, token, clear="yes")
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert answer.headers["Retry-After"] == "3600"  # type: ignore[attr-defined]
    assert "please try again later" in plain(answer.text)  # type: ignore[attr-defined]


def test_the_static_site_has_no_rating_forms_it_has_no_server_to_send_to(
    database: Database, tmp_path: Path
) -> None:
    publish_example(database)
    export_site(database, tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text()
    assert "Our promises" in html and "/charter/feedback" not in html
