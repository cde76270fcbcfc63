"""The requester's address comes with a sync: Zendesk's export and show_many side-load
the tickets' users (``include=users``), Freshdesk's listing embeds the requester
(``include=requester,stats``); each ticket is stored with its requester's e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from charter.config import Settings
from charter.services.sync import FRESHDESK, ZENDESK, sync_helpdesk
from charter.store import Database
from charter.store.models import Ticket
from support.replay import (
    AUDITS,
    EXPORT,
    Replay,
    audits_page,
    created,
    freshdesk_listing,
    freshdesk_ticket,
    ok,
    replaying,
    zendesk_export,
    zendesk_ticket,
)


@pytest.fixture
def replay() -> Iterator[Replay]:
    with replaying() as running:
        yield running


def _settings(database: Database, replay: Replay) -> Settings:
    values: dict[str, Any] = {
        "environment": "test", "database_url": database.url,
        "zendesk_email": "ada@example.com", "zendesk_api_token": "t0ken",
        "zendesk_base_url": replay.base_url, "freshdesk_api_key": "k3y",
        "freshdesk_base_url": replay.base_url,
    }  # fmt: skip
    return Settings(**values)


def _addresses(database: Database) -> dict[str, str | None]:
    with database.engine.connect() as connection:
        rows = connection.execute(select(Ticket.source_id, Ticket.requester_email)).all()
    return {str(s): e for s, e in rows}


def _no_wait(_seconds: float) -> None:
    pass


def test_a_zendesk_sync_stores_each_ticket_with_its_side_loaded_requesters_address(
    database: Database, replay: Replay
) -> None:
    page = zendesk_export(
        [zendesk_ticket(301, requester_id=9001), zendesk_ticket(302, requester_id=9002)],
        "c1", True,
    )  # fmt: skip
    # 9001 is side-loaded with the page; 9002 is not among the users: no address
    page["users"] = [{"id": 9001, "email": "ana@example.test", "name": "Ana"}]
    replay.route(f"{EXPORT}?include=users&start_time=0", ok(page))
    for ticket in (301, 302):
        replay.route(AUDITS.format(ticket), ok(audits_page(created(ticket))))
    sync_helpdesk(database, _settings(database, replay), ZENDESK, sleep=_no_wait)
    assert replay.paths()[0] == f"{EXPORT}?include=users&start_time=0"
    assert _addresses(database) == {"301": "ana@example.test", "302": None}


def test_a_freshdesk_sync_stores_each_ticket_with_its_embedded_requesters_address(
    database: Database, replay: Replay
) -> None:
    ticket = freshdesk_ticket(
        401, "2026-03-02T09:30:00Z", requester={"id": 7001, "email": "bo@example.test"}
    )
    replay.route(freshdesk_listing("1970-01-01T00:00:00Z"), ok([ticket]))
    replay.route("/api/v2/tickets/401/conversations", ok([]))
    sync_helpdesk(database, _settings(database, replay), FRESHDESK, sleep=_no_wait)
    assert "include=requester,stats" in replay.paths()[0]
    assert _addresses(database) == {"401": "bo@example.test"}
