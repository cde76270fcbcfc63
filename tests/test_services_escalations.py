"""Escalations live: planned when tickets are judged, fired once when due, delivered
over a real SMTP server (aiosmtpd on loopback), withdrawn with a reason.

The story: Acme promises a first response to e-mail within 4 business hours on its
``office`` calendar (Mon-Fri 09:00-17:00 London). Level 1 (``l1``) is due at 50% of
the target and notifies the ``lead`` role (``leads@acme.example``) and
``ops@acme.example``; level 2 (``l2``) at breach notifies ``lead``. Ticket t1 is
written on Monday 5 January 2026 at 09:00 (London = UTC in winter): l1 is due 2
business hours later at 11:00, l2 at 13:00.
"""

from __future__ import annotations

import email.utils
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from charter.notify import Mailer
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store.models import PolicyVersion
from support.escalation import settings_for, step
from support.replay import ok, replaying, zendesk_groups, zendesk_shown
from support.sla import at, data, make_ticket
from support.smtp import smtp_server
from support.ticket_store import publish, result_of, rows, scalar

CHAIN = """
escalation:
  - {id: l1, metric: first_response, level: 1, at: "50%",
     notify: [lead, ops@acme.example]}
  - {id: l2, metric: first_response, level: 2, at: breach, notify: [lead]}
"""
POLICY = """\
organisation: {name: Acme, mission: Delight}
calendars:
  - {id: office, timezone: Europe/London,
     weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00],
              thu: [09:00-17:00], fri: [09:00-17:00]}}
service_levels:
  rules:
    - id: sl-email
      when: {channel: [email]}
      targets: {first_response: {within: 4h, clock: office}}
staff:
  roles:
    - {id: lead, name: Team lead, email: leads@acme.example}
"""


def store_tickets(database: Database, *tickets: dict[str, object]) -> None:
    import_tickets(database, result_of(data(list(tickets))), source="helpdesk", batch_size=100)


def test_level_one_of_ticket_t1_is_mailed_once_at_11_00_to_the_role_and_the_address(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, at("2026-01-05 10:59"))  # 1 h 59 min in: nothing due
        assert mailbox.received == []
        step(database, settings, at("2026-01-05 11:00"))  # 2 business hours: l1 is due
        step(database, settings, at("2026-01-05 11:05"))  # again: l1 fired already
        got = sorted(r.recipients[0] for r in mailbox.received)
        assert got == ["leads@acme.example", "ops@acme.example"]
        message = mailbox.received[0].message
        # The headline: the helpdesk's ticket id, the metric, and 2 business hours left.
        assert message["Subject"] == "Ticket t1: first response due in 2 h (level 1, 50%)"
        body = message.get_body(("plain",)).get_content()
        assert "service_levels.rules.sl-email" in body
        assert email.utils.parsedate_to_datetime(message["Date"]) == at("2026-01-05 11:00")
    fired = rows(database, "SELECT level_id, version_id FROM escalation_firings")
    assert [f[0] for f in fired] == ["l1"]
    assert scalar(database, "SELECT count(*) FROM outbox WHERE state = 'sent'") == 2


def test_the_breach_level_of_t1_fires_at_13_00_after_level_one(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, at("2026-01-05 12:59"))
        assert sorted(r.recipients[0] for r in mailbox.received) == [
            "leads@acme.example", "ops@acme.example"
        ]  # fmt: skip
        step(database, settings, at("2026-01-05 13:00"))  # 4 business hours: breach
        subjects = [r.message["Subject"] for r in mailbox.received]
        assert subjects[-1] == "Ticket t1: first response due now (level 2, breach)"
        assert len(mailbox.received) == 3


def test_a_reply_at_10_30_withdraws_both_levels_of_t1_and_says_why(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, at("2026-01-05 10:00"))
        assert scalar(database, "SELECT count(*) FROM escalation_plans") == 2
        # The agent answers at 10:30: the first-response clock stops before l1's 11:00.
        store_tickets(database, make_ticket(id="t1", first_response_at=at("2026-01-05 10:30")))
        step(database, settings, at("2026-01-05 11:00"))
        step(database, settings, at("2026-01-05 14:00"))
        assert mailbox.received == []
    assert scalar(database, "SELECT count(*) FROM escalation_plans") == 0
    withdrawn = rows(
        database, "SELECT level_id, detail FROM ticket_audit WHERE kind = 'escalation withdrawn' "
        "ORDER BY level_id",
    )  # fmt: skip
    assert withdrawn == [
        ("l1", "level 1 withdrawn: clock stopped"),
        ("l2", "level 2 withdrawn: clock stopped"),
    ]


class Stopped(BaseException):
    """A worker stopped between two messages of a batch (as a SIGKILL would stop it)."""


def test_a_worker_stopped_mid_batch_leaves_what_the_server_accepted_sent_once(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # t1, t2 and t3 reach l1 at 11:00: six messages, claimed in one batch. The worker
    # stops as it is about to send the third, after the server accepted two: the
    # batch's transaction is rolled back, so its outbox rows are pending again (on
    # PostgreSQL another lane may take them up before the tick ends).
    publish(database, POLICY + CHAIN)
    store_tickets(database, *(make_ticket(id=f"t{n}") for n in (1, 2, 3)))
    sends = 0
    original = Mailer.send

    def stopping(self: Mailer, message: Any) -> Any:
        nonlocal sends
        sends += 1
        if sends == 3:
            raise Stopped
        return original(self, message)

    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        monkeypatch.setattr(Mailer, "send", stopping)
        with pytest.raises(Stopped):
            step(database, settings, at("2026-01-05 11:00"))
        monkeypatch.setattr(Mailer, "send", original)
        step(database, settings, at("2026-01-05 11:01"))  # the next worker's tick
        ids = Counter(r.message["Message-ID"] for r in mailbox.received)
    # The two accepted are not sent again: their receipts (audit rows written as the
    # server answered) mark them sent; the other four go once each.
    assert len(ids) == 6 and set(ids.values()) == {1}
    assert rows(database, "SELECT state, tries, count(*) FROM outbox GROUP BY state, tries") == [
        ("sent", 1, 6)
    ]
    receipts = rows(
        database, "SELECT outbox_id, count(*) FROM ticket_audit WHERE kind = 'message sent' "
        "GROUP BY outbox_id",
    )  # fmt: skip
    assert len(receipts) == 6 and {n for _, n in receipts} == {1}


def test_a_level_switched_off_by_a_new_version_sends_nothing_afterwards(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, at("2026-01-05 11:00"))
        assert len(mailbox.received) == 2  # l1, to two addresses
        # Version 2 of the same policy keeps l1 and switches l2 off; it is in force now.
        only_l1 = POLICY + CHAIN.split("  - {id: l2")[0]
        with database.transaction() as session:
            first = session.get(PolicyVersion, 1)
            assert first is not None
            first.status, first.retired_at = "retired", at("2026-01-05 11:30")
            session.flush()
            session.add(
                PolicyVersion(
                    policy_id=1, number=2, status="published", text=only_l1, content_hash="-",
                    published_at=at("2026-01-05 11:30"), effective_at=at("2026-01-05 11:30"),
                )
            )  # fmt: skip
        step(database, settings, at("2026-01-05 13:00"))  # l2 would be due now
        step(database, settings, at("2026-01-05 15:00"))
        assert len(mailbox.received) == 2
    reasons = rows(database, "SELECT detail FROM ticket_audit WHERE kind = 'escalation withdrawn'")
    assert reasons == [("level 2 withdrawn: level removed",)]


def test_a_role_without_an_address_goes_to_the_dead_letters_naming_the_fix(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY.replace(", email: leads@acme.example", "") + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server() as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, at("2026-01-05 11:00"))
        assert [r.recipients for r in mailbox.received] == [["ops@acme.example"]]
    dead = rows(database, "SELECT recipient, last_error FROM outbox WHERE state = 'dead'")
    assert dead == [
        (
            "lead",
            "role 'lead' has no e-mail address; add email: to it under staff.roles in the policy",
        )
    ]


@pytest.mark.parametrize("refused", ["ops@acme.example"])
def test_a_refused_address_is_dead_lettered_at_once_and_the_other_delivered(
    database: Database, tmp_path: Path, refused: str
) -> None:
    publish(database, POLICY + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server(refuse=frozenset({refused})) as mailbox:
        settings = settings_for(mailbox.port, tmp_path)
        step(database, settings, at("2026-01-05 11:00"))
        assert [r.recipients for r in mailbox.received] == [["leads@acme.example"]]
    # 550 is a permanent refusal: no later try can get past it.
    states = rows(database, "SELECT recipient, state, tries FROM outbox ORDER BY recipient")
    assert states == [("leads@acme.example", "sent", 1), ("ops@acme.example", "dead", 1)]


def test_an_unreachable_relay_is_tried_again_a_minute_later(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY + CHAIN)
    store_tickets(database, make_ticket(id="t1"))
    with smtp_server() as mailbox:
        port = mailbox.port
    settings = settings_for(port, tmp_path)  # the server has stopped: nothing listens
    step(database, settings, at("2026-01-05 11:00"))
    found = rows(database, "SELECT state, tries, next_try_at FROM outbox")
    assert {(state, tries) for state, tries, _ in found} == {("pending", 1)}
    assert {str(n)[:16] for _, _, n in found} == {"2026-01-05 11:01"}  # 1 min back-off
    kinds = rows(database, "SELECT kind FROM ticket_audit WHERE kind LIKE 'message%'")
    assert kinds == [("message failed",), ("message failed",)]


ACTION_CHAIN = """
escalation:
  - {id: l2, metric: first_response, level: 2, at: breach, notify: [ops@acme.example],
     action: {raise_priority: true, reassign_to: Escalations}}
"""


def test_a_breached_zendesk_ticket_4411_is_raised_to_high_and_reassigned_once(
    database: Database, tmp_path: Path
) -> None:
    """Ticket 4411, synced from Zendesk with priority normal, breaches at 13:00: its
    level-2 action raises it one step (normal -> high) and reassigns it to the group
    Escalations (id 31) in one PUT, through the outbox; a later tick sends nothing."""
    publish(database, POLICY + ACTION_CHAIN)
    ticket = make_ticket(id="4411", priority="normal")
    import_tickets(database, result_of(data([ticket])), source="zendesk", batch_size=100)
    target = "/api/v2/tickets/4411.json"
    with replaying() as replay, smtp_server() as mailbox:
        replay.route(target, ok(zendesk_shown(4411, "normal")))
        replay.route("/api/v2/groups.json", ok(zendesk_groups({30: "Support", 31: "Escalations"})))
        replay.route(target, ok(zendesk_shown(4411, "high", group_id=31)), method="PUT")
        settings = settings_for(mailbox.port, tmp_path).model_copy(
            update={"zendesk_email": "ada@acme.example", "zendesk_api_token": "t0ken",
                    "zendesk_base_url": replay.base_url}
        )  # fmt: skip
        step(database, settings, at("2026-01-05 13:00"))
        step(database, settings, at("2026-01-05 13:30"))
        writes = replay.writes()
    assert writes == [("PUT", target, {"ticket": {"priority": "high", "group_id": 31}})]
    assert [r.recipients for r in mailbox.received] == [["ops@acme.example"]]
    sent = rows(database, "SELECT channel, recipient, state FROM outbox ORDER BY channel")
    assert sent == [
        ("action", "raise priority, reassign to Escalations", "sent"),
        ("email", "ops@acme.example", "sent"),
    ]


def test_an_action_on_a_ticket_read_from_a_file_is_dead_lettered_saying_why(
    database: Database, tmp_path: Path
) -> None:
    publish(database, POLICY + ACTION_CHAIN)
    store_tickets(database, make_ticket(id="t1"))  # source "helpdesk": a file import
    with smtp_server() as mailbox:
        step(database, settings_for(mailbox.port, tmp_path), at("2026-01-05 13:00"))
    dead = rows(database, "SELECT last_error FROM outbox WHERE channel = 'action'")
    assert dead == [
        (
            "ticket t1 came from 'helpdesk', which Charter reads from a file, not a "
            "helpdesk's API: actions need tickets synced from Zendesk or Freshdesk "
            "(charter sync)",
        )
    ]
