"""``GET /api/outbox`` and ``POST /api/outbox/retry`` on the story of ``support.outbox``:
ticket t1's level 1 fired at 11:00 on Monday 5 January 2026 and left two dead letters,
to the ``lead`` role (no address, never tried) and to ops@acme.example (refused with a
550 at its one try)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from support.api import assert_error_body
from support.outbox import make_dead_letters
from support.ticket_store import rows
from support.web import bearer


def dead(database: Database) -> dict[str, int]:
    return dict(rows(database, "SELECT recipient, id FROM outbox WHERE state = 'dead'"))


def test_get_outbox_lists_t1s_two_dead_letters_newest_first(
    client: TestClient, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead(database)
    answer = client.get("/api/outbox?state=dead", headers=bearer(database, "manager"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["state"], body["total"], body["limit"]) == ("dead", 2, 100)
    # Both written in one transaction at 11:00, lead's first: newest first is ops, lead.
    got = [(m["id"], m["ticket"], m["level"], m["recipient"], m["tries"], m["created_at"])
           for m in body["messages"]]  # fmt: skip
    assert got == [
        (ids["ops@acme.example"], "t1", 1, "ops@acme.example", 1, "2026-01-05T11:00:00Z"),
        (ids["lead"], "t1", 1, "lead", 0, "2026-01-05T11:00:00Z"),
    ]


def test_post_retry_by_id_requeues_the_refused_address_and_names_the_manager_in_the_audit(
    client: TestClient, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ops = dead(database)["ops@acme.example"]
    headers = bearer(database, "manager")
    answer = client.post("/api/outbox/retry", json={"ids": [ops]}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"retried": [ops], "kept": []}
    assert rows(database, "SELECT state, tries FROM outbox WHERE id = :i", i=ops) == [
        ("pending", 0)
    ]
    (detail,) = rows(database, "SELECT detail FROM ticket_audit WHERE kind = 'message retried'")
    assert detail[0].startswith("email to ops@acme.example retried by Manager <manager")


def test_post_retry_all_says_which_letter_stays_dead_and_why(
    client: TestClient, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead(database)
    answer = client.post("/api/outbox/retry", json={"all": True},
                         headers=bearer(database, "admin"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["retried"] == [ids["ops@acme.example"]]
    assert [k["id"] for k in body["kept"]] == [ids["lead"]]
    assert body["kept"][0]["reason"].startswith("role 'lead' still has no e-mail address")


@pytest.mark.parametrize(
    ("body", "status", "code", "words"),
    [
        ({}, 422, "invalid_input", "not both and not neither"),
        ({"ids": [1], "all": True}, 422, "invalid_input", "not both and not neither"),
        ({"ids": [999]}, 404, "not_found", "no outbox message 999"),
        ({"ids": ["x"]}, 422, "invalid_input", ""),
        ({"every": True}, 422, "invalid_input", ""),
    ],
)
def test_post_retry_refuses_bad_bodies_with_the_error_body(
    client: TestClient,
    database: Database,
    body: dict[str, object],
    status: int,
    code: str,
    words: str,
) -> None:
    answer = client.post("/api/outbox/retry", json=body, headers=bearer(database, "manager"))
    assert answer.status_code == status, answer.text
    assert_error_body(answer.json(), status, code)
    assert words in answer.json()["error"]["message"]


def test_a_sent_message_is_a_409_and_an_agent_gets_403(
    client: TestClient, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ops = dead(database)["ops@acme.example"]
    manager = bearer(database, "manager")
    client.post("/api/outbox/retry", json={"ids": [ops]}, headers=manager)
    again = client.post("/api/outbox/retry", json={"ids": [ops]}, headers=manager)
    assert again.status_code == 409
    assert f"message {ops} is pending" in again.json()["error"]["message"]
    agent = bearer(database, "agent")
    assert client.get("/api/outbox", headers=agent).status_code == 403
    assert client.post("/api/outbox/retry", json={"all": True}, headers=agent).status_code == 403


@pytest.mark.parametrize("query", ["state=withdrawn", "state=nope", "limit=0", "limit=1001"])
def test_get_outbox_refuses_a_state_or_limit_it_cannot_list(
    client: TestClient, database: Database, query: str
) -> None:
    answer = client.get(f"/api/outbox?{query}", headers=bearer(database, "manager"))
    assert answer.status_code == 422
    assert_error_body(answer.json(), 422, "invalid_input")


@pytest.mark.parametrize("beyond", [2**31, 2**63 - 1, 0, -5])
def test_an_id_no_message_can_have_is_refused_naming_it_not_a_database_error(
    client: TestClient, database: Database, beyond: int
) -> None:
    # Outbox ids are positive 32-bit integers: 2,147,483,648 cannot be one, and on
    # PostgreSQL comparing the column with it overflowed into a 500. Like every id a
    # request carries, it is bounded: a 422 naming the list's item.
    manager = bearer(database, "manager")
    answer = client.post("/api/outbox/retry", json={"ids": [beyond]}, headers=manager)
    assert_error_body(answer.json(), 422, "invalid_input")
    assert answer.json()["error"]["details"][0]["field"] == "body.ids.0"


def test_an_id_that_could_be_a_message_but_is_not_is_a_404(
    client: TestClient, database: Database
) -> None:
    manager = bearer(database, "manager")
    answer = client.post("/api/outbox/retry", json={"ids": [2**31 - 1]}, headers=manager)
    assert answer.status_code == 404
    assert f"no outbox message {2**31 - 1}" in answer.json()["error"]["message"]
