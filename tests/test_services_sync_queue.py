"""run_due_syncs, the worker's sync step, against a helpdesk replayed on loopback: the
tickets webhooks queued are fetched with their events and stored, their requests
deleted in the same transaction; a webhook that arrives during the fetch keeps its
request; a helpdesk without credentials or out of service keeps its requests and says
why; the incremental sync runs every CHARTER_SYNC_EVERY seconds; a busy import lock
skips the tick. SLA state is left to the worker."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from charter import clock
from charter.config import Settings
from charter.services.sync import DueSyncs, run_due_syncs
from charter.store import Database
from charter.store import sync_requests as requests
from charter.store.import_runs import ImportLock
from charter.store.models import SlaState, Ticket
from support.db import truncate
from support.hooks import queued
from support.replay import (
    AGENT,
    AUDITS,
    EXPORT,
    FRESHDESK_TICKETS,
    Replay,
    audits_page,
    comment,
    created,
    freshdesk_conversation,
    freshdesk_ticket,
    held,
    ok,
    replaying,
    server_error,
    status_change,
    zendesk_audit,
    zendesk_export,
    zendesk_ticket,
)

SHOW_MANY = "/api/v2/tickets/show_many.json"
NINE = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running


def settings_for(database: Database, replay: Replay, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test", "database_url": database.url,
        "zendesk_email": "ada@example.com", "zendesk_api_token": "t0ken",
        "zendesk_base_url": replay.base_url, "freshdesk_api_key": "k3y",
        "freshdesk_base_url": replay.base_url, **overrides,
    }  # fmt: skip
    return Settings(**values)


def enqueue(database: Database, source: str, ids: list[str], at: dt.datetime = NINE) -> None:
    with database.transaction() as session:
        requests.queue(session, source, ids, at)


def stored(database: Database) -> dict[tuple[str, str], tuple[Any, ...]]:
    query = select(Ticket.source, Ticket.source_id, Ticket.status, Ticket.first_response_at,
                   Ticket.solved_at)  # fmt: skip
    with database.engine.connect() as connection:
        return {(r[0], r[1]): tuple(r[2:]) for r in connection.execute(query).all()}


def states(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(SlaState)).scalar_one())


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC)


def script_zendesk_101_102(replay: Replay, *, hold: bool = False) -> threading.Event | None:
    """show_many for 101 and 102. 101: the requester wrote at 09:00, the agent replied
    publicly at 09:30, solved at 11:00. 102: just created."""
    page = {"tickets": [zendesk_ticket(101, "solved", updated_at="2026-03-02T11:00:00Z"),
                        zendesk_ticket(102, "new")]}  # fmt: skip
    answer, release = ok(page), None
    if hold:
        answer, arrived, release = held(answer)
        replay.arrived = arrived  # type: ignore[attr-defined]
    replay.route(f"{SHOW_MANY}?ids=101,102&include=users", answer)
    replied = zendesk_audit(101, "2026-03-02T09:30:00Z", AGENT, comment(AGENT),
                            status_change("open", "new"))  # fmt: skip
    solved = zendesk_audit(101, "2026-03-02T11:00:00Z", AGENT, status_change("solved", "open"))
    replay.route(AUDITS.format(101), ok(audits_page(created(101), replied, solved)))
    replay.route(AUDITS.format(102), ok(audits_page(created(102))))
    return release


def test_queued_zendesk_tickets_are_fetched_with_their_audits_stored_and_dequeued(
    database: Database, replay: Replay
) -> None:
    script_zendesk_101_102(replay)
    enqueue(database, "zendesk", ["101", "102"])
    due = run_due_syncs(database, settings_for(database, replay))
    # One show_many for both ids, then one audits request per ticket (over several
    # connections at once, so in either order): 3 requests.
    paths = replay.paths()
    assert paths[0] == f"{SHOW_MANY}?ids=101,102&include=users"
    assert sorted(paths[1:]) == [AUDITS.format(101), AUDITS.format(102)]
    # 101: first response at the agent's public reply 09:30, solved at 11:00; 102: no reply.
    assert stored(database) == {("zendesk", "101"): ("solved", at(9, 30), at(11)),
                                ("zendesk", "102"): ("new", None, None)}  # fmt: skip
    run = due.queued["zendesk"]
    assert (run.inserted, run.updated, run.requests) == (2, 0, 3)
    assert due.changed and due.failures == {} and due.periodic == {}
    assert queued(database) == {}
    assert states(database) == 0  # SLA state is the worker's next step, not this one's


def test_queued_freshdesk_ticket_is_fetched_with_its_conversations(
    database: Database, replay: Replay
) -> None:
    replay.route(f"{FRESHDESK_TICKETS}/7?include=requester,stats",
                 ok(freshdesk_ticket(7, "2026-03-02T10:00:00Z")))  # fmt: skip
    replay.route(
        f"{FRESHDESK_TICKETS}/7/conversations?page=1&per_page=100",
        ok([freshdesk_conversation(7, "2026-03-02T09:10:00Z", incoming=True),
            freshdesk_conversation(7, "2026-03-02T09:30:00Z", incoming=False)]),
    )  # fmt: skip
    enqueue(database, "freshdesk", ["7"])
    due = run_due_syncs(database, settings_for(database, replay))
    # Status 2 is open; the first public outgoing entry (09:30) is the first response.
    assert stored(database) == {("freshdesk", "7"): ("open", at(9, 30), None)}
    assert due.queued["freshdesk"].inserted == 1
    assert queued(database) == {}


def test_a_queued_ticket_the_helpdesk_no_longer_has_is_dequeued_and_named(
    database: Database, replay: Replay
) -> None:
    replay.route(f"{SHOW_MANY}?ids=101,999&include=users", ok({"tickets": [zendesk_ticket(101)]}))
    replay.route(AUDITS.format(101), ok(audits_page(created(101))))
    enqueue(database, "zendesk", ["101", "999"])
    due = run_due_syncs(database, settings_for(database, replay))
    assert due.queued["zendesk"].deleted == ["999"]
    assert list(stored(database)) == [("zendesk", "101")]
    assert queued(database) == {}
    assert due.lines() == ["zendesk: 1 queued ticket(s) (1 new, 0 changed), 1 gone from the "
                           "helpdesk"]  # fmt: skip


def test_a_webhook_during_the_fetch_keeps_its_request_for_the_next_tick(
    database: Database, replay: Replay
) -> None:
    release = script_zendesk_101_102(replay, hold=True)
    assert release is not None
    enqueue(database, "zendesk", ["101", "102"])
    settings = settings_for(database, replay)
    results: list[DueSyncs] = []
    worker = threading.Thread(target=lambda: results.append(run_due_syncs(database, settings)))
    worker.start()
    assert replay.arrived.wait(30)  # type: ignore[attr-defined]
    enqueue(database, "zendesk", ["101"], at(9, 5))  # ticket 101 changed again meanwhile
    release.set()
    worker.join(60)
    # Both were stored from what was fetched; 101's request, asked for again at 09:05
    # after the fetch began, stays so the next tick reads its newer change.
    assert len(stored(database)) == 2 and results[0].queued["zendesk"].inserted == 2
    assert queued(database) == {("zendesk", "101"): at(9, 5)}


def test_requests_for_a_helpdesk_without_credentials_wait_and_say_why(
    database: Database, replay: Replay
) -> None:
    enqueue(database, "zendesk", ["101"])
    settings = settings_for(database, replay, zendesk_email=None, zendesk_api_token=None)
    due = run_due_syncs(database, settings)
    assert due.waiting["zendesk"].startswith(
        "1 queued ticket(s) wait: Zendesk sync needs CHARTER_ZENDESK_EMAIL, "
        "CHARTER_ZENDESK_API_TOKEN"
    )
    assert replay.paths() == []
    assert queued(database) == {("zendesk", "101"): NINE}


def test_a_helpdesk_outage_is_reported_not_raised_and_the_requests_stay(
    database: Database, replay: Replay
) -> None:
    replay.route(f"{SHOW_MANY}?ids=101&include=users", server_error())
    enqueue(database, "zendesk", ["101"])
    waits: list[float] = []
    due = run_due_syncs(database, settings_for(database, replay, sync_tries=2),
                        sleep=waits.append)  # fmt: skip
    # Two tries: 500, wait the first back-off step (1 s), 500 again, give up.
    assert waits == [1.0]
    assert due.failures == {"zendesk": "Zendesk kept failing on GET /api/v2/tickets/"
                            "show_many.json: it answered 500 (2 tries, the last one just now); "
                            "try again later, or raise CHARTER_SYNC_TRIES"}  # fmt: skip
    assert not due.changed
    assert queued(database) == {("zendesk", "101"): NINE}


def test_the_incremental_sync_runs_once_sync_every_seconds_have_passed(
    database: Database, replay: Replay, monkeypatch: pytest.MonkeyPatch
) -> None:
    noon = at(12)
    monkeypatch.setattr(clock, "now", lambda: noon)  # the stored cursor is written at noon
    replay.route(
        f"{EXPORT}?include=users&start_time=0",
        ok(zendesk_export([zendesk_ticket(201)], "c1", True)),
    )
    replay.route(f"{EXPORT}?cursor=c1&include=users", ok(zendesk_export([], "c1", True)))
    replay.route(AUDITS.format(201), ok(audits_page(created(201))))
    settings = settings_for(database, replay, sync_every=600, freshdesk_api_key=None)
    first = run_due_syncs(database, settings, now=noon)  # never synced: due at once
    assert first.periodic["zendesk"].inserted == 1
    assert replay.paths() == [f"{EXPORT}?include=users&start_time=0", AUDITS.format(201)]
    # 12:09:59 is 599 s after the cursor was stored at 12:00:00: not yet due.
    early = run_due_syncs(database, settings, now=noon + dt.timedelta(seconds=599))
    assert early.periodic == {} and len(replay.paths()) == 2
    # 12:10:00, 600 s after: due; it resumes from the stored cursor.
    late = run_due_syncs(database, settings, now=noon + dt.timedelta(seconds=600))
    assert late.periodic["zendesk"].pages == 1
    assert replay.paths()[2:] == [f"{EXPORT}?cursor=c1&include=users"]
    assert states(database) == 0


def test_without_sync_every_no_incremental_sync_runs(database: Database, replay: Replay) -> None:
    due = run_due_syncs(database, settings_for(database, replay))
    assert (due.periodic, due.queued, replay.paths()) == ({}, {}, [])


def test_a_busy_import_lock_skips_the_tick_without_error(
    database: Database, replay: Replay
) -> None:
    enqueue(database, "zendesk", ["101"])
    lock = ImportLock.take(database)
    assert lock is not None
    with lock:
        due = run_due_syncs(database, settings_for(database, replay, sync_every=60))
    assert due.skipped == "another sync or import is running"
    assert due.lines() == ["syncs skipped: another sync or import is running"]
    assert replay.paths() == [] and queued(database) == {("zendesk", "101"): NINE}


@pytest.fixture
def postgresql(postgres: str) -> Iterator[Database]:
    """PostgreSQL alone, emptied: SQLite has no row locks, and runs one worker."""
    database = Database(postgres)
    truncate(database)
    yield database
    database.dispose()


@pytest.mark.postgres
def test_on_postgresql_a_request_another_worker_holds_is_skipped_not_waited_for(
    postgresql: Database, replay: Replay
) -> None:
    database = postgresql
    replay.route(f"{SHOW_MANY}?ids=102&include=users", ok({"tickets": [zendesk_ticket(102)]}))
    replay.route(AUDITS.format(102), ok(audits_page(created(102))))
    enqueue(database, "zendesk", ["101"])
    enqueue(database, "zendesk", ["102"], at(9, 1))
    with database.transaction() as other:  # another worker has claimed 101, still working
        assert [r.source_id for r in requests.waiting(other, "zendesk", 1)] == ["101"]
        due = run_due_syncs(database, settings_for(database, replay))
    assert replay.paths()[0] == f"{SHOW_MANY}?ids=102&include=users"
    assert due.queued["zendesk"].inserted == 1
    assert queued(database) == {("zendesk", "101"): NINE}


def test_a_queued_ticket_the_store_cannot_take_is_dropped_not_retried_every_tick(
    database: Database, replay: Replay
) -> None:
    # Ticket 101's type (stored as its category, at most 200 characters) is 300 long:
    # the batch is refused, and left queued it would be refused again at every tick,
    # holding up every request behind it.
    broken = zendesk_ticket(101, type="x" * 300)
    replay.route(f"{SHOW_MANY}?ids=101&include=users", ok({"tickets": [broken]}))
    replay.route(AUDITS.format(101), ok(audits_page(created(101))))
    enqueue(database, "zendesk", ["101"])
    due = run_due_syncs(database, settings_for(database, replay))
    assert due.failures["zendesk"].startswith(
        "1 queued ticket(s) dropped from the queue, not stored: "
    )
    assert queued(database) == {}
