"""Helpers for the tests of tickets in the store: data, a published policy, raw reads.

The reads here are plain SQL or the models, written for the tests and independent of
the store's own bulk reader, so a test can check what the importer wrote without
trusting it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select, text

from charter.store import Database
from charter.store.models import PolicyRecord, PolicyVersion, Ticket
from charter.tickets.dataset import TicketData
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize
from support import EXAMPLE_TEXT


def synthetic(tickets: int = 120, seed: int = 3) -> TicketData:
    return synthesize(tickets, 21, seed)


def result_of(data: TicketData) -> ImportResult:
    return ImportResult(data.tickets, data.events, empty_rejects())


# When ``publish``'s version took effect: before every ticket the tests store.
IN_FORCE_SINCE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def publish(database: Database, policy_text: str = EXAMPLE_TEXT, slug: str = "main") -> int:
    """A policy with one published version holding ``policy_text``, in force since
    ``IN_FORCE_SINCE``; the version's id."""
    with database.transaction() as session:
        record = PolicyRecord(slug=slug, name=slug.title())
        session.add(record)
        session.flush()
        version = PolicyVersion(
            policy_id=record.id,
            number=1,
            status="published",
            text=policy_text,
            content_hash="-",
            published_at=IN_FORCE_SINCE,
            effective_at=IN_FORCE_SINCE,
        )
        session.add(version)
        session.flush()
        return version.id


def rows(database: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with database.reading() as session:
        return [tuple(row) for row in session.execute(text(sql), params)]


def scalar(database: Database, sql: str, **params: Any) -> Any:
    with database.reading() as session:
        return session.execute(text(sql), params).scalar_one()


def event_counts(database: Database, source: str) -> dict[str, int]:
    """Stored events per ticket, by the ticket's id in its source."""
    query = select(Ticket.source_id, Ticket.events).where(Ticket.source == source)
    with database.reading() as session:
        found = session.execute(query).all()
    return {source_id: len(events["kind"]) if events else 0 for source_id, events in found}


def expected_event_counts(data: TicketData) -> dict[str, int]:
    counts = data.events.group_by("ticket_id").len()
    every = data.tickets.select(pl.col("id").alias("ticket_id")).join(
        counts, on="ticket_id", how="left"
    )
    return {tid: int(n or 0) for tid, n in every.iter_rows()}
