"""``GET /api/health``: the workers' last ticks and the outbox's oldest undelivered
message, on the story of ``support.outbox``. Ticket t1's level 2 fires at breach, 13:00
on Monday 5 January 2026, and its e-mail to oncall@acme.example cannot reach the relay:
it is the one pending (undelivered) message; level 1 left two dead letters at 11:00."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services import worker
from charter.services.worker import tick
from charter.store import Database
from support.outbox import at, make_dead_letters, settings_for
from support.smtp import smtp_server


def test_health_reports_worker_w1_40_s_after_its_tick_and_the_mail_waiting_6_min(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_dead_letters(database, tmp_path)
    with smtp_server() as mailbox:
        port = mailbox.port
    settings = settings_for(port, tmp_path)  # nothing listens there now
    tick(database, settings, worker="w1", started_at=at("2026-01-05 12:00"),
         now=at("2026-01-05 13:00"), syncing=False)  # fmt: skip
    tick(database, settings, worker="w1", started_at=at("2026-01-05 12:00"),
         now=at("2026-01-05 13:05:20"), syncing=False)  # fmt: skip
    monkeypatch.setattr(clock, "now", lambda: at("2026-01-05 13:06"))
    body = client.get("/api/health").json()  # no sign-in: a monitor polls it
    assert (body["status"], body["database"]) == ("ok", database.dialect)
    (w1,) = body["workers"]
    # Last tick 13:05:20, asked at 13:06: 40 s ago; started at 12:00; two ticks.
    assert (w1["name"], w1["last_tick_at"], w1["seconds_ago"], w1["ticks"]) == (
        "w1", "2026-01-05T13:05:20Z", 40.0, 2
    )  # fmt: skip
    assert w1["started_at"] == "2026-01-05T12:00:00Z"
    assert w1["last_error"] is None and w1["tick_seconds"] > 0
    # Level 2's message was written at 13:00 and is still pending: 6 min = 360 s old.
    assert body["outbox"] == {
        "counts": {"pending": 1, "sent": 0, "dead": 2, "withdrawn": 0},
        "oldest_undelivered": {"created_at": "2026-01-05T13:00:00Z", "age_seconds": 360.0},
    }


def test_a_tick_whose_step_failed_is_reported_with_its_error(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("relay unreachable")

    monkeypatch.setattr(worker, "deliver_due", broken)
    tick(database, settings_for(1, tmp_path), worker="w2", started_at=at("2026-01-05 12:00"),
         now=at("2026-01-05 12:00"), syncing=False)  # fmt: skip
    monkeypatch.setattr(clock, "now", lambda: at("2026-01-05 12:00") + dt.timedelta(minutes=3))
    (w2,) = client.get("/api/health").json()["workers"]
    assert (w2["name"], w2["seconds_ago"]) == ("w2", 180.0)  # 12:00 -> 12:03
    assert w2["last_error"] == "delivery: relay unreachable"


def test_health_with_no_worker_and_no_message_says_so(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["workers"] == []
    assert body["outbox"] == {
        "counts": {"pending": 0, "sent": 0, "dead": 0, "withdrawn": 0},
        "oldest_undelivered": None,
    }
