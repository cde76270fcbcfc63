"""``GET /api/tickets/{id}/audit``: a ticket's clocks, escalations and messages in time
order, driven through the real flow (publish, store, recompute, fire, deliver over a
real SMTP server) and worked out by hand.

The story: Acme promises a first response to e-mail within 4 business hours on its
``office`` calendar (Mon-Fri 09:00-17:00 London; London is UTC in January), the clock
stopping while a ticket waits on the customer (``pending``). Level 1 (``l1``) is due at
50% of the target and mails the ``lead`` role and ops@acme.example; level 2 (``l2``) at
breach mails ``lead``. Ticket t1 is written Monday 5 January 2026 at 09:00 and waits on
the customer from 10:00 to 11:00, so its clock has used 1 h by 10:00 and the hour
paused moves its due: 09:00 + 4 h + 1 h = 14:00. Level 1 falls due when 2 h of clock
time are used: 09:00-10:00 and 11:00-12:00, so at 12:00; level 2 at the due, 14:00.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.store import Database
from support.api import assert_error_body
from support.escalation import settings_for, step, store
from support.sla import at
from support.smtp import smtp_server
from support.ticket_store import publish, rows
from support.web import bearer

POLICY = """\
organisation: {name: Acme, mission: Delight}
calendars:
  - {id: office, name: Office hours, timezone: Europe/London,
     weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00],
              thu: [09:00-17:00], fri: [09:00-17:00]}}
service_levels:
  rules:
    - id: sl-email
      when: {channel: [email]}
      targets: {first_response: {within: 4h, clock: office, paused: [pending]}}
staff:
  roles:
    - {id: lead, name: Team lead, email: leads@acme.example}
escalation:
  - {id: l1, metric: first_response, level: 1, at: "50%", notify: [lead, ops@acme.example]}
  - {id: l2, metric: first_response, level: 2, at: breach, notify: [lead]}
"""
WAIT = [("t1", "2026-01-05 10:00", "status", "pending")]
BACK = WAIT + [("t1", "2026-01-05 11:00", "status", "open")]


def trail(client: TestClient, database: Database, now: str, monkeypatch: Any) -> Any:
    monkeypatch.setattr(clock, "now", lambda: at(now))
    (ticket_id,) = rows(database, "SELECT id FROM tickets")[0]
    response = client.get(f"/api/tickets/{ticket_id}/audit", headers=bearer(database, "agent"))
    assert response.status_code == 200, response.text
    return response.json()


def test_t1_trail_reads_start_pause_resume_level_one_mails_breach_and_level_two_in_order(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database, POLICY)
    store(database, WAIT)
    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, "2026-01-05 10:30")  # waiting: nothing due
        store(database, BACK)  # the customer answers at 11:00
        step(database, settings, "2026-01-05 12:00")  # level 1: two mails
        step(database, settings, "2026-01-05 14:00")  # level 2 at the breach: one mail
        assert len(mailbox.received) == 3
    body = trail(client, database, "2026-01-05 14:30", monkeypatch)
    assert body["timezone"] == "Europe/London"
    assert body["version"] == "main version 1"
    assert body["as_of"] == "2026-01-05T14:30:00Z"
    got = [(r["at"][11:16], r["kind"], r["level"]) for r in body["rows"]]
    assert got == [
        ("09:00", "clock started", None),
        ("10:00", "clock paused", None),
        ("11:00", "clock resumed", None),
        ("12:00", "escalation fired", 1),
        ("12:00", "message queued", 1),  # one per address, in the order they were written
        ("12:00", "message queued", 1),
        ("12:00", "message sent", 1),
        ("12:00", "message sent", 1),
        ("14:00", "target breached", None),
        ("14:00", "escalation fired", 2),
        ("14:00", "message queued", 2),
        ("14:00", "message sent", 2),
    ]
    words = [r["words"] for r in body["rows"]]
    assert words[0] == "started on the Office hours clock"
    assert words[1] == "paused: the ticket is pending"
    assert words[2] == "resumed after 1 h paused (business time)"
    assert words[3] == "level 1 (50%) fired, due Mon 05 Jan 2026 12:00 GMT; 2 messages"
    assert words[4] == (
        "email to leads@acme.example for level 1 (50%); now sent Mon 05 Jan 2026 12:00 GMT (1 try)"
    )
    assert words[8] == (
        "breached: due Mon 05 Jan 2026 14:00 GMT passed with the clock running "
        "(4 h target, business time)"
    )
    assert all(r["metric"] == "first_response" for r in body["rows"])


def test_t1_answered_at_11_30_withdraws_both_planned_levels_with_the_reason(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 11:15 both levels are planned (l1 12:00, l2 14:00, each to come); the answer at
    # 11:30 stops the clock after 1 h 30 min of use (met), before either falls due.
    publish(database, POLICY)
    store(database, BACK)
    settings = settings_for(1, tmp_path)
    step(database, settings, "2026-01-05 11:15")
    planned = trail(client, database, "2026-01-05 11:15", monkeypatch)["rows"]
    assert [(r["at"][11:16], r["kind"], r["words"]) for r in planned[-2:]] == [
        ("12:00", "escalation planned", "level 1 (50%) planned: due Mon 05 Jan 2026 12:00 GMT"),
        ("14:00", "escalation planned", "level 2 (breach) planned: due Mon 05 Jan 2026 14:00 GMT"),
    ]
    store(database, BACK, first_response_at=at("2026-01-05 11:30"))
    step(database, settings, "2026-01-05 11:45")
    after = trail(client, database, "2026-01-05 12:30", monkeypatch)["rows"]
    assert [(r["at"][11:16], r["kind"], r["level"], r["words"]) for r in after[3:]] == [
        ("11:30", "clock stopped", None,
         "stopped after 1 h 30 min (business time, pauses excluded): met, due Mon 05 Jan 2026 "
         "14:00 GMT"),
        ("11:45", "escalation withdrawn", 1, "level 1 withdrawn: clock stopped"),
        ("11:45", "escalation withdrawn", 2, "level 2 withdrawn: clock stopped"),
    ]  # fmt: skip


def test_a_mail_the_relay_could_not_take_says_failed_and_when_it_is_tried_next(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on the relay's port: each mail fails its first try at 12:00 and is
    # tried again after the first back-off, 1 minute: 12:01.
    publish(database, POLICY)
    store(database, BACK)
    with smtp_server() as mailbox:
        port = mailbox.port
    step(database, settings_for(port, tmp_path), "2026-01-05 12:00")
    found = trail(client, database, "2026-01-05 12:00", monkeypatch)["rows"]
    failed = [r["words"] for r in found if r["kind"] == "message failed"]
    assert len(failed) == 2
    assert all(w.endswith("; next try Mon 05 Jan 2026 12:01 UTC") for w in failed), failed
    queued = [r["words"] for r in found if r["kind"] == "message queued"]
    assert all("now waiting, next try Mon 05 Jan 2026 12:01 GMT (1 try)" in w for w in queued)


def test_t1_waiting_on_the_customer_has_no_breach_level_due_while_it_waits(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 10:30 t1 has waited since 10:00 with 3 h of its target left: it has no due
    # instant, so level 2 (at breach) has none either and is listed as of now, saying
    # why. Level 1 is planned after 2 h of clock time plus the time paused so far:
    # 09:00 + 2 h + 30 min = 11:30, still to come.
    publish(database, POLICY)
    store(database, WAIT)
    step(database, settings_for(1, tmp_path), "2026-01-05 10:30")
    found = trail(client, database, "2026-01-05 10:30", monkeypatch)["rows"]
    assert [(r["at"][11:16], r["kind"], r["words"]) for r in found] == [
        ("09:00", "clock started", "started on the Office hours clock"),
        ("10:00", "clock paused", "paused: the ticket is pending"),
        ("10:30", "escalation planned",
         "level 2 (breach) planned; not due while the clock is paused"),
        ("11:30", "escalation planned", "level 1 (50%) planned: due Mon 05 Jan 2026 11:30 GMT"),
    ]  # fmt: skip


def test_two_levels_fired_at_one_instant_read_level_one_first_whatever_their_ids(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No worker ran until 14:30: level 1 (due 12:00) and level 2 (due 14:00) both fire
    # at 14:30. Their ids sort the other way ("late" before "warn"); the trail goes by
    # level: level 1's firing and mails, then level 2's.
    publish(database, POLICY.replace("id: l1", "id: warn").replace("id: l2", "id: late"))
    store(database, BACK)
    with smtp_server() as mailbox:
        step(database, settings_for(mailbox.port, tmp_path), "2026-01-05 14:30")
    found = trail(client, database, "2026-01-05 14:30", monkeypatch)["rows"]
    assert [(r["kind"], r["level"]) for r in found if r["at"][11:16] == "14:30"] == [
        ("escalation fired", 1),
        ("escalation fired", 2),
        ("message queued", 1),
        ("message queued", 1),
        ("message sent", 1),
        ("message sent", 1),
        ("message queued", 2),
        ("message sent", 2),
    ]


def test_a_ticket_with_no_target_has_an_empty_trail(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database, POLICY)
    store(database, [], channel="phone")  # no rule matches a phone ticket
    assert trail(client, database, "2026-01-05 12:00", monkeypatch)["rows"] == []


def test_an_unknown_ticket_is_a_404_naming_it(client: TestClient, database: Database) -> None:
    response = client.get("/api/tickets/999/audit", headers=bearer(database, "agent"))
    assert_error_body(response.json(), 404, "not_found")
    assert response.json()["error"]["message"].startswith("ticket 999 not found")
