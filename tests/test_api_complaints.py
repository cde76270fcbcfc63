"""``/api/complaints``: a case opened from ticket T-1 (received Thursday 3 December 2026
10:00 on ``uk-support``, support.complaints), acted on stage by stage; refusals answer
409 and bad values 422, in the one error body."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from charter.services.tokens import create_token
from charter.store import Database
from support.api import assert_error_body
from support.complaints import FRONT_LINE, REVIEW, add_ticket, person, publish_complaints

API = "/api/complaints"


def headers(database: Database, name: str) -> tuple[int, dict[str, str]]:
    who = person(database, name)
    secret = create_token(database, who.id, "tests").secret
    return who.id, {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def case(client: TestClient, database: Database) -> int:
    publish_complaints(database)
    add_ticket(database, "T-1", dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))
    _, ann = headers(database, "Ann")
    answer = client.post(API, json={"ticket": "T-1"}, headers=ann)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def test_opening_t1_gives_its_stage_one_deadlines_counted_by_hand(
    client: TestClient, database: Database, case: int
) -> None:
    # Day 0 Thu 3 Dec; acknowledge within 1wd: Fri 4 Dec 23:59:59 GMT; the response
    # counts from that deadline until acknowledged: Sat 5 (1), Mon 7 (2).
    _, ann = headers(database, "Ann")
    body = client.get(f"{API}/{case}", headers=ann).json()
    assert (body["ticket"], body["stage"], body["state"]) == ("T-1", 1, "open")
    [stage] = body["stages"]
    assert stage["stage_id"] == FRONT_LINE
    ends = [(d["name"], d["ends_at"], d["provisional"]) for d in stage["deadlines"]]
    assert ends == [("acknowledgment", "2026-12-04T23:59:59Z", False),
                    ("response", "2026-12-07T23:59:59Z", True)]  # fmt: skip
    again = client.post(API, json={"ticket": "T-1"}, headers=ann)
    assert_error_body(again.json(), 409, "conflict")
    assert f"already has complaint {case}" in again.json()["error"]["message"]


def test_stage_two_refuses_the_first_handler_with_409_and_takes_another(
    client: TestClient, database: Database, case: int
) -> None:
    ann_id, ann = headers(database, "Ann")
    ben_id, _ = headers(database, "Ben")
    assert client.put(f"{API}/{case}/handler", json={"handler_id": ann_id},
                      headers=ann).status_code == 200  # fmt: skip
    assert client.post(f"{API}/{case}/response", headers=ann).status_code == 200
    moved = client.post(f"{API}/{case}/escalation", json={}, headers=ann)
    assert moved.status_code == 200, moved.text
    assert moved.json()["stages"][1]["stage_id"] == REVIEW
    refused = client.put(f"{API}/{case}/handler", json={"handler_id": ann_id}, headers=ann)
    assert_error_body(refused.json(), 409, "conflict")
    assert "Ann handled stage 1, and stage 2" in refused.json()["error"]["message"]
    taken = client.put(f"{API}/{case}/handler", json={"handler_id": ben_id}, headers=ann)
    assert taken.json()["stages"][1]["handler"] == "Ben"


def test_an_extension_without_a_reason_is_422_naming_the_field(
    client: TestClient, database: Database, case: int
) -> None:
    _, ann = headers(database, "Ann")
    body = {"deadline": "acknowledgment", "days": 2, "reason": ""}
    refused = client.post(f"{API}/{case}/extensions", json=body, headers=ann)
    assert_error_body(refused.json(), 422, "invalid_input")
    assert refused.json()["error"]["message"] == "reason: an extension needs a written reason"
    body["reason"] = "waiting for the courier"
    granted = client.post(f"{API}/{case}/extensions", json=body, headers=ann)
    assert granted.status_code == 201, granted.text
    # Fri 4 Dec + 2 working days: Sat 5 (1), Mon 7 (2).
    ack = granted.json()["stages"][0]["deadlines"][0]
    assert ack["ends_at"] == "2026-12-07T23:59:59Z"


def test_the_list_filters_by_stage_and_an_unknown_case_is_404(
    client: TestClient, database: Database, case: int
) -> None:
    _, ann = headers(database, "Ann")
    listed = client.get(f"{API}?stage={FRONT_LINE}", headers=ann).json()
    assert [c["id"] for c in listed["complaints"]] == [case]
    assert client.get(f"{API}?stage={REVIEW}", headers=ann).json()["total"] == 0
    bad = client.get(f"{API}?month=December", headers=ann)
    assert_error_body(bad.json(), 422, "invalid_input")
    missing = client.get(f"{API}/999", headers=ann)
    assert_error_body(missing.json(), 404, "not_found")


def test_an_id_past_the_databases_integers_is_a_clear_422_not_a_server_error(
    client: TestClient, database: Database
) -> None:
    # 2**63 overflowed SQLite's and PostgreSQL's integers (a 500) before the path bound.
    _, ann = headers(database, "Ann")
    for path in (f"{API}/9223372036854775808", f"{API}/2147483648/closing"):
        method = client.post if path.endswith("closing") else client.get
        answer = method(path, headers=ann)
        assert answer.status_code == 422, path
        assert "case_id" in answer.text
