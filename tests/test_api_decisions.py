"""``/api/decisions``: an agent decides a delivery and the record keeps it; the
listing, the export and the refund's refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.store import Database
from support.api import assert_error_body, ok
from support.decisions import publish_returns
from support.seed import SLUG, publish_example
from support.web import bearer

PUBLISHED = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
ASKED = dt.datetime(2026, 12, 7, 11, tzinfo=dt.UTC)
URL = "/api/decisions"


@pytest.fixture
def published(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: PUBLISHED)
    publish_example(database)
    monkeypatch.setattr(clock, "now", lambda: ASKED)


def _delivery(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    question = {"ordered_at": "2026-12-07T10:00:00+00:00", "region": "UK mainland",
                "method": "standard"} | body  # fmt: skip
    return client.post(f"{URL}/delivery", json=question, headers=headers)


def test_agent_delivery_story_answers_with_the_clause_and_is_recorded(
    client: TestClient, database: Database, published: None
) -> None:
    agent = bearer(database, "agent")
    # Mon 7 Dec 2026 10:00 GMT, UK standard (handling 0-1, transit 2-3, cutoff 14:00):
    # day 0 Mon 7, dispatch by Tue 8, earliest Wed 9, delivered by Fri 11 Dec.
    made = ok(_delivery(client, agent, ticket_ref="ZD-4411"), 201)
    assert (made["outcome"], made["outcome_words"]) == ("promised", "promised")
    assert made["answer"]["dispatch_by"] == "2026-12-08"
    assert made["answer"]["earliest_delivery"] == "2026-12-09"
    assert made["answer"]["delivered_by"] == "2026-12-11"
    assert made["clauses"][0]["id"] == "delivery.delivery-uk-standard"
    assert made["clauses"][0]["text"].startswith("UK mainland, standard: dispatched within")
    assert made["version"]["label"] == f"{SLUG} version 1"
    assert made["version"]["basis"] == "order"
    assert len(made["version"]["content_hash"]) == 64
    assert (made["asked_via"], made["asked_at"]) == ("token", "2026-12-07T11:00:00Z")
    me = ok(client.get("/api/users/me", headers=agent))
    assert made["asked_by"] == me["id"]
    assert ok(client.get(f"{URL}/{made['id']}", headers=agent)) == made
    listed = ok(client.get(URL, params={"ticket_ref": "ZD-4411"}, headers=agent))
    assert [d["id"] for d in listed["decisions"]] == [made["id"]]


def test_late_delivery_story_is_listed_under_its_outcome_and_clause(
    client: TestClient, database: Database, published: None
) -> None:
    agent = bearer(database, "agent")
    ok(_delivery(client, agent), 201)
    # Due Fri 11 Dec; delivered Tue 15 Dec: late by Mon 14 and Tue 15 = 2 working days.
    late = ok(_delivery(client, agent, delivered_at="2026-12-15T09:00:00+00:00"), 201)
    assert (late["outcome"], late["answer"]["working_days_late"]) == ("late", 2)
    found = ok(
        client.get(
            URL, params={"outcome": "late", "clause": "delivery.delivery-uk-standard"},
            headers=agent,
        )
    )  # fmt: skip
    assert [d["id"] for d in found["decisions"]] == [late["id"]]
    assert found["total"] == 1


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"ordered_at": "2026-12-07T10:00:00"}, "body.ordered_at", "timezone"),
        ({"region": ""}, "body.region", "at least 1"),
        ({"colour": "red"}, "body.colour", "Extra inputs"),
    ],
)
def test_a_bad_question_is_a_422_naming_the_field(
    client: TestClient, database: Database, published: None, body: Any, field: str, words: str
) -> None:
    response = _delivery(client, bearer(database, "agent"), **body)
    assert_error_body(response.json(), 422, "invalid_input")
    detail = response.json()["error"]["details"][0]
    assert detail["field"] == field and words in detail["problem"]


def test_a_region_the_policy_lacks_is_a_422_listing_those_it_has(
    client: TestClient, database: Database, published: None
) -> None:
    response = _delivery(client, bearer(database, "agent"), region="Mars")
    assert_error_body(response.json(), 422, "invalid_input")
    assert "it has: UK mainland, United States" in response.json()["error"]["message"]


def test_export_story_streams_csv_for_managers_with_formulas_as_text(
    client: TestClient, database: Database, published: None
) -> None:
    ok(_delivery(client, bearer(database, "agent"), order_ref="@SUM(A1)"), 201)
    response = client.get(f"{URL}/export.csv", headers=bearer(database, "manager"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    lines = response.text.splitlines()
    assert len(lines) == 2 and lines[0].startswith("id,kind,asked_at")
    assert ",'@SUM(A1)," in lines[1]
    bad = client.get(f"{URL}/export.csv", params={"since": "yesterday"},
                     headers=bearer(database, "manager"))  # fmt: skip
    assert_error_body(bad.json(), 422, "invalid_input")
    assert bad.json()["error"]["details"][0]["field"] == "since"


def test_a_refund_on_a_delivery_is_a_conflict_and_a_missing_one_404(
    client: TestClient, database: Database, published: None
) -> None:
    agent = bearer(database, "agent")
    made = ok(_delivery(client, agent), 201)
    paid = {"paid_at": "2026-12-07T10:30:00+00:00"}
    conflict = client.post(f"{URL}/{made['id']}/refund", json=paid, headers=agent)
    assert_error_body(conflict.json(), 409, "conflict")
    assert "only a return has a refund" in conflict.json()["error"]["message"]
    missing = client.post(f"{URL}/999/refund", json=paid, headers=agent)
    assert_error_body(missing.json(), 404, "not_found")
    future = client.post(f"{URL}/{made['id']}/refund", headers=agent,
                         json={"paid_at": "2026-12-08T10:30:00+00:00"})  # fmt: skip
    assert future.json()["error"]["details"][0]["field"] == "paid_at"


def test_agent_return_story_records_the_refund_and_counts_it(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    agent = bearer(database, "agent")
    question = {"ordered_at": "2026-11-28T09:00:00+00:00",
                "delivered_at": "2026-12-01T10:00:00+00:00", "category": "lamps",
                "reason": "changed_mind", "price": "49.99"}  # fmt: skip
    made = ok(client.post(f"{URL}/return", json=question, headers=agent), 201)
    # 30 days from Tue 1 Dec: the end of Thu 31 Dec; 49.99 less 10 % (5.00) = 44.99.
    assert (made["outcome"], made["answer"]["window_ends_utc"]) == (
        "allowed", "2026-12-31T23:59:59+00:00",
    )  # fmt: skip
    assert made["answer"]["refund"]["amount"] == "44.99"
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 23, 12, tzinfo=dt.UTC))
    # Back Tue 8 Dec: due at the end of Tue 22 Dec; paid 23 Dec 10:00 is late.
    paid = ok(client.post(f"{URL}/{made['id']}/refund", headers=agent, json={
        "received_back_at": "2026-12-08T09:00:00+00:00", "paid_at": "2026-12-23T10:00:00+00:00",
    }))  # fmt: skip
    assert (paid["refund_due_at"], paid["refund_state"]) == ("2026-12-22T23:59:59Z", "late")
    listed = ok(client.get(URL, params={"refund": "late"}, headers=agent))
    assert [d["id"] for d in listed["decisions"]] == [made["id"]]
    assert (listed["refunds"]["late"], listed["refunds"]["share"]) == (1, 0.0)


def test_a_reason_the_policy_lacks_is_a_422_listing_its_reasons(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_returns(database, monkeypatch)
    question = {"ordered_at": "2026-11-28T09:00:00+00:00", "category": "lamps",
                "reason": "bored", "price": "1.234"}  # fmt: skip
    too_precise = client.post(f"{URL}/return", json=question, headers=bearer(database, "agent"))
    assert too_precise.json()["error"]["details"][0]["field"] == "body.price"
    question["price"] = "1.23"
    response = client.post(f"{URL}/return", json=question, headers=bearer(database, "agent"))
    assert_error_body(response.json(), 422, "invalid_input")
    assert "it has: changed_mind, faulty" in response.json()["error"]["message"]
