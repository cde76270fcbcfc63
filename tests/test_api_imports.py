"""``POST /api/tickets/import``: helpdesk exports uploaded, upserted, and shown with SLA state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.services.helpdesk_files import Source, read_exports
from charter.store import Database
from support.api import assert_error_body
from support.seed import SLUG, publish_example
from support.web import bearer

ZENDESK = Path(__file__).parent / "fixtures" / "zendesk"
PAGES = ("tickets_page1.json", "tickets_page2.json", "audits.json")
CSV = "id,created_at,channel,priority,status\n1,2026-03-02T09:00:00Z,email,low,open\n"


def upload(client: TestClient, headers: dict[str, str], source: str, files: list) -> dict:
    response = client.post(
        "/api/tickets/import", data={"source": source}, files=files, headers=headers
    )
    return {"status": response.status_code, "body": response.json()}


def zendesk_files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, (ZENDESK / name).read_bytes(), "application/json")) for name in PAGES]


def test_an_upload_is_stored_and_the_same_upload_again_changes_nothing(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    headers = bearer(database, "manager")
    first = upload(client, headers, "zendesk", zendesk_files())
    assert first["status"] == 201, first
    body = first["body"]
    assert body["inserted"] == body["tickets"] > 0
    expected = read_exports(Source.zendesk, [ZENDESK / name for name in PAGES])
    assert body["tickets"] == expected.imported
    assert body["rejected"] == expected.rejected == len(body["rejects"]) > 0
    assert body["sla"]["computed"] and body["sla"]["tickets"] == body["tickets"]
    listed = client.get("/api/tickets", headers=headers).json()
    assert listed["total"] == body["tickets"]
    assert {t["source"] for t in listed["items"]} == {"zendesk"}
    again = upload(client, headers, "zendesk", zendesk_files())["body"]
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, body["tickets"])
    assert client.get("/api/tickets", headers=headers).json()["total"] == body["tickets"]


def test_a_stored_ticket_shows_its_events_and_the_rule_that_applied(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    headers = bearer(database, "manager")
    upload(client, headers, "zendesk", zendesk_files())
    first = client.get("/api/tickets", headers=headers).json()["items"][0]
    ticket = client.get(f"/api/tickets/{first['id']}", headers=headers).json()
    assert ticket["source_id"] == first["source_id"]
    assert ticket["sla"], "the published policy applies to every stored ticket"
    assert all(state["rule_id"] for state in ticket["sla"] if state["status"] != "none")


def test_a_file_that_cannot_be_read_is_a_400_and_stores_nothing(
    client: TestClient, database: Database
) -> None:
    headers = bearer(database, "manager")
    files = [("files", ("notes.txt", b"hello", "text/plain"))]
    result = upload(client, headers, "zendesk", files)
    assert result["status"] == 400, result
    assert_error_body(result["body"], 400, "bad_request")
    assert client.get("/api/tickets", headers=headers).json()["total"] == 0


def test_a_csv_upload_needs_no_policy_to_be_stored(client: TestClient, database: Database) -> None:
    headers = bearer(database, "admin")
    files = [("files", ("tickets.csv", CSV.encode(), "text/csv"))]
    result = upload(client, headers, "csv", files)
    assert result["status"] == 201, result
    assert result["body"]["inserted"] == 1
    assert not result["body"]["sla"]["computed"]
    assert "publish" in result["body"]["sla"]["note"]


def test_an_upload_without_a_file_name_is_refused(client: TestClient, database: Database) -> None:
    files = [("files", ("", CSV.encode(), "text/csv"))]
    result = upload(client, bearer(database, "manager"), "csv", files)
    assert 400 <= result["status"] < 500


def test_agents_cannot_import(client: TestClient, database: Database) -> None:
    files = [("files", ("tickets.csv", CSV.encode(), "text/csv"))]
    result = upload(client, bearer(database, "agent"), "csv", files)
    assert result["status"] == 403


def test_a_control_character_in_a_filter_is_a_422_on_every_database(
    client: TestClient, database: Database
) -> None:
    response = client.get(
        "/api/tickets", params={"channel": "e\x00mail"}, headers=bearer(database, "agent")
    )
    assert response.status_code == 422
    assert_error_body(response.json(), 422, "invalid_input")


def test_publishing_a_new_version_keeps_the_verdicts_of_tickets_created_before_it(
    client: TestClient, database: Database
) -> None:
    """The tickets (created in March 2026) were promised v1's terms; v2 takes effect now,
    so their SLA state stays judged by v1 (docs/sla.md, "Which version judges a ticket")."""
    publish_example(database)
    headers = bearer(database, "manager")
    upload(client, headers, "zendesk", zendesk_files())
    first = client.get("/api/tickets", headers=headers).json()["items"][0]["id"]
    old = {
        s["version_id"] for s in client.get(f"/api/tickets/{first}", headers=headers).json()["sla"]
    }
    draft = client.post(
        f"/api/policies/{SLUG}/versions", json={}, headers=bearer(database, "manager")
    )
    number = draft.json()["number"]
    author = {"Authorization": headers["Authorization"]}
    client.patch(
        f"/api/policies/{SLUG}/versions/{number}",
        json={"change_summary": "Same rules"},
        headers=author,
    )
    for action, who in (
        ("submit", author),
        ("approve", bearer(database, "manager")),
        ("publish", author),
    ):
        response = client.post(
            f"/api/policies/{SLUG}/versions/{number}/{action}", json={}, headers=who
        )
        assert response.status_code == 200, response.text
    new = {
        s["version_id"] for s in client.get(f"/api/tickets/{first}", headers=headers).json()["sla"]
    }
    assert old and new == old


NUL_UPLOADS = {
    "zendesk": ("tickets.json", "/tickets/1", "category", json.dumps({"tickets": [
        {"id": 1, "created_at": "2026-03-02T09:00:00Z", "status": "open",
         "priority": "low", "via": {"channel": "email"}, "type": "question"},
        {"id": 2, "created_at": "2026-03-02T09:00:00Z", "status": "open",
         "priority": "low", "via": {"channel": "email"}, "type": "inc\u0000ident"},
        {"id": 3, "created_at": "2026-03-02T10:00:00Z", "status": "solved",
         "priority": "high", "via": {"channel": "web"}, "type": "problem"},
    ]})),
    "freshdesk": ("tickets.json", "/1", "team", json.dumps([
        {"id": 1, "created_at": "2026-03-02T09:00:00Z", "status": 2, "priority": 1,
         "source": 1, "group_id": 7},
        {"id": 2, "created_at": "2026-03-02T09:00:00Z", "status": 2, "priority": 1,
         "source": 1, "group_id": "billing\u0000desk"},
        {"id": 3, "created_at": "2026-03-02T10:00:00Z", "status": 3, "priority": 2,
         "source": 2, "group_id": 8},
    ])),
    "csv": ("tickets.csv", "2", "assignee", "id,created_at,channel,priority,status,assignee\n"
            "1,2026-03-02T09:00:00Z,email,low,open,ana\n"
            "2,2026-03-02T09:00:00Z,email,low,open,b\x00b\n"
            "3,2026-03-02T10:00:00Z,web,high,solved,cy\n"),
}  # fmt: skip


@pytest.mark.parametrize("source", sorted(NUL_UPLOADS))
def test_a_ticket_with_a_nul_character_is_one_rejected_row_and_the_rest_is_imported(
    client: TestClient, database: Database, source: str
) -> None:
    name, row, column, content = NUL_UPLOADS[source]
    files = [("files", (name, content.encode(), "application/octet-stream"))]
    result = upload(client, bearer(database, "manager"), source, files)
    assert result["status"] == 201, result
    body = result["body"]
    assert (body["inserted"], body["rejected"]) == (2, 1)
    (reject,) = body["rejects"]
    assert (reject["file"], reject["row"]) == (name, row)
    assert reject["reason"].startswith(f"{column} holds a NUL character")
    stored = client.get("/api/tickets", headers=bearer(database, "agent")).json()
    assert sorted(t["source_id"] for t in stored["items"]) == ["1", "3"]
