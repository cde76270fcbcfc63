"""The agents' page ``/decide`` and the record ``/decisions``: a delivery decided from
the form, in the business's timezone, recorded and listed with its clause."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.store import Database
from support.decisions import publish_returns
from support.pages import csrf_of, sign_in
from support.seed import SLUG, publish_example

PUBLISHED = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
ASKED = dt.datetime(2026, 12, 7, 11, tzinfo=dt.UTC)


@pytest.fixture
def published(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: PUBLISHED)
    publish_example(database)
    monkeypatch.setattr(clock, "now", lambda: ASKED)


def _decide(client: TestClient, **fields: str) -> object:
    token = csrf_of(client.get("/decide").text)
    form = {"ordered": "2026-12-07T10:00", "promise": "UK mainland|standard",
            "csrf_token": token} | fields  # fmt: skip
    return client.post("/decide/delivery", data=form, follow_redirects=False)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_agent_delivery_story_reads_the_order_in_the_business_zone(
    client: TestClient, database: Database, published: None
) -> None:
    sign_in(client, database, "agent")
    page = client.get("/decide")
    assert page.status_code == 200
    assert 'href="/decide" aria-current="page"' in page.text
    assert "Times are in Europe/London" in page.text
    # Typed 13:30 on Tue 30 Mar 2027, read in Europe/London (BST): 12:30 UTC, before the
    # 14:00 cutoff, so day 0 is Tue 30 Mar; dispatch by Wed 31 Mar; delivered by 3
    # working days later: Thu 1, Fri 2, Mon 5 Apr (Easter 2027 was 26-29 March). Read
    # as UTC it would be 14:30 BST, after the cutoff, and delivered by Tue 6 Apr.
    response = _decide(client, ordered="2027-03-30T13:30", ticket_ref="ZD-9")
    assert response.status_code == 303  # type: ignore[attr-defined]
    target = response.headers["location"]  # type: ignore[attr-defined]
    assert target.startswith("/decide?decision=")
    shown = _text(client.get(target).text)
    assert "Ordered Tue 30 Mar 2027 13:30 BST" in shown
    assert "Counted from Tue 30 Mar 2027" in shown
    assert "Dispatch by Wed 31 Mar 2027" in shown
    assert "Delivered by Mon 5 Apr 2027" in shown
    assert "delivery.delivery-uk-standard UK mainland, standard: dispatched within" in shown
    assert f"Under {SLUG} version 1" in shown
    assert "the version in force when the order was placed" in shown


def test_the_record_lists_the_decision_linked_with_its_filters(
    client: TestClient, database: Database, published: None
) -> None:
    agent = sign_in(client, database, "agent")
    _decide(client, ticket_ref="ZD-9")
    listed = client.get("/decisions")
    assert listed.status_code == 200
    assert 'href="/decisions/1"' in listed.text
    assert f'href="/decisions?asked_by={agent.id}"' in listed.text
    assert 'href="/decisions?ticket_ref=ZD-9"' in listed.text
    assert 'id="export"' not in listed.text  # agents read the record; managers export
    one = client.get("/decisions/1")
    assert "delivery.delivery-uk-standard" in one.text
    assert client.get("/decisions?outcome=late").text.count('id="decision-') == 0
    assert client.get("/decisions?ticket_ref=ZD-9").text.count('id="decision-') == 1


def test_a_manager_sees_the_export_link_with_the_filters(
    client: TestClient, database: Database, published: None
) -> None:
    sign_in(client, database, "manager")
    _decide(client)
    listed = client.get("/decisions?kind=delivery")
    assert 'href="/api/decisions/export.csv?kind=delivery"' in listed.text


def test_a_bad_field_comes_back_as_the_form_naming_it(
    client: TestClient, database: Database, published: None
) -> None:
    sign_in(client, database, "agent")
    bad = _decide(client, ordered="30/03/2027")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "ordered: &#39;30/03/2027&#39; is not a date and time" in bad.text  # type: ignore[attr-defined]
    assert 'value="30/03/2027"' in bad.text  # type: ignore[attr-defined]
    wrong = _decide(client, promise="Mars|rocket")
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    assert "it has: UK mainland, United States" in wrong.text  # type: ignore[attr-defined]
    filtered = client.get("/decisions?since=yesterday")
    assert filtered.status_code == 422
    assert "since: &#39;yesterday&#39; is not a date" in filtered.text


def test_anonymous_callers_are_sent_to_sign_in(client: TestClient, published: None) -> None:
    response = client.get("/decide", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_agent_return_story_shows_window_refund_and_clause_text(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    sign_in(client, database, "agent")
    form = client.get("/decide").text
    assert '<option value="changed_mind">I changed my mind.</option>' in form
    fields = {"ordered": "2026-11-28T09:00", "delivered": "2026-12-01T10:00",
              "category": "lamps", "reason": "changed_mind", "price": "49.99",
              "csrf_token": csrf_of(form)}  # fmt: skip
    response = client.post("/decide/return", data=fields, follow_redirects=False)
    assert response.status_code == 303, response.text
    shown = _text(client.get(response.headers["location"]).text)
    # Delivered Tue 1 Dec 10:00 GMT: 30 days end Thu 31 Dec 23:59:59 on the window's
    # clock (24x7, UTC: the section names no calendar), shown in the business's zone
    # (London, GMT in December); 49.99 less a 10 % fee (5.00) is 44.99, due within 14
    # days of the goods or evidence coming back.
    assert "Return allowed" in shown
    assert "Window ends Thu 31 Dec 2026 23:59 GMT" in shown
    assert "Refund original payment: 44.99 after a fee of 5.00" in shown
    assert "Decided by returns Items can be returned within 30 days of delivery." in shown
    unmet = fields | {"unmet": "return-unused", "csrf_token": csrf_of(form)}
    refused = client.post("/decide/return", data=unmet, follow_redirects=False)
    shown = _text(client.get(refused.headers["location"]).text)
    assert "Return refused" in shown
    assert "return-unused Items are unused and in their original packaging." in shown
    bad = client.post("/decide/return", data=fields | {"price": "lots"})
    assert bad.status_code == 422
    assert "price: &#39;lots&#39; is not an amount of money" in bad.text


def test_refund_story_recorded_on_the_decision_page_in_the_business_zone(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    sign_in(client, database, "agent")
    form = client.get("/decide").text
    fields = {"ordered": "2026-11-28T09:00", "delivered": "2026-12-01T10:00",
              "category": "lamps", "reason": "changed_mind",
              "csrf_token": csrf_of(form)}  # fmt: skip
    made = client.post("/decide/return", data=fields, follow_redirects=False)
    number = made.headers["location"].split("=")[1].split("#")[0]
    page = client.get(f"/decisions/{number}").text
    # Back Wed 2 Dec 09:00 London (GMT): 14 days, day 0 not counted: due at the end of
    # Wed 16 Dec; paid Mon 7 Dec 10:00 GMT, before it: on time.
    done = client.post(
        f"/decisions/{number}/refund", follow_redirects=False,
        data={"received_back": "2026-12-02T09:00", "paid": "2026-12-07T10:00",
              "csrf_token": csrf_of(page)},
    )  # fmt: skip
    assert done.status_code == 303, done.text
    shown = _text(client.get(done.headers["location"]).text)
    assert "The refund's instants are recorded." in shown
    assert "Due Wed 16 Dec 2026 23:59 GMT" in shown
    assert "Paid Mon 07 Dec 2026 10:00 GMT (paid on time)" in shown
    # Asked at 7 Dec 11:00 UTC: a payment typed for 8 Dec has not happened yet.
    future = client.post(
        f"/decisions/{number}/refund",
        data={"paid": "2026-12-08T10:00", "csrf_token": csrf_of(page)},
    )
    assert future.status_code == 422
    assert "paid_at: 2026-12-08T10:00:00+00:00 is in the future" in future.text


def test_a_decisions_inputs_read_in_words_in_the_business_zone(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    sign_in(client, database, "agent")
    form = client.get("/decide").text
    fields = {"ordered": "2026-11-28T09:00", "delivered": "2026-12-01T10:00",
              "category": "lamps", "reason": "changed_mind", "unmet": "return-unused",
              "csrf_token": csrf_of(form)}  # fmt: skip
    made = client.post("/decide/return", data=fields, follow_redirects=False)
    number = made.headers["location"].split("=")[1].split("#")[0]
    shown = _text(client.get(f"/decisions/{number}").text)
    # Typed 09:00 on Sat 28 Nov in London (GMT, so 09:00 UTC): stored as an instant,
    # shown back as the agent typed it, not as ISO text; booleans and lists in words.
    assert "ordered at Sat 28 Nov 2026 09:00 GMT" in shown
    assert "delivered at Tue 01 Dec 2026 10:00 GMT" in shown
    assert "informed of right yes" in shown
    assert "unmet conditions return-unused" in shown
    assert "+00:00" not in shown and "True" not in shown
