"""The outbox's dead letters, retrying them, and the health figures, on the story of
``support.outbox``: ticket t1's level 1 fires at 11:00 on Monday 5 January 2026 and
leaves two dead letters, an e-mail to the ``lead`` role (which has no address, so it
was never tried) and one to ops@acme.example (refused with a 550 at its first try).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.errors import Conflict, InvalidInput, NotFound
from charter.services.outbox import health, messages, retry_dead
from charter.services.worker import tick
from charter.store import Database
from support.outbox import (
    at,
    give_lead_an_address,
    make_dead_letters,
    settings_for,
    step,
)
from support.smtp import smtp_server
from support.ticket_store import rows


def dead_ids(database: Database) -> dict[str, int]:
    """The dead letters' ids by recipient."""
    return {m.recipient: m.id for m in messages(database, "dead").messages}


def test_ticket_t1_leaves_two_dead_letters_the_role_never_tried_and_the_refused_once(
    database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    listed = messages(database, "dead")
    assert listed.total == 2
    found = {(m.ticket, m.level, m.channel, m.recipient, m.tries) for m in listed.messages}
    # The role's message is dead when written (no try can reach nobody): 0 tries; the
    # refused address was tried once at 11:00 and a 550 is final.
    assert found == {
        ("t1", 1, "email", "lead", 0),
        ("t1", 1, "email", "ops@acme.example", 1),
    }
    errors = {m.recipient: m.last_error or "" for m in listed.messages}
    assert errors["lead"].startswith("role 'lead' has no e-mail address")
    assert "550" in errors["ops@acme.example"]
    assert messages(database, "pending").total == 0


def test_retrying_t1s_refused_address_sends_it_at_the_next_tick_with_fresh_tries(
    database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ops = dead_ids(database)["ops@acme.example"]
    done = retry_dead(database, [ops], who="Mo (manager)", now=at("2026-01-05 11:10"))
    assert done.retried == [ops] and done.kept == {}
    # Back in line: pending, no tries yet, first try at 11:10 (when it was asked).
    state = rows(database, "SELECT state, tries, next_try_at FROM outbox WHERE id = :i", i=ops)
    assert [(s, t, str(n)[:16]) for s, t, n in state] == [("pending", 0, "2026-01-05 11:10")]
    audit = rows(database, "SELECT kind, level_id, detail FROM ticket_audit "
                 "WHERE kind = 'message retried'")  # fmt: skip
    words = "email to ops@acme.example retried by Mo (manager); tries start again"
    assert audit == [("message retried", "l1", words)]
    with smtp_server() as mailbox:  # the relay accepts it now
        step(database, settings_for(mailbox.port, tmp_path), at("2026-01-05 11:10"))
        assert [r.recipients for r in mailbox.received] == [["ops@acme.example"]]
    sent = rows(database, "SELECT state, tries FROM outbox WHERE id = :i", i=ops)
    assert sent == [("sent", 1)]
    assert list(dead_ids(database)) == ["lead"]  # the other stays dead: it was not asked


def test_retrying_all_while_the_lead_role_has_no_address_keeps_its_letter_dead_saying_why(
    database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead_ids(database)
    done = retry_dead(database, None, who="Mo", now=at("2026-01-05 11:10"))
    assert done.retried == [ids["ops@acme.example"]]
    assert list(done.kept) == [ids["lead"]]
    assert "role 'lead' still has no e-mail address" in done.kept[ids["lead"]]
    # Kept as it was: dead, never tried.
    assert rows(database, "SELECT state, tries FROM outbox WHERE id = :i", i=ids["lead"]) == [
        ("dead", 0)
    ]


def test_once_version_2_gives_the_lead_role_an_address_retry_all_mails_it_there(
    database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead_ids(database)
    give_lead_an_address(database, at("2026-01-05 11:05"))
    done = retry_dead(database, None, who="Mo", now=at("2026-01-05 11:10"))
    assert done.retried == sorted(ids.values()) and done.kept == {}
    with smtp_server() as mailbox:
        step(database, settings_for(mailbox.port, tmp_path), at("2026-01-05 11:10"))
        got = sorted(r.recipients[0] for r in mailbox.received)
    assert got == ["leads@acme.example", "ops@acme.example"]
    assert messages(database, "dead").total == 0
    assert messages(database, "sent").total == 2


def test_retry_refuses_a_sent_message_and_an_unknown_id_and_retries_nothing(
    database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead_ids(database)
    with pytest.raises(NotFound, match="no outbox message 999"):
        retry_dead(database, [ids["lead"], 999], who="Mo")
    retry_dead(database, [ids["ops@acme.example"]], who="Mo", now=at("2026-01-05 11:10"))
    with pytest.raises(Conflict, match=f"message {ids['ops@acme.example']} is pending"):
        retry_dead(database, [ids["lead"], ids["ops@acme.example"]], who="Mo")
    assert list(dead_ids(database)) == ["lead"]  # untouched by the refused request
    with pytest.raises(InvalidInput, match="name the dead letters"):
        retry_dead(database, [], who="Mo")


@pytest.mark.parametrize(("state", "limit"), [("withdrawn", 10), ("dead", 0), ("dead", 1001)])
def test_a_list_of_an_unlisted_state_or_limit_is_refused_naming_it(
    database: Database, state: str, limit: int
) -> None:
    with pytest.raises(InvalidInput, match=f"{'state' if state != 'dead' else 'limit'}"):
        messages(database, state, limit)


def test_health_at_11_05_30_shows_w1_ticked_30_s_ago_and_t1s_undelivered_mail_5_min_old(
    database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)  # 2 dead letters at 11:00
    with smtp_server() as mailbox:
        port = mailbox.port
    settings = settings_for(port, tmp_path)  # nothing listens on the relay's port now
    # Level 2 of t1 fires at 13:00 (breach) and cannot reach the relay: pending, written
    # at 13:00. Worker w1 ticks then, and again at 13:05 (the message's 1-minute back-off
    # passed, so it is tried again and still pending).
    tick(database, settings, worker="w1", started_at=at("2026-01-05 12:00"),
         now=at("2026-01-05 13:00"), syncing=False)  # fmt: skip
    tick(database, settings, worker="w1", started_at=at("2026-01-05 12:00"),
         now=at("2026-01-05 13:05"), syncing=False)  # fmt: skip
    seen = health(database, now=at("2026-01-05 13:05:30"))
    assert seen.counts == {"pending": 1, "sent": 0, "dead": 2, "withdrawn": 0}
    assert seen.oldest_undelivered_at == at("2026-01-05 13:00")
    assert seen.oldest_undelivered_seconds == 330.0  # 13:00 -> 13:05:30 = 5 min 30 s
    (w1,) = seen.workers
    assert (w1.name, w1.last_tick_at, w1.seconds_ago, w1.ticks) == (
        "w1", at("2026-01-05 13:05"), 30.0, 2
    )  # fmt: skip
    assert w1.last_error is None  # a failed try is the message's, not the tick's
    assert w1.tick_seconds > 0


def test_health_with_no_worker_and_an_empty_outbox_has_no_oldest_and_zero_counts(
    database: Database,
) -> None:
    seen = health(database, now=at("2026-01-05 13:00"))
    assert seen.workers == []
    assert seen.oldest_undelivered_at is None and seen.oldest_undelivered_seconds is None
    assert seen.counts == {"pending": 0, "sent": 0, "dead": 0, "withdrawn": 0}
