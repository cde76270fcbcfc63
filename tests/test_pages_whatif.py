"""The what-if page and its JSON API on the hand-counted store of ``support.whatif``:
2 h meets 2 of 6 decided tickets (33.3 %), 4 h meets 4 of 5 (80 %), +46.7 points.
The page (a GET form, no script) and ``GET /api/what-if`` give the same figures; bad
inputs come back as a message under the promise (page) or a 422 naming the field
(API); agents are refused."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services import _whatif_kept as kept
from charter.services.lifecycle import new_draft
from charter.services.tickets import import_tickets
from charter.services.whatif import forget_prepared, wait_for_reading
from charter.store import Database
from support.api import assert_error_body
from support.pages import sign_in
from support.seed import principal_of
from support.ticket_store import publish, result_of
from support.whatif import NOW, POLICY, STORY, H, tickets

PROMISE = "all--first_response"


@pytest.fixture
def manager(client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    forget_prepared()
    monkeypatch.setattr(clock, "now", lambda: NOW)
    publish(database, POLICY, slug="acme")
    import_tickets(database, result_of(STORY), source="desk", batch_size=100)
    sign_in(client, database, "manager")
    return client


def text_of(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    spaced = re.sub(r"</p>", " ", found.group(1))  # each paragraph a sentence apart
    return " ".join(unescape(re.sub(r"<[^>]+>", "", spaced)).split())


def answer_of(html: str) -> str:
    return text_of(html, rf'<div class="answer" id="answer-{PROMISE}"[^>]*>(.*?)</div>')


def test_the_page_lists_the_promise_with_todays_share_and_its_counts(manager: TestClient) -> None:
    html = manager.get("/what-if").text
    today = text_of(html, r'<p class="today">(.*?)</p>')
    # 2 of 6 decided, 6 tickets under the rule; 33.3 % is below the 80 % promised.
    assert today == (
        "Today: within 2 hours (24x7) for 80 % of tickets. Met by 33.3 % "
        "(2 of 6 decided; 6 tickets under all): not kept."
    )
    scope = text_of(html, r'<p class="scope" id="scope">(.*?)</p>')
    assert scope.startswith(
        "acme version 1 (published, in force), judged on the 6 tickets created from 2026-01 "
        "to 2026-12 (this month so far); running clocks as at Mon 07 Dec 2026 10:30 UTC."
    )
    assert answer_of(html) == ""


def test_the_form_tries_4h_and_the_page_and_the_api_give_the_same_figures(
    manager: TestClient,
) -> None:
    query = "policy=acme&version=1&rule_id=all&metric=first_response&within=4h&attainment="
    page = manager.get(f"/what-if?{query}")
    assert page.status_code == 200
    assert answer_of(page.text) == (
        "33.3 % → 80 %, +46.7 points "
        "Met 2 of 6 decided tickets within 2h today; 4 of 5 decided tickets within 4h as "
        "proposed. A promise of 80 % would have been kept."
    )
    kept = re.search(r'<input name="within"[^>]*>', page.text)
    assert kept and 'placeholder="2h" value="4h"' in kept.group(0)  # the form keeps the try
    body = manager.get(f"/api/what-if?{query}").json()
    assert (body["met_now"], body["decided_now"], body["met_then"], body["decided_then"]) == (
        2, 6, 4, 5,
    )  # fmt: skip
    assert (body["share_now"], body["share_then"], body["change"]) == (2 / 6, 0.8, 0.467)
    assert body["headline"] == "33.3 % → 80 %, +46.7 points"
    assert body["headline"] in answer_of(page.text)
    november = next(m for m in body["by_month"] if m["month"] == "2026-11")
    assert (november["share_now"], november["share_then"]) == (2 / 5, 4 / 5)  # t1-t5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("rule_id=none&metric=first_response&within=4h", "rule_id: no rule 'none'"),
        ("rule_id=all&metric=first_response&within=4+parsecs", "within: '4 parsecs' is not a"),
        ("rule_id=all&metric=first_response&attainment=150", "attainment: '150' is outside"),
        ("rule_id=all&metric=resolution&within=4h", "metric: rule 'all' sets no target"),
    ],
)
def test_a_bad_try_is_a_422_naming_the_field_on_the_page_and_in_the_api(
    manager: TestClient, query: str, message: str
) -> None:
    page = manager.get(f"/what-if?{query}")
    assert page.status_code == 422
    assert message in unescape(page.text)
    assert "Traceback" not in page.text
    assert '<section class="promise"' in page.text  # the promises are still listed
    answer = manager.get(f"/api/what-if?{query}")
    assert_error_body(answer.json(), 422, "invalid_input")
    assert answer.json()["error"]["message"].startswith(message)


def test_a_bad_share_is_told_under_its_promise(manager: TestClient) -> None:
    page = manager.get("/what-if?rule_id=all&metric=first_response&attainment=150")
    assert answer_of(page.text).startswith(
        "attainment: '150' is outside 0-100 %; write the share promised in per cent"
    )


def test_a_version_that_is_not_a_number_or_not_there_is_told_plainly(manager: TestClient) -> None:
    page = manager.get("/what-if?version=two")
    assert page.status_code == 422
    assert "version: 'two' is not a version number" in unescape(page.text)
    missing = manager.get("/what-if?policy=acme&version=7")
    assert missing.status_code == 404


def test_a_draft_is_tried_from_its_version_page(manager: TestClient, database: Database) -> None:
    draft = new_draft(database, "acme", principal_of(database, "manager"))
    version_page = manager.get(f"/policies/acme/versions/{draft.number}").text
    link = f"/what-if?policy=acme&amp;version={draft.number}#{PROMISE}"
    assert link in version_page
    html = manager.get(unescape(link)).text
    assert f"acme version {draft.number}" in html and "(draft)" in html


def test_agents_are_refused_the_page_and_the_api(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    publish(database, POLICY, slug="acme")
    sign_in(client, database, "agent")
    assert client.get("/what-if").status_code == 403
    assert client.get("/api/what-if?rule_id=all&metric=first_response").status_code == 403


def test_the_review_pack_links_to_the_what_if_of_the_live_version(manager: TestClient) -> None:
    html = manager.get("/review").text
    assert '<a href="/what-if?policy=acme&amp;version=1">the live version 1</a>' in html


def test_while_changed_tickets_are_read_the_page_says_its_figures_are_the_last_ones(
    manager: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept, "SLOW", 0.0)  # every preparation counts as slow
    assert 'id="reading"' not in manager.get("/what-if").text
    created = NOW - dt.timedelta(days=6)  # Tue 1 Dec, answered in 1 h
    later = NOW + dt.timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: later)
    import_tickets(database, result_of(tickets(("t7", created, created + H))), source="desk",
                   batch_size=100)  # fmt: skip
    html = manager.get("/what-if").text
    assert "they are being read again" in text_of(html, r'<p class="notice"[^>]*>(.*?)</p>')
    assert "Met by 33.3 %" in text_of(html, r'<p class="today">(.*?)</p>')  # 2 of 6, as before
    wait_for_reading()
    html = manager.get("/what-if").text
    assert 'id="reading"' not in html
    assert "Met by 42.9 %" in text_of(html, r'<p class="today">(.*?)</p>')  # 3 of 7
