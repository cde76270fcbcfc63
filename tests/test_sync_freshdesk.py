"""Freshdesk sync against a replay server on loopback: the ``updated_since`` listing
read by keyset, conversations as events, the stored cursor, and a sync stopped
between pages that resumes without loss."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from charter.config import Settings
from charter.errors import HelpdeskError
from charter.services.sync import FRESHDESK, SyncSummary, sync_helpdesk
from charter.store import Database
from charter.store.models import SyncCursor, Ticket
from support.replay import (
    Replay,
    fd_second,
    freshdesk_listing,
    replaying,
    script_freshdesk_two_pages,
    unauthorized,
)


@pytest.fixture
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running


def settings_for(database: Database, replay: Replay) -> Settings:
    values: dict[str, Any] = {
        "environment": "test", "database_url": database.url, "freshdesk_api_key": "k3y",
        "freshdesk_base_url": replay.base_url,
    }  # fmt: skip
    return Settings(**values)


def stored_cursor(database: Database) -> tuple[str, int] | None:
    with database.engine.connect() as connection:
        row = connection.execute(select(SyncCursor.cursor, SyncCursor.pages)).first()
    return None if row is None else (row[0], row[1])


def count_and_ticket_101(database: Database) -> tuple[int, Any]:
    with database.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Ticket)).scalar_one()
        first = connection.execute(
            select(Ticket.first_response_at).where(Ticket.source_id == "101")
        ).scalar()
    return count, first


def no_wait(_seconds: float) -> None:
    pass


def test_freshdesk_sync_reads_pages_by_their_latest_change_and_conversations_as_replies(
    database: Database, replay: Replay
) -> None:
    script_freshdesk_two_pages(replay)
    waits: list[float] = []
    summary = sync_helpdesk(database, settings_for(database, replay), FRESHDESK,
                            sleep=waits.append)  # fmt: skip
    assert waits == [3.0]  # the 429's Retry-After
    # The listing from the start (429, then the page), then from ticket 100's change
    # (10:01:40), which reads 100 twice; that page is short, so it is the present.
    listings = [path for path in replay.paths() if path.startswith("/api/v2/tickets?")]
    start = freshdesk_listing("1970-01-01T00:00:00Z")
    assert listings == [start, start, freshdesk_listing(fd_second(100))]
    # 101 tickets, 100 read twice and unchanged; 101's first reply is the public 09:30
    # answer (stats say nothing; the 09:20 note is private).
    assert (summary.pages, summary.inserted, summary.unchanged) == (2, 101, 1)
    assert count_and_ticket_101(database) == (101, dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    # The next sync starts from the latest change stored, ticket 101's at 10:05.
    assert stored_cursor(database) == ("2026-03-02T10:05:00Z|1", 2)


class Killed(Exception):
    """Stands for the process dying right after page 1's commit."""


def test_a_freshdesk_sync_stopped_after_page_one_resumes_from_its_latest_change(
    database: Database, replay: Replay
) -> None:
    script_freshdesk_two_pages(replay)
    settings = settings_for(database, replay)

    def die(summary: SyncSummary) -> None:
        if summary.pages == 1:
            raise Killed

    with pytest.raises(Killed):
        sync_helpdesk(database, settings, FRESHDESK, progress=die, sleep=no_wait)
    assert stored_cursor(database) == (f"{fd_second(100)}|1", 1)
    assert count_and_ticket_101(database) == (100, None)
    replay.requests.clear()
    resumed = sync_helpdesk(database, settings, FRESHDESK, sleep=no_wait)
    assert replay.paths()[0] == freshdesk_listing(fd_second(100))
    assert freshdesk_listing("1970-01-01T00:00:00Z") not in replay.paths()
    # Ticket 100 again (unchanged) and 101 new: 101 tickets, each once.
    assert (resumed.inserted, resumed.unchanged) == (1, 1)
    assert count_and_ticket_101(database)[0] == 101


def test_freshdesk_sync_with_a_refused_key_names_the_setting(
    database: Database, replay: Replay
) -> None:
    replay.route(freshdesk_listing("1970-01-01T00:00:00Z"), unauthorized())
    with pytest.raises(HelpdeskError, match="check CHARTER_FRESHDESK_API_KEY"):
        sync_helpdesk(database, settings_for(database, replay), FRESHDESK, sleep=no_wait)
