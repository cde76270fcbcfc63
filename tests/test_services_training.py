"""What each version asks of whom, acknowledgments, and the reminders the worker sends.

The story (support.training): the example policy is in force from Monday 7 December
2026 09:00. Its training section counts 5 working days on uk-support (open Monday to
Saturday, England's bank holidays closed) to acknowledge, reminds 2 working days before.
Day 0 is Monday 7; working days 1-5 are Tue 8, Wed 9, Thu 10, Fri 11 and Sat 12, so the
deadline is the close of Saturday 12 December, 17:00. The reminder before it goes at
the opening of Thursday 10 (08:00; from Thursday, 2 working days run out on Saturday),
the one "due today" at Saturday's opening (09:00), and the manager hears at the first
opening after the deadline: Monday 14 December 08:00 (Sunday is closed).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from charter.config import Settings
from charter.errors import Conflict
from charter.services.escalations import deliver_due
from charter.services.training import Standing, acknowledge, send_reminders, standings
from charter.store import Database
from support import EXAMPLE_TEXT
from support.smtp import smtp_server
from support.ticket_store import rows
from support.training import V1_AT, digest, example, make_team, publish_chain, utc

CHAT_SLOWER = "first_response: {within: 5m, clock: uk-support, attainment: 90%}=>first_response: {within: 10m, clock: uk-support, attainment: 90%}"  # noqa: E501
TYPO_IN = (
    "Greet the customer by name and give your own.=>Greet the custmer by name and give your own."  # noqa: E501
)


def by_user(database: Database, now: dt.datetime) -> dict[int, Standing]:
    return {s.user.id: s for s in standings(database, now)}


def test_version_one_asks_everyone_by_the_close_of_saturday_12_december(
    database: Database,
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    found = by_user(database, utc("2026-12-08 10:00"))
    for user in (team.ava, team.ben, team.mo):
        required = found[user].requirement
        assert required.version.number == 1 and required.reason == "first version"
        assert required.deadline == utc("2026-12-12 17:00")
        assert required.state(utc("2026-12-08 10:00")) == "due"
        assert required.state(utc("2026-12-12 17:01")) == "overdue"


def test_a_major_change_to_chat_asks_ava_again_and_only_tells_ben(database: Database) -> None:
    v2_at = utc("2026-12-14 09:00")
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (example(chat=CHAT_SLOWER), v2_at))
    team = make_team(database)
    for user in (team.ava, team.ben):
        assert acknowledge(database, user, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    found = by_user(database, utc("2026-12-14 10:00"))
    ava = found[team.ava].requirement
    # Ava answers chat: live chat's first response went from 5 to 10 minutes.
    assert (ava.version.number, ava.reason, ava.acknowledged_at) == (2, "changed", None)
    assert [c.path for c in ava.concerning] == [
        "service_levels.rules[sl-chat].targets.first_response.within"
    ]
    assert ava.changed_clauses == ["service_levels.rules.sl-chat"]
    # 5 working days from Monday 14 December: Tue 15 ... Sat 19, closing at 17:00.
    assert ava.deadline == utc("2026-12-19 17:00")
    # Ben answers e-mail: his acknowledgment of version 1 stands; he is told what changed.
    ben = found[team.ben]
    assert ben.requirement.version.number == 1
    assert ben.requirement.acknowledged_at == utc("2026-12-08 10:00")
    assert ben.notice is not None and ben.notice.outcome == "notice"


def test_a_typo_fixed_in_version_three_keeps_avas_acknowledgment_of_version_two(
    database: Database,
) -> None:
    v2 = example(chat=CHAT_SLOWER, typo=TYPO_IN)
    v3 = example(chat=CHAT_SLOWER)  # the courtesy standard spelt right again
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (v2, utc("2026-12-14 09:00")),
                  (v3, utc("2026-12-16 09:00")))  # fmt: skip
    team = make_team(database)
    # Version 2 is in force on Tuesday 15: Ava acknowledges it.
    assert acknowledge(database, team.ava, 2, digest(v2), utc("2026-12-15 10:00"))
    ava = by_user(database, utc("2026-12-16 10:00"))[team.ava]
    assert ava.requirement.version.number == 2
    assert ava.requirement.acknowledged_at == utc("2026-12-15 10:00")
    assert ava.notice is not None


def test_a_review_that_changes_nothing_keeps_everything_and_tells_no_one(
    database: Database,
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (EXAMPLE_TEXT, utc("2026-12-14 09:00")))
    team = make_team(database)
    assert acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    ava = by_user(database, utc("2026-12-14 10:00"))[team.ava]
    assert ava.requirement.version.number == 1
    assert ava.notice is None


def test_an_acknowledgment_names_the_version_in_force_and_the_text_read(
    database: Database,
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    with pytest.raises(Conflict, match="hash differs"):
        acknowledge(database, team.ava, 1, digest("another text"), utc("2026-12-08 10:00"))
    with pytest.raises(Conflict, match="not the one in force"):
        acknowledge(database, team.ava, 2, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    assert acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    assert not acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 11:00"))
    stored = rows(database, "SELECT version_number, content_hash FROM acknowledgments")
    assert stored == [(1, digest(EXAMPLE_TEXT))]


def outbox(database: Database) -> list[tuple[str, str, dt.datetime]]:
    """The training messages written: kind, recipient, when due (UTC)."""
    found = rows(database, "SELECT level_id, recipient, next_try_at FROM outbox "
                 "WHERE purpose = 'training' ORDER BY id")  # fmt: skip
    return [
        (k, r, t if isinstance(t, dt.datetime)  # SQLite hands back the stored text
         else dt.datetime.fromisoformat(t).replace(tzinfo=dt.UTC))
        for k, r, t in found
    ]  # fmt: skip


def test_reminders_go_once_on_thursday_and_saturday_and_mo_hears_on_monday(
    database: Database, tmp_path: object
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    make_team(database)
    settings = Settings(data_dir=tmp_path)  # type: ignore[arg-type]
    assert send_reminders(database, settings, utc("2026-12-09 12:00")).total == 0
    assert send_reminders(database, settings, utc("2026-12-10 08:00")).counts == {"before": 3}
    assert send_reminders(database, settings, utc("2026-12-10 09:00")).total == 0  # once
    assert send_reminders(database, settings, utc("2026-12-12 09:00")).counts == {"due": 3}
    assert send_reminders(database, settings, utc("2026-12-13 10:00")).total == 0  # Sunday
    # Monday 08:00: Ava and Ben are overdue and Mo is their manager; Mo has no manager.
    assert send_reminders(database, settings, utc("2026-12-14 08:00")).counts == {"overdue": 2}
    sent = outbox(database)
    assert [(k, r) for k, r, _ in sent[-2:]] == [
        ("overdue", "mo@larkfield.example"), ("overdue", "mo@larkfield.example")
    ]  # fmt: skip
    assert {t for k, _, t in sent if k == "before"} == {utc("2026-12-10 08:00")}


def test_a_reminder_found_at_two_on_sunday_morning_waits_for_mondays_opening(
    database: Database, tmp_path: object
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    make_team(database)
    settings = Settings(data_dir=tmp_path)  # type: ignore[arg-type]
    # The worker was down from Wednesday until Sunday 02:00: both reminders are due then,
    # and go at the next opening, Monday 14 December 08:00, not at night.
    done = send_reminders(database, settings, utc("2026-12-13 02:00"))
    assert done.counts == {"before": 3, "due": 3}
    assert {t for _, _, t in outbox(database)} == {utc("2026-12-14 08:00")}


def test_the_reminder_reaches_ava_over_smtp_naming_the_version_and_deadline(
    database: Database, tmp_path: object
) -> None:
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    make_team(database)
    with smtp_server() as mailbox:
        settings = Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=mailbox.port,  # type: ignore[arg-type]
                            smtp_tls="none", smtp_from_address="charter@larkfield.example",
                            base_url="https://charter.larkfield.example")  # fmt: skip
        send_reminders(database, settings, utc("2026-12-10 08:00"))
        delivered = deliver_due(database, settings, now=utc("2026-12-10 08:00"))
        assert delivered.sent == 3
        ava = next(r for r in mailbox.received if r.recipients == ["ava@larkfield.example"])
    subject = ava.message["Subject"]
    # The deadline in the calendar's zone: Saturday 12 December, 17:00 GMT.
    assert subject.startswith("Reminder: acknowledge version 1 of the policy and pass its quiz by")
    assert "12 Dec 2026 17:00" in subject
    body = ava.message.get_body(("plain",)).get_content()
    assert "https://charter.larkfield.example/training" in body
    assert rows(database, "SELECT count(*) FROM ticket_audit WHERE ticket_id IS NULL "
                "AND kind = 'message sent'") == [(3,)]  # fmt: skip


def test_ben_is_told_once_what_changed_for_chat_and_a_review_without_change_tells_no_one(
    database: Database, tmp_path: object
) -> None:
    v2_at = utc("2026-12-14 09:00")
    v3_at = utc("2026-12-21 09:00")
    v2 = example(chat=CHAT_SLOWER)
    publish_chain(database, (EXAMPLE_TEXT, V1_AT), (v2, v2_at), (v2, v3_at))
    team = make_team(database)
    settings = Settings(data_dir=tmp_path)  # type: ignore[arg-type]
    for user in (team.ava, team.ben, team.mo):
        assert acknowledge(database, user, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    # Monday 14 December 10:00, version 2 in force: Ben (e-mail) is told what changed;
    # Ava (chat) and Mo (every channel) are asked again, with no notice. (Ben's quiz of
    # version 1 is still to pass and was due on Saturday: he is reminded too.)
    assert send_reminders(database, settings, utc("2026-12-14 10:00")).counts["notice"] == 1
    assert "notice" not in send_reminders(database, settings, utc("2026-12-14 11:00")).counts
    notices = [(k, r) for k, r, _ in outbox(database) if k == "notice"]
    assert notices == [("notice", "ben@larkfield.example")]
    payload = rows(database, "SELECT payload FROM outbox WHERE level_id = 'notice'")[0][0]
    facts = payload if isinstance(payload, dict) else json.loads(payload)
    changed = [f["text"] for f in facts["facts"] if f["label"] == "Changed"]
    assert changed == [
        "first response for chat: 5 business minutes → 10 business minutes (weaker for customers)"
    ]
    # Version 3 repeats version 2 word for word (a review that changes nothing): no
    # notice for anyone, and Ava is still asked for version 2, not 3.
    found = by_user(database, utc("2026-12-21 10:00"))
    assert found[team.ben].notice is None
    assert found[team.ava].requirement.version.number == 2
    send_reminders(database, settings, utc("2026-12-21 10:00"))
    assert [k for k, _, _ in outbox(database)].count("notice") == 1
