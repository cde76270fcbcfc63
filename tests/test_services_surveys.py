"""The survey after a solve, sent by the worker: scheduled for the solve plus the
policy's delay, sent once through the outbox, withdrawn when the ticket is reopened
first, never for tickets solved before surveys were switched on.

The example policy's section is ``kind: csat, after: 1h, valid_for: 14d``.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import select

from charter.errors import ConfigError
from charter.feedback.surveys import read_token
from charter.services.lifecycle import judging_versions, operating_version
from charter.services.surveys import SurveyRun, send_surveys, switched_on
from charter.store import Database
from charter.store.models import (
    OutboxMessage,
    PolicyRecord,
    PolicyVersion,
    SurveyInvitation,
    Ticket,
)
from support import EXAMPLE_TEXT
from support.web import SECRET, make_settings

ON = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)  # surveys switched on (the version's effect)
SOLVED = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
BASE = "https://charter.example.test"
WITHOUT_SURVEYS = EXAMPLE_TEXT.replace(
    "surveys:\n  kind: csat          # satisfaction, 1-5\n  after: 1h\n  valid_for: 14d\n", ""
)


def _publish(database: Database, text: str = EXAMPLE_TEXT, *, at: dt.datetime = ON,
             number: int = 1) -> int:  # fmt: skip
    with database.transaction() as session:
        record = session.scalars(select(PolicyRecord)).first()
        if record is None:
            record = PolicyRecord(slug="main", name="Main")
            session.add(record)
            session.flush()
        for older in session.scalars(
            select(PolicyVersion).where(PolicyVersion.status == "published")
        ):
            older.status, older.retired_at = "retired", at
        session.flush()
        version = PolicyVersion(policy_id=record.id, number=number, status="published",
                                text=text, content_hash=f"h{number}", published_at=at,
                                effective_at=at)  # fmt: skip
        session.add(version)
        session.flush()
        return version.id


def _ticket(database: Database, source_id: str, *, status: str = "solved",
            solved_at: dt.datetime | None = SOLVED,
            email: str | None = "ana@example.test") -> int:  # fmt: skip
    with database.transaction() as session:
        row = Ticket(source="zendesk", source_id=source_id, created_at=SOLVED - 5 * HOUR,
                     status=status, solved_at=solved_at, requester_email=email,
                     channel="email", priority="normal", content_hash="-",
                     imported_at=SOLVED)  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _set(database: Database, ticket_id: int, **values: Any) -> None:
    with database.transaction() as session:
        row = session.get(Ticket, ticket_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


def _invitations(database: Database) -> list[tuple[int, str, dt.datetime, int | None]]:
    with database.reading() as session:
        rows = session.scalars(select(SurveyInvitation).order_by(SurveyInvitation.ticket_id))
        return [(r.ticket_id, r.state, r.due_at, r.outbox_id) for r in rows]


def _mail(database: Database) -> list[OutboxMessage]:
    with database.reading() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _run(database: Database, at: dt.datetime, **settings: Any) -> SurveyRun:
    return send_surveys(database, make_settings("-", base_url=BASE, **settings), at)


def test_a_solved_ticket_is_surveyed_once_an_hour_after_its_solve(database: Database) -> None:
    _publish(database)
    ticket = _ticket(database, "501")
    # 09:30: scheduled for 09:00 + 1h = 10:00, nothing sent yet
    assert _run(database, SOLVED + HOUR / 2) == SurveyRun(scheduled=1)
    assert _invitations(database) == [(ticket, "scheduled", SOLVED + HOUR, None)]
    assert _mail(database) == []
    # 10:00: due, sent through the outbox to the requester
    assert _run(database, SOLVED + HOUR) == SurveyRun(sent=1)
    [mail] = _mail(database)
    assert (mail.purpose, mail.recipient, mail.ticket_id, mail.state) == (
        "survey", "ana@example.test", ticket, "pending")  # fmt: skip
    [(_, state, _, outbox_id)] = _invitations(database)
    assert (state, outbox_id) == ("sent", mail.id)
    # the e-mail's link names this invitation and works for 14 days from 10:00
    [link] = [f["href"] for f in mail.payload["facts"] if f["href"]]
    assert link.startswith(f"{BASE}/s/")
    token = link.removeprefix(f"{BASE}/s/")
    with database.reading() as session:
        invitation_id = session.scalars(select(SurveyInvitation.id)).one()
    assert read_token(token, SECRET, now=SOLVED + HOUR + dt.timedelta(days=14)) == invitation_id
    assert "501" in mail.payload["facts"][0]["text"]  # the helpdesk's number
    # later ticks send nothing more
    assert _run(database, SOLVED + 5 * HOUR) == SurveyRun()
    assert len(_mail(database)) == 1


def test_a_ticket_reopened_before_the_delay_ran_out_is_not_surveyed(database: Database) -> None:
    _publish(database)
    ticket = _ticket(database, "502")
    _run(database, SOLVED + HOUR / 4)  # scheduled for 10:00
    _set(database, ticket, status="open", solved_at=None)  # reopened at 09:30
    assert _run(database, SOLVED + HOUR) == SurveyRun(withdrawn=1)
    assert [s for _, s, _, _ in _invitations(database)] == ["withdrawn"]
    assert _mail(database) == []
    # solved again at 12:00: the survey follows that solve, at 13:00
    again = SOLVED + 3 * HOUR
    _set(database, ticket, status="solved", solved_at=again)
    assert _run(database, again + HOUR / 2).sent == 0
    assert _invitations(database) == [(ticket, "scheduled", again + HOUR, None)]
    assert _run(database, again + HOUR).sent == 1
    assert len(_mail(database)) == 1


def test_a_ticket_solved_again_at_another_instant_waits_for_the_new_solve(
    database: Database,
) -> None:
    _publish(database)
    ticket = _ticket(database, "503")
    _run(database, SOLVED + HOUR / 4)
    # reopened and solved again at 09:40 between two ticks: the 09:00 solve no longer
    # stands, so the invitation is withdrawn, then scheduled for 09:40 + 1h = 10:40
    _set(database, ticket, solved_at=SOLVED + dt.timedelta(minutes=40))
    run = _run(database, SOLVED + HOUR)
    assert (run.withdrawn, run.sent) == (1, 0)
    assert _invitations(database)[0][1:3] == ("scheduled", SOLVED + dt.timedelta(minutes=100))


@pytest.mark.parametrize(
    ("status", "solved_at", "email", "why"),
    [
        ("solved", SOLVED, None, "no requester address"),
        ("solved", SOLVED, "", "a blank address"),
        ("open", None, "ana@example.test", "not solved"),
        ("solved", ON - dt.timedelta(minutes=1), "ana@example.test", "solved before surveys"),
    ],
)
def test_tickets_that_are_not_surveyed(
    database: Database, status: str, solved_at: dt.datetime, email: str | None, why: str
) -> None:
    _publish(database)
    _ticket(database, "504", status=status, solved_at=solved_at, email=email)
    assert _run(database, SOLVED + 2 * HOUR) == SurveyRun(), why
    assert _invitations(database) == []


def test_a_closed_ticket_is_surveyed_like_a_solved_one(database: Database) -> None:
    _publish(database)
    _ticket(database, "505", status="closed")
    assert _run(database, SOLVED + 2 * HOUR) == SurveyRun(scheduled=1, sent=1)


def test_switching_surveys_on_in_a_later_version_never_mails_the_history(
    database: Database,
) -> None:
    # version 1 (no surveys) from 08:00; version 2 (surveys) from 10:00
    _publish(database, WITHOUT_SURVEYS)
    _publish(database, at=SOLVED + HOUR, number=2)
    before = _ticket(database, "506")  # solved 09:00, under version 1
    after = _ticket(database, "507", solved_at=SOLVED + 2 * HOUR)  # 11:00
    _run(database, SOLVED + 4 * HOUR)
    assert [(t, s) for t, s, _, _ in _invitations(database)] == [(after, "sent")]
    assert before != after


def test_surveys_switched_on_is_the_start_of_the_unbroken_run_of_versions_with_them(
    database: Database,
) -> None:
    _publish(database)  # 1: surveys, from 08:00
    _publish(database, WITHOUT_SURVEYS, at=ON + HOUR, number=2)  # 2: none, from 09:00
    _publish(database, at=ON + 2 * HOUR, number=3)  # 3: surveys, from 10:00
    _publish(database, at=ON + 3 * HOUR, number=4)  # 4: surveys, from 11:00
    moment = ON + 5 * HOUR
    live = operating_version(database, moment)
    assert live is not None and live.number == 4
    # 4 and 3 have surveys, 2 breaks the run: switched on at 3's 10:00
    assert switched_on(judging_versions(database, moment), live) == ON + 2 * HOUR


def test_a_policy_without_surveys_sends_none(database: Database) -> None:
    _publish(database, WITHOUT_SURVEYS)
    _ticket(database, "508")
    assert _run(database, SOLVED + 2 * HOUR) == SurveyRun()


def test_an_unanswered_link_expires_after_its_fourteen_days(database: Database) -> None:
    _publish(database)
    _ticket(database, "509")
    _run(database, SOLVED + HOUR)  # sent at 10:00, link until 10:00 fourteen days on
    fourteen = dt.timedelta(days=14)
    assert _run(database, SOLVED + HOUR + fourteen - dt.timedelta(seconds=1)).expired == 0
    assert _run(database, SOLVED + HOUR + fourteen).expired == 1
    assert [s for _, s, _, _ in _invitations(database)] == ["expired"]


def test_without_a_public_address_the_due_survey_waits_and_the_step_says_why(
    database: Database,
) -> None:
    _publish(database)
    _ticket(database, "510")
    with pytest.raises(ConfigError, match="set CHARTER_BASE_URL"):
        send_surveys(database, make_settings("-"), SOLVED + HOUR)
    assert [s for _, s, _, _ in _invitations(database)] == ["scheduled"]
    assert _mail(database) == []
    assert _run(database, SOLVED + HOUR).sent == 1  # sent once the address is set


@pytest.mark.postgres
def test_two_workers_at_once_send_each_survey_once(postgres: str) -> None:
    from support.db import truncate

    database = Database(postgres)
    truncate(database)
    try:
        _publish(database)
        tickets = [_ticket(database, str(600 + n)) for n in range(40)]
        start = threading.Barrier(2)
        runs: list[SurveyRun] = []
        errors: list[BaseException] = []

        def worker() -> None:
            start.wait()
            try:
                runs.append(_run(database, SOLVED + 2 * HOUR))
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        # 40 tickets: 40 invitations and 40 e-mails between the two, whoever did which
        assert sum(r.scheduled for r in runs) == 40
        assert sum(r.sent for r in runs) == 40
        mails = _mail(database)
        assert sorted(m.ticket_id for m in mails) == tickets
        assert len(_invitations(database)) == 40
    finally:
        truncate(database)
        database.dispose()
