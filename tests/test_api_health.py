"""``GET /api/health``: the workers' last ticks and the outbox's oldest undelivered
message, on the story of ``support.outbox``. Ticket t1's level 2 fires at breach, 13:00
on Monday 5 January 2026, and its e-mail to oncall@acme.example cannot reach the relay:
it is the one pending (undelivered) message; level 1 left two dead letters at 11:00.

Anyone may ask, but only signed-in staff and API tokens read the workers' names (host
and process id) and what failed; an anonymous monitor gets the figures it alerts on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services import worker
from charter.services.worker import tick
from charter.store import Database
from support.api import assert_error_body
from support.outbox import at, make_dead_letters, settings_for
from support.pages import sign_in
from support.smtp import smtp_server
from support.web import bearer

RELAY_DOWN = "relay smtp.internal.acme.example:25 unreachable"


def broken(*_args: object, **_kwargs: object) -> None:
    raise OSError(RELAY_DOWN)


def two_workers_one_failing(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The story's outbox, worker app1.internal:4242 ticking at 13:00 and 13:05:20
    (nothing listens on the relay's port: a message's failed try, not a failed step),
    app2.internal:77 at 12:00 with its delivery step broken; asked at 13:06."""
    make_dead_letters(database, tmp_path)
    with smtp_server() as mailbox:
        port = mailbox.port
    settings = settings_for(port, tmp_path)  # nothing listens there now
    for now in ("2026-01-05 13:00", "2026-01-05 13:05:20"):
        tick(database, settings, worker="app1.internal:4242", started_at=at("2026-01-05 12:00"),
             now=at(now), syncing=False)  # fmt: skip
    with monkeypatch.context() as patch:
        patch.setattr(worker, "deliver_due", broken)
        tick(database, settings, worker="app2.internal:77", started_at=at("2026-01-05 11:30"),
             now=at("2026-01-05 12:00"), syncing=False)  # fmt: skip
    monkeypatch.setattr(clock, "now", lambda: at("2026-01-05 13:06"))


def test_staff_token_reads_worker_app1_40_s_after_its_tick_and_the_mail_waiting_6_min(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_workers_one_failing(database, tmp_path, monkeypatch)
    body = client.get("/api/health", headers=bearer(database, "agent")).json()
    assert (body["detail"], body["status"], body["database"]) == ("full", "ok", database.dialect)
    assert body["version"]
    app1, app2 = body["workers"]  # latest tick first: app1 at 13:05:20, app2 at 12:00
    # Last tick 13:05:20, asked at 13:06: 40 s ago; started at 12:00; two ticks.
    assert (app1["name"], app1["last_tick_at"], app1["seconds_ago"], app1["ticks"]) == (
        "app1.internal:4242", "2026-01-05T13:05:20Z", 40.0, 2
    )  # fmt: skip
    assert app1["started_at"] == "2026-01-05T12:00:00Z" and app1["tick_seconds"] > 0
    assert app1["last_error"] is None
    # app2: 12:00 -> 13:06 = 66 min = 3,960 s, the largest.
    assert (app2["name"], app2["seconds_ago"]) == ("app2.internal:77", 3960.0)
    assert app2["last_error"] == f"delivery: {RELAY_DOWN}"
    assert body["largest_seconds_ago"] == 3960.0
    # Level 2's message was written at 13:00 and is still pending: 6 min = 360 s old.
    assert body["outbox"] == {
        "counts": {"pending": 1, "sent": 0, "dead": 2, "withdrawn": 0},
        "oldest_undelivered": {"created_at": "2026-01-05T13:00:00Z", "age_seconds": 360.0},
    }


def test_anonymous_monitor_sees_app2_silent_3960_s_but_no_host_name_or_relay_error(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_workers_one_failing(database, tmp_path, monkeypatch)
    answer = client.get("/api/health")  # no sign-in: a monitor polls it
    assert answer.status_code == 200, answer.text
    body = answer.json()
    text = json.dumps(body)
    for secret in ("app1", "app2", "internal", "4242", "unreachable", "delivery"):
        assert secret not in text, secret
    assert set(body) == {"detail", "status", "database", "workers", "largest_seconds_ago",
                         "outbox"}  # fmt: skip
    assert (body["detail"], body["status"], body["database"]) == (
        "summary", "ok", database.dialect
    )  # fmt: skip
    # Latest first: app1 40 s ago (13:05:20 -> 13:06), app2 3,960 s (12:00 -> 13:06).
    # app1's steps all ran (its message's try failing is the outbox's business);
    # app2's delivery step raised: only app2 failed.
    got = [(w["seconds_ago"], w["failed"], w["tick_seconds"] > 0) for w in body["workers"]]
    assert got == [(40.0, False, True), (3960.0, True, True)]
    assert set(body["workers"][0]) == {"seconds_ago", "tick_seconds", "failed"}
    assert body["largest_seconds_ago"] == 3960.0
    # The outbox figures are the same as signed in: one pending since 13:00, 360 s old.
    assert body["outbox"]["oldest_undelivered"] == {
        "created_at": "2026-01-05T13:00:00Z", "age_seconds": 360.0
    }  # fmt: skip
    assert body["outbox"]["counts"] == {"pending": 1, "sent": 0, "dead": 2, "withdrawn": 0}


def test_a_signed_in_managers_browser_reads_the_full_answer(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_workers_one_failing(database, tmp_path, monkeypatch)
    sign_in(client, database, "manager")
    body = client.get("/api/health").json()
    assert body["detail"] == "full"
    assert [w["name"] for w in body["workers"]] == ["app1.internal:4242", "app2.internal:77"]


def test_a_revoked_or_unknown_token_is_refused_not_answered_in_short(
    client: TestClient,
) -> None:
    answer = client.get("/api/health", headers={"Authorization": "Bearer chr_not-a-token"})
    assert answer.status_code == 401
    assert_error_body(answer.json(), 401, "unauthenticated")


def test_a_tick_whose_step_failed_is_reported_with_its_error(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "deliver_due", broken)
    tick(database, settings_for(1, tmp_path), worker="w2", started_at=at("2026-01-05 12:00"),
         now=at("2026-01-05 12:00"), syncing=False)  # fmt: skip
    monkeypatch.setattr(clock, "now", lambda: at("2026-01-05 12:00") + dt.timedelta(minutes=3))
    (w2,) = client.get("/api/health", headers=bearer(database, "admin")).json()["workers"]
    assert (w2["name"], w2["seconds_ago"]) == ("w2", 180.0)  # 12:00 -> 12:03
    assert w2["last_error"] == f"delivery: {RELAY_DOWN}"
    (anonymous,) = client.get("/api/health").json()["workers"]
    assert (anonymous["seconds_ago"], anonymous["failed"]) == (180.0, True)


def test_health_with_no_worker_and_no_message_says_so(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert (body["status"], body["detail"]) == ("ok", "summary")
    assert body["workers"] == [] and body["largest_seconds_ago"] is None
    assert body["outbox"] == {
        "counts": {"pending": 0, "sent": 0, "dead": 0, "withdrawn": 0},
        "oldest_undelivered": None,
    }
