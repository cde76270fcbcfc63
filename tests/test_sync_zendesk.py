"""Zendesk sync against a replay server on loopback: pages, retries, deleted tickets,
the stored cursor, and a sync stopped between pages that resumes without loss."""

from __future__ import annotations

import base64
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from charter.config import Settings
from charter.errors import HelpdeskError
from charter.services.sync import SyncSummary, sync_zendesk
from charter.store import Database
from charter.store.models import SyncCursor, Ticket
from support.replay import (
    EXPORT,
    Replay,
    held,
    normal,
    replaying,
    script_three_pages,
    server_error,
    unauthorized,
)


@pytest.fixture
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running


def settings_for(database: Database, replay: Replay, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "environment": "test", "database_url": database.url, "zendesk_email": "ada@example.com",
        "zendesk_api_token": "t0ken", "zendesk_base_url": replay.base_url, **overrides,
    }  # fmt: skip
    return Settings(**values)


def stored_tickets(database: Database) -> dict[str, tuple[Any, ...]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(Ticket.source_id, Ticket.status, Ticket.first_response_at, Ticket.solved_at)
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def stored_cursor(database: Database) -> tuple[str, int] | None:
    with database.engine.connect() as connection:
        row = connection.execute(select(SyncCursor.cursor, SyncCursor.pages)).first()
    return None if row is None else (row[0], row[1])


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC)


def test_zendesk_sync_reads_every_page_waits_out_a_429_and_a_500_and_skips_a_deleted_ticket(
    database: Database, replay: Replay
) -> None:
    script_three_pages(replay)
    waits: list[float] = []
    summary = sync_zendesk(database, settings_for(database, replay), sleep=waits.append)
    # The 429 asked for 7 s; the 500 waits the first back-off step, 1 s.
    assert waits == [7.0, 1.0]
    # 101: the requester wrote at 09:00, the agent's public reply at 09:30 is its first
    # response, solved at 11:00 (page 2's copy replaced page 1's). 102: no reply yet.
    # 103: the 09:10 private note is no reply; the public answer at 10:00 is.
    assert stored_tickets(database) == {
        "101": ("solved", at(9, 30), at(11)),
        "102": ("new", None, None),
        "103": ("pending", at(10), None),
    }
    # 101, 102, 103 inserted; 101 updated on page 2; 104 was deleted and never stored.
    assert (summary.pages, summary.inserted, summary.updated, summary.unchanged) == (3, 3, 1, 0)
    assert summary.deleted == ["104"] and summary.rejected == 0
    assert stored_cursor(database) == ("c4", 3)
    token = base64.b64encode(b"ada@example.com/token:t0ken").decode()
    assert {auth for _path, auth in replay.requests} == {f"Basic {token}"}


def test_zendesk_sync_resumes_from_the_stored_cursor(database: Database, replay: Replay) -> None:
    script_three_pages(replay)
    settings = settings_for(database, replay)
    sync_zendesk(database, settings, sleep=lambda _s: None)
    replay.requests.clear()
    again = sync_zendesk(database, settings, sleep=lambda _s: None)
    # Only the page after the last stored one is asked for; it is empty and ends.
    assert replay.paths() == [f"{EXPORT}?cursor=c4&include=users"]
    assert again.resumed and (again.pages, again.tickets) == (1, 0)
    assert stored_cursor(database) == ("c4", 4)


class Killed(Exception):
    """Stands for the process dying right after page 2's commit."""


def test_a_zendesk_sync_stopped_after_page_two_resumes_at_page_three_losing_and_duplicating_nothing(
    database: Database, replay: Replay
) -> None:
    script_three_pages(replay)
    settings = settings_for(database, replay)

    def die_after_page_two(summary: SyncSummary) -> None:
        if summary.pages == 2:
            raise Killed

    with pytest.raises(Killed):
        sync_zendesk(database, settings, progress=die_after_page_two, sleep=lambda _s: None)
    # Pages 1 and 2 are stored with the cursor of page 3, in the same transactions.
    assert stored_cursor(database) == ("c3", 2)
    assert set(stored_tickets(database)) == {"101", "102", "103"}
    replay.requests.clear()
    resumed = sync_zendesk(database, settings, sleep=lambda _s: None)
    assert replay.paths()[0] == f"{EXPORT}?cursor=c3&include=users"
    assert f"{EXPORT}?include=users&start_time=0" not in replay.paths()
    # Page 3 holds only the deleted 104: nothing new, nothing stored twice.
    assert (resumed.pages, resumed.inserted, resumed.deleted) == (1, 0, ["104"])
    with database.engine.connect() as connection:
        ids = connection.execute(select(Ticket.source_id)).scalars().all()
    assert sorted(ids) == ["101", "102", "103"]
    assert stored_cursor(database) == ("c4", 3)


def test_zendesk_sync_gives_up_after_the_last_try_of_a_failing_page(
    database: Database, replay: Replay
) -> None:
    replay.route(f"{EXPORT}?include=users&start_time=0", server_error())
    waits: list[float] = []
    with pytest.raises(HelpdeskError, match=r"kept failing .* it answered 500 \(5 tries"):
        sync_zendesk(database, settings_for(database, replay), sleep=waits.append)
    # Five tries, four waits doubling from 1 s; nothing stored, no cursor.
    assert waits == [1.0, 2.0, 4.0, 8.0]
    assert len(replay.requests) == 5
    assert stored_tickets(database) == {} and stored_cursor(database) is None


def test_zendesk_sync_with_refused_credentials_names_the_settings_and_does_not_retry(
    database: Database, replay: Replay
) -> None:
    replay.route(f"{EXPORT}?include=users&start_time=0", unauthorized())
    with pytest.raises(HelpdeskError, match="CHARTER_ZENDESK_EMAIL and CHARTER_ZENDESK_API_TOKEN"):
        sync_zendesk(database, settings_for(database, replay), sleep=lambda _s: None)
    assert len(replay.requests) == 1


def test_a_zendesk_sync_killed_while_it_waits_for_page_three_resumes_there(
    database: Database, replay: Replay
) -> None:
    script_three_pages(replay)
    for target in (
        f"{EXPORT}?include=users&start_time=0",
        f"{EXPORT}?cursor=c2&include=users",
    ):  # no real waits
        replay.routes[normal(target)] = replay.routes[normal(target)][1:]
    third = normal(f"{EXPORT}?cursor=c3&include=users")
    holding, arrived, release = held(replay.routes[third][0])
    replay.routes[third] = [holding, replay.routes[third][0]]
    env = {**os.environ, "CHARTER_DATABASE_URL": database.url,
           "CHARTER_ZENDESK_EMAIL": "ada@example.com", "CHARTER_ZENDESK_API_TOKEN": "t0ken",
           "CHARTER_ZENDESK_BASE_URL": replay.base_url}  # fmt: skip
    command = [sys.executable, "-c", "from charter.cli import main; main()", "sync", "zendesk"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        # Page 3 is asked for only after page 2 and its cursor were committed.
        assert arrived.wait(timeout=120), "the sync never asked for page 3"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        release.set()
    assert stored_cursor(database) == ("c3", 2)
    assert stored_tickets(database) == {
        "101": ("solved", at(9, 30), at(11)), "102": ("new", None, None),
        "103": ("pending", at(10), None),
    }  # fmt: skip
    replay.requests.clear()
    resumed = sync_zendesk(database, settings_for(database, replay), sleep=lambda _s: None)
    assert replay.paths()[0] == f"{EXPORT}?cursor=c3&include=users"
    assert (resumed.pages, resumed.inserted, resumed.updated) == (1, 0, 0)
    assert len(stored_tickets(database)) == 3
    assert stored_cursor(database) == ("c4", 3)
