"""The outbox page (``/outbox``) on the story of ``support.outbox``: ticket t1's level 1
fired at 11:00 on Monday 5 January 2026 and left two dead letters, to the ``lead`` role
(no address, never tried) and to ops@acme.example (refused with a 550 at its one try).
The page is read at 11:10 (the clock is fixed there)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.store import Database
from support.outbox import at, make_dead_letters
from support.pages import csrf_of, sign_in
from support.ticket_store import rows

READ_AT = "2026-01-05 11:10"


@pytest.fixture
def story(client: TestClient, database: Database, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:  # fmt: skip
    """The two dead letters' ids by recipient, a manager signed in, the clock at 11:10."""
    make_dead_letters(database, tmp_path)
    monkeypatch.setattr(clock, "now", lambda: at(READ_AT))
    sign_in(client, database, "manager")
    return dict(rows(database, "SELECT recipient, id FROM outbox WHERE state = 'dead'"))


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="message-(\d+)"', html)]


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_page_lists_t1s_two_dead_letters_newest_first_each_with_a_retry_button(
    client: TestClient, story: dict[str, int]
) -> None:
    page = client.get("/outbox")
    assert page.status_code == 200
    html = page.text
    # Written together at 11:00, lead's first: newest first is ops, then lead.
    assert row_ids(html) == [story["ops@acme.example"], story["lead"]]
    text = plain(html)
    assert "2 dead letters" in text
    assert "0 messages waiting to be sent" in text  # nothing pending: no link, no age
    assert 'href="/outbox?state=pending"' not in html
    assert f'aria-label="Retry message {story["lead"]}"' in html
    assert "Retry all 2" in text
    assert "role 'lead' has no e-mail address" in text
    assert "Mon 05 Jan 2026 11:00 UTC" in text
    assert 'href="/outbox" aria-current="page"' in html  # the nav names the page


def test_retrying_ops_from_its_button_says_so_and_the_pending_count_links_to_it(
    client: TestClient, database: Database, story: dict[str, int]
) -> None:
    ops = story["ops@acme.example"]
    token = csrf_of(client.get("/outbox").text)
    sent = client.post("/outbox/retry", data={"id": str(ops), "csrf_token": token},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    assert sent.headers["location"] == "/outbox?retried=1"
    html = client.get(sent.headers["location"]).text
    text = plain(html)
    assert "Retried 1 message: the worker tries it again at its next tick." in text
    assert row_ids(html) == [story["lead"]]
    # Back in line: one message waiting, written at 11:00, read at 11:10: 10 min old.
    assert "1 dead letter" in text
    assert "1 message waiting to be sent" in text
    assert "the oldest was written 10 min ago" in text
    # The count links to a list of exactly that many.
    assert 'href="/outbox?state=pending"' in html
    waiting = client.get("/outbox?state=pending").text
    assert row_ids(waiting) == [ops]
    assert "Retry message" not in waiting
    (detail,) = rows(database, "SELECT detail FROM ticket_audit WHERE kind = 'message retried'")
    assert detail[0].startswith("email to ops@acme.example retried by Manager <manager")


def test_retry_all_keeps_the_role_without_an_address_and_says_how_to_fix_it(
    client: TestClient, story: dict[str, int]
) -> None:
    token = csrf_of(client.get("/outbox").text)
    sent = client.post("/outbox/retry", data={"every": "1", "csrf_token": token},
                       follow_redirects=False)  # fmt: skip
    # One kept, the e-mail to the lead role; its id is in the list below, not the URL.
    assert sent.headers["location"] == "/outbox?retried=1&kept=1"
    text = plain(client.get(sent.headers["location"]).text)
    assert "Retried 1 message" in text
    assert "Kept dead: 1 message to a role that still has no e-mail address" in text


def test_a_message_retried_already_shows_the_list_again_with_the_reason(
    client: TestClient, story: dict[str, int]
) -> None:
    ops = story["ops@acme.example"]
    token = csrf_of(client.get("/outbox").text)
    client.post("/outbox/retry", data={"id": str(ops), "csrf_token": token})
    again = client.post("/outbox/retry", data={"id": str(ops), "csrf_token": token})
    assert again.status_code == 409
    assert f"only dead letters are retried: message {ops} is pending" in plain(again.text)
    assert row_ids(again.text) == [story["lead"]]


def test_a_retry_without_its_csrf_token_is_refused_and_retries_nothing(
    client: TestClient, story: dict[str, int], database: Database
) -> None:
    sent = client.post("/outbox/retry", data={"every": "1"})
    assert sent.status_code == 403
    assert rows(database, "SELECT count(*) FROM outbox WHERE state = 'dead'") == [(2,)]


@pytest.mark.parametrize(("query", "words"), [
    ("state=sent", "state 'sent' is not a list this page shows"),
    ("page=0", "page 0 is out of range"),
])  # fmt: skip
def test_a_list_the_page_cannot_show_is_a_422_naming_it(
    client: TestClient, story: dict[str, int], query: str, words: str
) -> None:
    page = client.get(f"/outbox?{query}")
    assert page.status_code == 422
    assert words in plain(page.text)


def test_agents_are_refused_and_see_no_outbox_link_and_visitors_are_sent_to_sign_in(
    client: TestClient, database: Database
) -> None:
    anonymous = client.get("/outbox", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 307)
    assert anonymous.headers["location"] == "/login?next=/outbox"
    sign_in(client, database, "agent")
    refused = client.get("/outbox")
    assert refused.status_code == 403
    assert "this page is for admin or manager accounts" in plain(refused.text)
    assert 'href="/outbox"' not in client.get("/tickets").text


def test_a_training_reminder_waits_in_the_outbox_named_training_not_a_ticket(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.config import Settings
    from charter.services.training import send_reminders
    from support import EXAMPLE_TEXT
    from support.training import V1_AT, make_team, publish_chain, utc

    # The training story (support.training): Thursday 10 December 08:00 is the reminder
    # before the deadline of version 1 for Ava, Ben and Mo; no SMTP server is set.
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    make_team(database)
    send_reminders(database, Settings(data_dir=tmp_path), utc("2026-12-10 08:00"))
    monkeypatch.setattr(clock, "now", lambda: utc("2026-12-10 08:05"))
    sign_in(client, database, "manager")
    html = client.get("/outbox?state=pending").text
    text = plain(html)
    assert "3 messages waiting to be sent" in text
    assert len(re.findall(r"<td>training</td>", html)) == 3
    assert 'href="/tickets/None"' not in html
    assert "ava@larkfield.example" in text
