"""Tickets in the store, written and read in columns, a batch per transaction.

A batch is upserted by ``(source, source id)``: a ticket not seen before is
inserted; one whose content hash (its columns and its events) differs is
updated, its events replaced and its SLA state dropped until recomputed; an
identical one is not written at all. The batch's ids go into a temporary table
first, to find which tickets are stored and with which hash; only new and changed
tickets are then staged in full and upserted, and their events copied in. Every
statement works on the whole batch; nothing runs once per ticket.

>>> import datetime as dt, tempfile, pathlib
>>> from charter.store import Database
>>> from charter.tickets.schema import TICKET_SCHEMA, EVENT_SCHEMA, conform
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'charter.db'}")
>>> db.upgrade()
>>> tickets = conform(pl.DataFrame({"id": ["A-1"], "created_at": [dt.datetime(2026, 1, 5, 9)],
...     "channel": ["email"], "priority": ["low"], "status": ["open"]}), TICKET_SCHEMA)
>>> batch = prepare(tickets, pl.DataFrame(schema=EVENT_SCHEMA))
>>> now = dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
>>> with db.transaction() as session:
...     upsert(session, "csv", batch, now).counts
(1, 0, 0)
>>> with db.transaction() as session:
...     upsert(session, "csv", batch, now).counts
(0, 0, 1)
>>> with db.reading() as session:
...     load(session).data.tickets["channel"].to_list()
['email']
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
import psycopg
from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from charter.store import _ticket_bulk as bulk
from charter.store._ticket_hash import ROW, content_hashes, place_events
from charter.store._ticket_read import load_frames
from charter.store._ticket_sla import Written, replace_states, status_counts
from charter.store.models import Ticket, UtcDateTime
from charter.tickets.dataset import TicketData

__all__ = [
    "DATABASE_ERRORS",
    "Prepared", "Stored", "Upserted", "Written", "load", "prepare", "replace_sla_states",
    "stage_ids", "status_counts", "upsert",
]  # fmt: skip

# What a database or its driver raises when a statement or the connection fails.
DATABASE_ERRORS = (SQLAlchemyError, psycopg.Error, sqlite3.Error)
STAGE = "_charter_stage"
KEYS = "_charter_keys"
IDS = "_charter_ids"
WRITTEN: dict[str, pl.DataType] = {"store_id": pl.Int64(), "source_id": pl.String()}
STORED_HASHES: dict[str, pl.DataType] = {
    "source_id": pl.String(), "store_id": pl.Int64(), "stored_hash": pl.String()
}  # fmt: skip
COLUMNS = (
    "created_at", "updated_at", "channel", "priority", "segment", "team", "assignee",
    "category", "tags", "status", "first_response_at", "solved_at", "csat", "nps",
)  # fmt: skip
INSTANTS = ("created_at", "updated_at", "first_response_at", "solved_at")
STAGED = ("source_id", *COLUMNS, "content_hash")


@dataclass(frozen=True)
class Prepared:
    """Canonical tickets with their content hashes, and their events placed by row."""

    tickets: pl.DataFrame
    events: pl.DataFrame

    @property
    def height(self) -> int:
        return self.tickets.height

    def batches(self, size: int) -> Iterator[Prepared]:
        """Consecutive slices of ``size`` tickets, each with exactly its own events."""
        rows = self.events[ROW].to_numpy()
        for start in range(0, self.height, size):
            stop = min(start + size, self.height)
            lo, hi = np.searchsorted(rows, [start, stop])
            events = self.events.slice(int(lo), int(hi - lo))
            yield Prepared(
                self.tickets.slice(start, stop - start),
                events.with_columns(pl.col(ROW) - start),
            )


@dataclass(frozen=True)
class Upserted:
    """What one batch did, and the store ids of the tickets it wrote."""

    inserted: int
    updated: int
    unchanged: int
    events: int
    written: pl.Series

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.inserted, self.updated, self.unchanged


@dataclass(frozen=True)
class Stored:
    """Stored tickets in the canonical frames. ``id`` (and the events' ``ticket_id``)
    is the store's ticket id as text, unique across sources; ``keys`` maps it to
    ``store_id`` (integer), ``source`` and ``source_id``."""

    data: TicketData
    keys: pl.DataFrame


def prepare(tickets: pl.DataFrame, events: pl.DataFrame) -> Prepared:
    """Hash every ticket with its events, once for the whole import."""
    placed = place_events(tickets, events)
    hashed = tickets.with_columns(content_hashes(tickets, placed))
    return Prepared(hashed, placed)


def upsert(session: Session, source: str, batch: Prepared, now: dt.datetime) -> Upserted:
    """Write one batch in the session's transaction; see the module docstring."""
    name = bulk.dialect(session)
    found = _stored_hashes(session, source, batch.tickets)
    same = found.filter(pl.col("same"))
    changed = found.filter(~pl.col("same"))["store_id"]
    todo = batch.tickets.join(same, left_on="id", right_on="source_id", how="anti")
    if todo.height == 0:
        return Upserted(0, 0, batch.height, 0, pl.Series("store_id", [], pl.Int64))
    if changed.len():
        _forget(session, changed)
    _stage(session, todo, name)
    rows = session.execute(_upsert_statement(), {"source": source, "now": now}).all()
    written = pl.DataFrame(rows, schema=WRITTEN, orient="row")
    events = _events_of(batch, written, name)
    bulk.copy_in(session, "ticket_events", events)
    session.execute(text(f"DROP TABLE {STAGE}"))
    return Upserted(
        inserted=batch.height - found.height,
        updated=changed.len(),
        unchanged=same.height,
        events=events.height,
        written=written["store_id"],
    )


def _stored_hashes(session: Session, source: str, tickets: pl.DataFrame) -> pl.DataFrame:
    """``source_id, store_id, same`` for the batch's tickets already stored; ``same``
    when the stored content hash is the batch's."""
    bulk.temporary(session, KEYS, Ticket.__table__, ["source_id"])
    bulk.copy_in(session, KEYS, tickets.select(pl.col("id").alias("source_id")))
    query = (
        f"SELECT t.source_id, t.id, t.content_hash FROM {KEYS} k "
        "JOIN tickets t ON t.source = :source AND t.source_id = k.source_id"
    )
    found = session.execute(text(query), {"source": source}).all()
    session.execute(text(f"DROP TABLE {KEYS}"))
    stored = pl.DataFrame(found, schema=STORED_HASHES, orient="row")
    hashes = tickets.select(pl.col("id").alias("source_id"), "content_hash")
    return stored.join(hashes, on="source_id").select(
        "source_id", "store_id", (pl.col("stored_hash") == pl.col("content_hash")).alias("same")
    )


def _forget(session: Session, ticket_ids: pl.Series) -> None:
    """What changed tickets had goes: their events now, their SLA state until recomputed."""
    stage_ids(session, ticket_ids)
    for table in ("ticket_events", "sla_states"):
        session.execute(text(f"DELETE FROM {table} WHERE ticket_id IN (SELECT id FROM {IDS})"))
    session.execute(text(f"DROP TABLE {IDS}"))


def load(session: Session, ticket_ids: pl.Series | None = None) -> Stored:
    """Stored tickets and their events (all, or those with these store ids)."""
    if ticket_ids is None:
        return Stored(*load_frames(session, None))
    stage_ids(session, ticket_ids)
    return Stored(*load_frames(session, IDS))


def replace_sla_states(
    session: Session,
    states: pl.DataFrame,
    *,
    version_id: int,
    computed_at: dt.datetime,
    ticket_ids: pl.Series | None,
) -> Written:
    """Make the stored SLA state of ``ticket_ids`` (of every ticket when None) what
    ``states`` (from ``charter.sla.evaluate.evaluate``) says; rows that did not
    change are not rewritten."""
    if ticket_ids is None:
        return replace_states(session, states, version_id=version_id, computed_at=computed_at,
                              ids_table=None)  # fmt: skip
    stage_ids(session, ticket_ids)
    return replace_states(
        session, states, version_id=version_id, computed_at=computed_at, ids_table=IDS
    )


def stage_ids(session: Session, ticket_ids: pl.Series) -> Table:
    """A temporary table ``_charter_ids(id)`` holding ``ticket_ids``, to join with."""
    table = bulk.temporary(session, IDS, Ticket.__table__, ["id"])
    frame = pl.DataFrame({"id": ticket_ids.cast(pl.Int64).unique()})
    bulk.copy_in(session, IDS, frame)
    return table


def _stage(session: Session, tickets: pl.DataFrame, name: str) -> None:
    table = bulk.temporary(session, STAGE, Ticket.__table__, list(STAGED))
    frame = tickets.select(
        pl.col("id").alias("source_id"),
        *(bulk.to_text(pl.col(c), name) if c in INSTANTS else _plain(c) for c in COLUMNS),
        "content_hash",
    )
    bulk.copy_in(session, table.name, frame)


def _plain(column: str) -> pl.Expr:
    if column == "tags":  # JSON text: '{"tags":[...]}' without its wrapping
        encoded = pl.struct("tags").struct.json_encode()
        inner = encoded.str.strip_prefix('{"tags":').str.strip_suffix("}")
        return pl.when(pl.col("tags").is_not_null()).then(inner).alias("tags")
    return pl.col(column).cast(pl.String) if column in ("priority", "status") else pl.col(column)


def _events_of(batch: Prepared, written: pl.DataFrame, name: str) -> pl.DataFrame:
    """The batch's events of the tickets just written, keyed by their store ids."""
    rows = batch.tickets.select(pl.col("id").alias("source_id")).with_row_index(ROW)
    keyed = rows.join(written, on="source_id").select(ROW, "store_id")
    return batch.events.join(keyed, on=ROW, maintain_order="left").select(
        pl.col("store_id").alias("ticket_id"),
        bulk.to_text(pl.col("at"), name).alias("at"),
        pl.col("kind").cast(pl.String),
        pl.col("status").cast(pl.String),
    )


def _upsert_statement() -> TextClause:
    names = ", ".join(STAGED)
    picked = ", ".join(f"s.{c}" for c in STAGED)
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*COLUMNS, "content_hash", "imported_at"))
    sql = (
        f"INSERT INTO tickets (source, {names}, imported_at) "
        f"SELECT :source, {picked}, :now FROM {STAGE} s WHERE true "
        f"ON CONFLICT (source, source_id) DO UPDATE SET {updates} "
        "WHERE tickets.content_hash <> excluded.content_hash "
        "RETURNING id, source_id"
    )
    return text(sql).bindparams(bindparam("now", type_=UtcDateTime()))
