"""Reading stored tickets and events back into the canonical Polars frames.

One ``SELECT`` for the tickets and one for their events, turned into columns a
slice at a time (see ``_ticket_bulk``); tags travel as JSON text.
Events keep the order they were written in within each ticket, which is the
order the import gave them (SLA evaluation relies on it for equal instants).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from charter.store import _ticket_bulk as bulk
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform

TEXT = ("channel", "priority", "segment", "team", "assignee", "category", "status")
INSTANTS = ("created_at", "updated_at", "first_response_at", "solved_at")
KEYS: dict[str, pl.DataType] = {
    "store_id": pl.Int64(),
    "source": pl.String(),
    "source_id": pl.String(),
}


def load_frames(session: Session, ids_table: str | None) -> tuple[TicketData, pl.DataFrame]:
    """Every stored ticket (or those whose id is in ``ids_table``) and their events,
    with the ``store_id, source, source_id`` keys alongside."""
    name = bulk.dialect(session)
    tickets = bulk.fetch(session, _tickets_query(name, ids_table), _ticket_columns(name))
    events = bulk.fetch(session, _events_query(ids_table), _event_columns(name))
    keys = tickets.select(list(KEYS))
    canonical = _canonical_tickets(tickets, name), _canonical_events(events, name)
    return TicketData(*canonical), keys


def _tickets_query(name: str, ids_table: str | None) -> str:
    tags = "t.tags::text" if name == "postgresql" else "t.tags"
    columns = [
        "t.id", "t.source", "t.source_id",
        *(f"t.{c}" for c in INSTANTS),
        *(f"t.{c}" for c in TEXT), tags, "t.csat", "t.nps",
    ]  # fmt: skip
    join = f" JOIN {ids_table} i ON i.id = t.id" if ids_table else ""
    return f"SELECT {', '.join(columns)} FROM tickets t{join}"


def _events_query(ids_table: str | None) -> str:
    join = f" JOIN {ids_table} i ON i.id = e.ticket_id" if ids_table else ""
    return f"SELECT e.ticket_id, e.id, e.at, e.kind, e.status FROM ticket_events e{join}"


def _ticket_columns(name: str) -> dict[str, pl.DataType]:
    return {
        **KEYS,
        **{c: bulk.instant_type(name) for c in INSTANTS},
        **{c: pl.String() for c in TEXT},
        "tags": pl.String(),
        "csat": pl.Int64(),
        "nps": pl.Int64(),
    }


def _event_columns(name: str) -> dict[str, pl.DataType]:
    return {"ticket_id": pl.Int64(), "event_id": pl.Int64(), "at": bulk.instant_type(name),
            "kind": pl.String(), "status": pl.String()}  # fmt: skip


def _canonical_tickets(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    ready = frame.with_columns(
        pl.col("store_id").cast(pl.String).alias("id"),
        *(bulk.from_sql(c, name) for c in INSTANTS),
        pl.col("tags").str.json_decode(pl.List(pl.String())),
    )
    return conform(ready, TICKET_SCHEMA)


def _canonical_events(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    ordered = frame.sort("ticket_id", "event_id")
    ready = ordered.with_columns(pl.col("ticket_id").cast(pl.String), bulk.from_sql("at", name))
    return conform(ready, EVENT_SCHEMA)
