"""Zendesk sync reading ticket events from the incremental ticket events export: the
same stored tickets and events as the audits endpoint gives, in a few requests, with
the audits endpoint still used where the stream cannot serve."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select

from charter.config import Settings
from charter.services.sync import forget_sync, sync_zendesk
from charter.store import Database
from charter.store.models import Ticket
from charter.tickets.zendesk import import_zendesk
from support.replay import (
    AGENT,
    AUDITS,
    EXPORT,
    REQUESTER,
    Answer,
    Replay,
    audits_page,
    comment,
    ok,
    replaying,
    status_change,
    zendesk_audit,
    zendesk_export,
    zendesk_ticket,
)

EVENTS = "/api/v2/incremental/ticket_events.json"


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


def epoch(hour: int, minute: int = 0) -> int:
    return int(dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC).timestamp())


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC)


def iso(hour: int, minute: int = 0) -> str:
    return f"2026-03-02T{hour:02d}:{minute:02d}:00Z"


def exported(audit: dict[str, Any]) -> dict[str, Any]:
    """An audit as the ticket events export lists it with ``include=comment_events``:
    a Comment child with its author and visibility, a Create or Change child naming the
    field it set (``"status": "open"``), and a priority change Charter does not read."""
    children: list[dict[str, Any]] = []
    for number, event in enumerate(audit["events"]):
        child: dict[str, Any] = {"id": audit["id"] * 10 + number, "via": "Web form",
                                 "via_reference_id": None}  # fmt: skip
        if event["type"] == "Comment":
            child |= {"type": "Comment", "event_type": "Comment", "author_id": event["author_id"],
                      "body": "...", "public": event["public"], "audit_id": audit["id"],
                      "created_at": audit["created_at"]}  # fmt: skip
        else:
            child |= {"event_type": event["type"], event["field_name"]: event["value"]}
            if event["type"] == "Change":
                child["previous_value"] = event.get("previous_value")
        children.append(child)
    children.append({"id": audit["id"] * 10 + 9, "via": "Web form", "event_type": "Change",
                     "priority": "high", "previous_value": "normal"})  # fmt: skip
    moment = dt.datetime.fromisoformat(audit["created_at"].replace("Z", "+00:00"))
    return {"id": audit["id"], "ticket_id": audit["ticket_id"],
            "timestamp": int(moment.timestamp()), "created_at": audit["created_at"],
            "updater_id": audit["author_id"], "via": "Web form", "event_type": "Audit",
            "child_events": children}  # fmt: skip


def events_page(audits: list[dict[str, Any]], end_time: int, end: bool) -> dict[str, Any]:
    return {"ticket_events": [exported(a) for a in audits], "count": len(audits),
            "end_time": end_time, "end_of_stream": end,
            "next_page": f"https://acme.zendesk.com{EVENTS}?start_time={end_time}"}  # fmt: skip


def script_three_tickets(replay: Replay, stream: list[Answer] | None = None) -> None:
    """Tickets 201, 202, 203 on one export page, created at 09:00, 09:05 and 09:10 by the
    requester. 201: the agent's public reply at 09:30 opens it, solved at 11:00. 202: a
    private note at 09:20, the public reply at 10:00 sets it pending. 203: nothing more.
    The audits endpoint has each history; the events export has the same updates on two
    pages, the second repeating the 09:30 update that ended the first."""

    def created(ticket: int, minute: int) -> dict[str, Any]:
        create = {"type": "Create", "field_name": "status", "value": "new"}
        return zendesk_audit(ticket, iso(9, minute), REQUESTER, create, comment(REQUESTER))

    history = {
        201: [created(201, 0),
              zendesk_audit(201, iso(9, 30), AGENT, comment(AGENT), status_change("open", "new")),
              zendesk_audit(201, iso(11), AGENT, status_change("solved", "open"))],
        202: [created(202, 5),
              zendesk_audit(202, iso(9, 20), AGENT, comment(AGENT, public=False)),
              zendesk_audit(202, iso(10), AGENT, comment(AGENT), status_change("pending", "new"))],
        203: [created(203, 10)],
    }  # fmt: skip
    tickets = [
        zendesk_ticket(201, "solved", updated_at=iso(11)),
        zendesk_ticket(202, "pending", created_at=iso(9, 5), updated_at=iso(10)),
        zendesk_ticket(203, "new", created_at=iso(9, 10), updated_at=iso(9, 10)),
    ]
    replay.route(f"{EXPORT}?include=users&start_time=0", ok(zendesk_export(tickets, "c2", True)))
    for ticket, audits in history.items():
        replay.route(AUDITS.format(ticket), ok(audits_page(*audits)))
    timeline = sorted((a for audits in history.values() for a in audits),
                      key=lambda a: a["created_at"])  # fmt: skip
    upto_0930 = [a for a in timeline if a["created_at"] <= iso(9, 30)]
    from_0930 = [a for a in timeline if a["created_at"] >= iso(9, 30)]
    replay.route(f"{EVENTS}?include=comment_events&start_time=0",
                 *(stream or [ok(events_page(upto_0930, epoch(9, 30), False))]))  # fmt: skip
    replay.route(f"{EVENTS}?include=comment_events&start_time={epoch(9, 30)}",
                 ok(events_page(from_0930, epoch(11), True)))  # fmt: skip


def stored(database: Database) -> dict[str, tuple[Any, ...]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(Ticket.source_id, Ticket.status, Ticket.first_response_at, Ticket.solved_at,
                   Ticket.events, Ticket.content_hash)
        ).all()  # fmt: skip
    return {row[0]: tuple(row[1:]) for row in rows}


def test_events_export_and_audits_store_the_same_tickets_and_events_for_three_tickets(
    database: Database, replay: Replay
) -> None:
    script_three_tickets(replay)
    by_audits = sync_zendesk(database, settings_for(database, replay))
    before = stored(database)
    # 201: first response at the public reply 09:30, solved at 11:00. 202: the 09:20
    # note is private, so the 10:00 reply is the first response. 203: none yet.
    assert {k: v[:3] for k, v in before.items()} == {
        "201": ("solved", at(9, 30), at(11)),
        "202": ("pending", at(10), None),
        "203": ("new", None, None),
    }
    # 201 has 5 events: the requester's message and status new at 09:00, the reply and
    # open at 09:30, solved at 11:00; 202 has 4 (new and message, reply and pending).
    assert (by_audits.inserted, by_audits.events) == (3, 5 + 4 + 2)
    replay.requests.clear()
    forget_sync(database, "zendesk")
    by_events = sync_zendesk(database, settings_for(database, replay, zendesk_events_export=True))
    # The same tickets read again from the events export hash the same: nothing written.
    assert (by_events.inserted, by_events.updated, by_events.unchanged) == (0, 0, 3)
    assert stored(database) == before
    # One export page and two events pages (the 09:30 update on both, kept once); no
    # audits request.
    assert replay.paths() == [
        f"{EXPORT}?include=users&start_time=0",
        f"{EVENTS}?include=comment_events&start_time=0",
        f"{EVENTS}?include=comment_events&start_time={epoch(9, 30)}",
    ]


def test_events_export_first_then_audits_store_the_same_events_for_three_tickets(
    database: Database, replay: Replay
) -> None:
    script_three_tickets(replay)
    first = sync_zendesk(database, settings_for(database, replay, zendesk_events_export=True))
    # 5 + 4 + 2 events, as the audits endpoint gives them (previous test).
    assert (first.inserted, first.events) == (3, 11)
    forget_sync(database, "zendesk")
    again = sync_zendesk(database, settings_for(database, replay))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


def test_a_refused_events_export_falls_back_to_each_tickets_audits(
    database: Database, replay: Replay
) -> None:
    # An agent who is not an admin: Zendesk answers the events export with 403.
    script_three_tickets(replay, stream=[Answer(403, {"error": "Forbidden"})])
    summary = sync_zendesk(database, settings_for(database, replay, zendesk_events_export=True))
    assert (summary.inserted, summary.events, summary.rejected) == (3, 11, 0)
    # The export page, the one refused events request, then an audits request per ticket.
    paths = replay.paths()
    assert paths[:2] == [
        f"{EXPORT}?include=users&start_time=0",
        f"{EVENTS}?include=comment_events&start_time=0",
    ]
    assert sorted(paths[2:]) == [AUDITS.format(t) for t in (201, 202, 203)]


def test_a_ticket_created_before_the_streams_start_takes_its_audits_from_the_audits_endpoint(
    database: Database, replay: Replay
) -> None:
    script_three_tickets(replay)
    start = epoch(9, 3)  # after 201 was created (09:00), before 202 (09:05) and 203 (09:10)
    replay.routes[f"{EXPORT}?include=users&start_time={start}"] = replay.routes[
        f"{EXPORT}?include=users&start_time=0"
    ]
    timeline = [a for t in (201, 202, 203)
                for a in replay.routes[AUDITS.format(t)][0].body["audits"]]  # fmt: skip
    later = sorted((a for a in timeline if a["created_at"] >= iso(9, 3)),
                   key=lambda a: a["created_at"])  # fmt: skip
    replay.route(f"{EVENTS}?include=comment_events&start_time={start}",
                 ok(events_page(later, epoch(11), True)))  # fmt: skip
    settings = settings_for(database, replay, zendesk_events_export=True)
    summary = sync_zendesk(database, settings, start_time=start)
    # 201 from its audits (its 09:00 update is before the stream), 202 and 203 from the
    # stream: 11 events in all, and the verdict inputs of the audits-only sync.
    assert (summary.inserted, summary.events) == (3, 11)
    assert {k: v[:3] for k, v in stored(database).items()} == {
        "201": ("solved", at(9, 30), at(11)),
        "202": ("pending", at(10), None),
        "203": ("new", None, None),
    }
    assert AUDITS.format(201) in replay.paths()
    assert AUDITS.format(202) not in replay.paths() and AUDITS.format(203) not in replay.paths()


def test_events_of_one_instant_keep_their_audits_order_each_time_three_tickets_are_read(
    tmp_path: Path,
) -> None:
    # Each ticket's creation audit sets status new, then holds the requester's message,
    # both at 09:00. Stored events must keep that order (status, then message) every
    # time the page is read, or a ticket read twice would hash differently and be
    # written again. (Read unordered, about one read in a hundred swapped them.)
    create = {"type": "Create", "field_name": "status", "value": "new"}
    tickets = [zendesk_ticket(n) for n in (1, 2, 3)]
    audits = [zendesk_audit(n, iso(9), REQUESTER, create, comment(REQUESTER)) for n in (1, 2, 3)]
    (tmp_path / "tickets.json").write_text(json.dumps({"tickets": tickets}), encoding="utf-8")
    (tmp_path / "audits.json").write_text(json.dumps({"audits": audits}), encoding="utf-8")
    orders = set()
    for _ in range(200):
        result = import_zendesk([tmp_path / "tickets.json", tmp_path / "audits.json"])
        kinds = result.events.group_by("ticket_id", maintain_order=True).agg(pl.col("kind"))
        orders |= {tuple(kind) for kind in kinds["kind"].to_list()}
    assert orders == {("status", "customer_message")}
