"""``/api/policies``: policies, versions and their lifecycle over HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from support import column_of, line_of
from support.api import POLICIES, assert_error_body, ok, signed_in
from support.lifecycle import policy_text

V1 = f"{POLICIES}/acme/versions/1"


def create_acme(client: TestClient, headers: dict[str, str], text: str | None = None) -> Any:
    body = {"slug": "acme", "name": "Acme", "text": text or policy_text(), "change_summary": "v1"}
    return ok(client.post(POLICIES, json=body, headers=headers), 201)


def act(client: TestClient, path: str, action: str, headers: dict[str, str]) -> Any:
    body: dict[str, Any] = {"note": "fine"}
    if action == "pilot":  # a pilot names its group and when it ends
        ends = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
        body |= {"group": {"kind": "team", "values": ["tier-2"]}, "ends_at": ends.isoformat()}
    return ok(client.post(f"{path}/{action}", json=body, headers=headers))


def test_two_managers_take_a_policy_through_its_whole_lifecycle(
    client: TestClient, database: Database
) -> None:
    ada, bo = signed_in(database, "manager"), signed_in(database, "manager")
    agent = signed_in(database, "agent")
    created = create_acme(client, ada)
    assert (created["slug"], created["latest"], created["published"]) == ("acme", 1, None)
    first = ok(client.get(V1, headers=agent))
    assert (first["status"], first["allowed_actions"]) == ("draft", ["submit"])
    assert first["content_hash"] == hashlib.sha256(policy_text().encode()).hexdigest()
    assert act(client, V1, "submit", ada)["status"] == "in_review"
    refused = client.post(f"{V1}/approve", headers=ada)
    assert refused.status_code == 403
    assert_error_body(refused.json(), 403, "forbidden")
    for action, status in [("approve", "approved"), ("pilot", "pilot"), ("publish", "published")]:
        assert act(client, V1, action, bo)["status"] == status
    draft = ok(client.post(f"{POLICIES}/acme/versions", json={}, headers=ada), 201)
    assert (draft["number"], draft["status"], draft["based_on"]) == (2, "draft", 1)
    v2 = f"{POLICIES}/acme/versions/2"
    patch = {"text": policy_text("2h"), "change_summary": "Faster email replies"}
    assert ok(client.patch(v2, json=patch, headers=ada))["text"] == policy_text("2h")
    diff = ok(client.get(f"{v2}/diff", params={"against": 1}, headers=agent))
    assert diff["summary"]["major"] == 1
    assert [c["path"] for c in diff["changes"]] == [
        "service_levels.rules[sl-email].targets.first_response.within"
    ]
    comment = {"body": "Can we staff this?", "clause": "sl-email"}
    ok(client.post(f"{v2}/comments", json=comment, headers=agent), 201)
    assert [c["body"] for c in ok(client.get(f"{v2}/comments", headers=ada))] == [comment["body"]]
    act(client, v2, "submit", ada)
    act(client, v2, "approve", bo)
    assert act(client, v2, "publish", bo)["status"] == "published"
    assert ok(client.get(V1, headers=agent))["status"] == "retired"
    assert ok(client.get(f"{POLICIES}/acme", headers=agent))["published"] == 2
    trail = ok(client.get(f"{V1}/history", headers=agent))
    assert [e["action"] for e in trail] == [
        "create",
        "submit",
        "approve",
        "pilot",
        "publish",
        "retire",
    ]
    assert [v["status"] for v in ok(client.get(f"{POLICIES}/acme/versions", headers=ada))] == [
        "retired",
        "published",
    ]


def test_a_draft_that_does_not_validate_is_refused_on_submit_with_its_lines(
    client: TestClient, database: Database
) -> None:
    ada = signed_in(database, "manager")
    text = policy_text("soon")
    create_acme(client, ada, text)
    response = client.post(f"{V1}/submit", headers=ada)
    assert response.status_code == 422
    body = response.json()
    assert_error_body(body, 422, "invalid_policy")
    [problem] = body["error"]["details"]
    assert (problem["line"], problem["column"]) == (
        line_of(text, "within: soon"),
        column_of(text, "soon"),
    )
    assert problem["file"] == "acme version 1"
    assert ok(client.get(V1, headers=ada))["status"] == "draft"


def test_a_published_version_refuses_edits_with_what_to_do_instead(
    client: TestClient, database: Database
) -> None:
    ada, bo = signed_in(database, "manager"), signed_in(database, "admin")
    create_acme(client, ada)
    act(client, V1, "submit", ada)
    act(client, V1, "approve", bo)
    act(client, V1, "publish", bo)
    response = client.patch(V1, json={"text": policy_text("1h")}, headers=ada)
    assert response.status_code == 409
    assert_error_body(response.json(), 409, "conflict")
    message = response.json()["error"]["message"]
    assert "version 1 of acme is published and cannot be edited" in message
    assert "POST /api/policies/acme/versions" in message


@pytest.mark.parametrize(
    "method, path, body, role, status, code",
    [
        ("GET", POLICIES, None, None, 401, "unauthenticated"),
        ("POST", POLICIES, {"slug": "x", "name": "X", "text": ""}, "agent", 403, "forbidden"),
        ("POST", POLICIES, {"slug": "acme", "name": "A", "text": ""}, "manager", 409, "conflict"),
        ("POST", POLICIES, {"slug": "Not a slug", "name": "A", "text": ""}, "manager", 422, None),
        ("GET", f"{POLICIES}/nope", None, "agent", 404, "not_found"),
        ("GET", f"{POLICIES}/acme/versions/9", None, "agent", 404, "not_found"),
        ("GET", f"{POLICIES}/acme/versions/0", None, "agent", 422, "invalid_input"),
        ("GET", f"{POLICIES}/Bad%20Slug", None, "agent", 422, "invalid_input"),
        ("PATCH", V1, {"change_summary": "x"}, "agent", 403, "forbidden"),
        ("POST", f"{V1}/approve", None, "agent", 403, "forbidden"),
        ("POST", f"{V1}/publish", None, "manager", 409, "conflict"),
        ("POST", f"{V1}/frobnicate", None, "manager", 422, "invalid_input"),
        ("POST", f"{V1}/comments", {"body": ""}, "agent", 422, "invalid_input"),
        ("POST", f"{V1}/comments", {"body": "a\x00b"}, "agent", 422, "invalid_input"),
        ("PATCH", V1, {"text": "nul \x00"}, "manager", 422, "invalid_input"),
        ("GET", f"{V1}/diff", None, "agent", 422, "invalid_input"),
    ],
)
def test_refusals_use_the_error_body(
    client: TestClient,
    database: Database,
    method: str,
    path: str,
    body: Any,
    role: str | None,
    status: int,
    code: str | None,
) -> None:
    create_acme(client, signed_in(database, "manager"))
    headers = signed_in(database, role) if role else {}
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == status, response.text
    assert_error_body(response.json(), status, code or "invalid_input")
    assert ok(client.get(V1, headers=signed_in(database, "agent")))["status"] == "draft"


def test_rejecting_without_a_note_is_refused_and_with_one_is_final(
    client: TestClient, database: Database
) -> None:
    ada, bo = signed_in(database, "manager"), signed_in(database, "manager")
    create_acme(client, ada)
    act(client, V1, "submit", ada)
    missing = client.post(f"{V1}/reject", headers=bo)
    assert missing.status_code == 422
    assert missing.json()["error"]["details"] == [
        {"field": "note", "problem": "required to reject"}
    ]
    rejected = ok(client.post(f"{V1}/reject", json={"note": "too vague"}, headers=bo))
    assert (rejected["status"], rejected["allowed_actions"]) == ("rejected", [])
    again = client.post(f"{V1}/submit", headers=ada)
    assert again.status_code == 409
    assert "status is rejected, which is final" in again.json()["error"]["message"]


def test_the_openapi_schema_describes_every_policy_route(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        POLICIES: {"get", "post"},
        f"{POLICIES}/{{slug}}": {"get"},
        f"{POLICIES}/{{slug}}/versions": {"get", "post"},
        f"{POLICIES}/{{slug}}/versions/{{number}}": {"get", "patch"},
        f"{POLICIES}/{{slug}}/versions/{{number}}/{{action}}": {"post"},
        f"{POLICIES}/{{slug}}/versions/{{number}}/diff": {"get"},
        f"{POLICIES}/{{slug}}/versions/{{number}}/comments": {"get", "post"},
        f"{POLICIES}/{{slug}}/versions/{{number}}/history": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            assert "401" in paths[path][method]["responses"], (method, path)


def test_publish_with_an_effective_instant_schedules_the_version_and_keeps_v1_in_force(
    client: TestClient, database: Database
) -> None:
    ada, bo = signed_in(database, "manager"), signed_in(database, "manager")
    create_acme(client, ada)
    for action, who in [("submit", ada), ("approve", bo), ("publish", bo)]:
        act(client, V1, action, who)
    ok(
        client.post(f"{POLICIES}/acme/versions", json={"change_summary": "Faster"}, headers=ada),
        201,
    )
    v2 = f"{POLICIES}/acme/versions/2"
    ok(client.patch(v2, json={"text": policy_text("2h")}, headers=ada))
    act(client, v2, "submit", ada)
    act(client, v2, "approve", bo)
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
    body = {"note": "from tomorrow", "effective_at": tomorrow.isoformat()}
    scheduled = ok(client.post(f"{v2}/publish", json=body, headers=bo))
    assert scheduled["status"] == "published" and scheduled["in_force"] is False
    assert dt.datetime.fromisoformat(scheduled["effective_at"]) == tomorrow
    live = ok(client.get(V1, headers=ada))
    # Version 1 is retired from tomorrow: in force until then.
    assert live["status"] == "retired" and live["in_force"] is True
    assert dt.datetime.fromisoformat(live["retired_at"]) == tomorrow
    policy = ok(client.get(f"{POLICIES}/acme", headers=ada))
    assert (policy["published"], policy["in_force"]) == (2, 1)


@pytest.mark.parametrize(
    "action, effective_at, problem",
    [
        ("publish", "2020-01-01T09:00:00+00:00", "is in the past"),
        ("publish", "2099-01-01T09:00:00", "has no timezone"),
        ("pilot", "2099-01-01T09:00:00+00:00", "only a publish takes an effective instant"),
    ],
)
def test_an_unusable_effective_instant_is_refused_naming_the_field(
    client: TestClient, database: Database, action: str, effective_at: str, problem: str
) -> None:
    ada, bo = signed_in(database, "manager"), signed_in(database, "manager")
    create_acme(client, ada)
    act(client, V1, "submit", ada)
    act(client, V1, "approve", bo)
    refused = client.post(f"{V1}/{action}", json={"effective_at": effective_at}, headers=bo)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["message"].startswith("effective_at: ") and problem in error["message"]
    assert ok(client.get(V1, headers=ada))["status"] == "approved"
