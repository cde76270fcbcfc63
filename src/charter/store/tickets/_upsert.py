"""Upserting a batch of tickets by ``(source, source id)``, every statement on the whole
batch.

A ticket not seen before is inserted; one whose content hash (its columns and its
events) differs is updated and its SLA state dropped until recomputed; an identical
one is not written at all. The batch's ids go into a temporary table first, to find
which tickets are stored and with which hash; new tickets are then copied straight
into ``tickets``, changed ones staged and updated from the staging table. Nothing
runs once per ticket.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
from sqlalchemy import text
from sqlalchemy.orm import Session

from charter.store.models import Ticket
from charter.store.tickets import _bulk as bulk
from charter.store.tickets._hash import PLACE, ROW, content_hashes, place_events
from charter.store.tickets._ids import IDS, drop_ids, stage_ids

STAGE = "_charter_stage"
KEYS = "_charter_keys"
STORED_HASHES: dict[str, pl.DataType] = {
    "source_id": pl.String(), "store_id": pl.Int64(), "stored_hash": pl.String()
}  # fmt: skip
COLUMNS = (
    "created_at", "updated_at", "channel", "priority", "segment", "team", "assignee",
    "category", "tags", "status", "first_response_at", "solved_at", "csat", "nps",
    "requester_email", "csat_comment",
)  # fmt: skip
INSTANTS = ("created_at", "updated_at", "first_response_at", "solved_at")
KEYED = ("source", "source_id")
RANGE_FACTOR = 2  # read a batch's id range whole when it holds at most this many per ticket


@dataclass(frozen=True)
class Prepared:
    """Canonical tickets and their events placed by row (``_row``, ``_place``); each
    batch hashes its own tickets when it is written, so hashing overlaps writing."""

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
    """What one batch did."""

    inserted: int
    updated: int
    unchanged: int
    events: int

    @property
    def counts(self) -> tuple[int, int, int]:
        return self.inserted, self.updated, self.unchanged


def prepare(tickets: pl.DataFrame, events: pl.DataFrame) -> Prepared:
    """Place every event by its ticket's row, once for the whole import."""
    return Prepared(tickets, place_events(tickets, events))


def upsert(session: Session, source: str, batch: Prepared, now: dt.datetime) -> Upserted:
    """Write one batch in the session's transaction; see the module docstring."""
    name = bulk.dialect(session)
    tickets = batch.tickets.with_columns(content_hashes(batch.tickets, batch.events))
    found = _stored_hashes(session, source, tickets)
    same = found.filter(pl.col("same"))
    changed = found.filter(~pl.col("same"))
    rows = tickets.with_row_index(ROW)
    todo = rows.join(same, left_on="id", right_on="source_id", how="anti")
    if todo.height == 0:
        return Upserted(0, 0, batch.height, 0)
    ready = _rows(todo, encode_events(batch.events, todo[ROW]), source, now, name)
    fresh = ready.join(found, on="source_id", how="anti")
    bulk.copy_in(session, "tickets", fresh)
    if changed.height:
        _forget(session, changed["store_id"])
        _update(session, ready.join(changed, on="source_id", how="semi"))
    events = batch.events.filter(pl.col(ROW).is_in(todo[ROW].implode())).height
    return Upserted(
        inserted=fresh.height, updated=changed.height, unchanged=same.height, events=events
    )


def _stored_hashes(session: Session, source: str, tickets: pl.DataFrame) -> pl.DataFrame:
    """``source_id, store_id, same`` for the batch's tickets already stored; ``same``
    when the stored content hash is the batch's.

    Exports usually list tickets in id order, so a batch's ids tend to be a run of the
    ``(source, source_id)`` index: when the stored tickets between the batch's least
    and greatest id (in the database's own ordering) are few, they are read in one
    range scan; otherwise each id is looked up through the index.
    """
    bulk.temporary(session, KEYS, Ticket.__table__, ["source_id"])
    bulk.copy_in(session, KEYS, tickets.select(pl.col("id").alias("source_id")))
    span = (
        "t.source = :source AND t.source_id BETWEEN "
        f"(SELECT min(source_id) FROM {KEYS}) AND (SELECT max(source_id) FROM {KEYS})"
    )
    cap = RANGE_FACTOR * tickets.height + 1
    inside = session.execute(
        text(f"SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE {span} LIMIT :cap) x"),
        {"source": source, "cap": cap},
    ).scalar_one()
    if inside < cap:
        query = f"SELECT t.source_id, t.id, t.content_hash FROM tickets t WHERE {span}"
    else:
        query = (
            f"SELECT t.source_id, t.id, t.content_hash FROM {KEYS} k "
            "JOIN tickets t ON t.source = :source AND t.source_id = k.source_id"
        )
    found = session.execute(text(query), {"source": source}).all() if inside else []
    session.execute(text(f"DROP TABLE {KEYS}"))
    stored = pl.DataFrame(found, schema=STORED_HASHES, orient="row")
    hashes = tickets.select(pl.col("id").alias("source_id"), "content_hash")
    return stored.join(hashes, on="source_id").select(
        "source_id", "store_id", (pl.col("stored_hash") == pl.col("content_hash")).alias("same")
    )


def _forget(session: Session, ticket_ids: pl.Series) -> None:
    """A changed ticket's SLA state goes until it is recomputed."""
    stage_ids(session, ticket_ids)
    session.execute(text(f"DELETE FROM sla_states WHERE ticket_id IN (SELECT id FROM {IDS})"))
    drop_ids(session)


def _update(session: Session, rows: pl.DataFrame) -> None:
    """Changed tickets take their new columns, events and hash from a staging table."""
    table = bulk.temporary(session, STAGE, Ticket.__table__, rows.columns)
    bulk.copy_in(session, table.name, rows)
    values = ", ".join(f"{c} = {STAGE}.{c}" for c in rows.columns if c not in KEYED)
    session.execute(
        text(
            f"UPDATE tickets SET {values} FROM {STAGE} "
            f"WHERE tickets.source = {STAGE}.source AND tickets.source_id = {STAGE}.source_id"
        )
    )
    session.execute(text(f"DROP TABLE {STAGE}"))


def _rows(
    tickets: pl.DataFrame, events: pl.DataFrame, source: str, now: dt.datetime, name: str
) -> pl.DataFrame:
    """``tickets`` as the ``tickets`` table's columns, in the text each database reads."""
    moment = bulk.to_text(pl.lit(now).dt.cast_time_unit("us"), name)
    return tickets.join(events, on=ROW, how="left").select(
        pl.lit(source).alias("source"),
        pl.col("id").alias("source_id"),
        *(bulk.to_text(pl.col(c), name) if c in INSTANTS else _plain(c) for c in COLUMNS),
        "events",
        "content_hash",
        moment.alias("imported_at"),
    )


def encode_events(events: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """``_row, events``: the events of the tickets at ``rows`` as the JSON text of
    ``tickets.events``, one value per ticket that has events, in their given order."""
    chosen = events.filter(pl.col(ROW).is_in(rows.implode())).sort(ROW, PLACE)
    lists = chosen.group_by(ROW, maintain_order=True).agg(
        pl.col("at").dt.epoch("us").alias("at_us"),
        pl.col("kind").cast(pl.String),
        pl.col("status").cast(pl.String),
    )
    encoded = pl.struct("at_us", "kind", "status").struct.json_encode()
    return lists.select(ROW, encoded.alias("events"))


def _plain(column: str) -> pl.Expr:
    if column == "tags":  # JSON text: '{"tags":[...]}' without its wrapping
        encoded = pl.struct("tags").struct.json_encode()
        inner = encoded.str.strip_prefix('{"tags":').str.strip_suffix("}")
        return pl.when(pl.col("tags").is_not_null()).then(inner).alias("tags")
    return pl.col(column).cast(pl.String) if column in ("priority", "status") else pl.col(column)
