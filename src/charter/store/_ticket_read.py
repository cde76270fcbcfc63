"""Reading stored tickets and events back into the canonical Polars frames.

One ``SELECT`` of the tickets with their events, turned into columns a slice at
a time (see ``_ticket_bulk``); tags and events travel as JSON text and are decoded
in Polars. Events keep the order they were written in within each ticket, which
is the order the import gave them (SLA evaluation relies on it for equal instants).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from charter.store import _ticket_bulk as bulk
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform

TEXT = ("channel", "priority", "segment", "team", "assignee", "category", "status")
INSTANTS = ("created_at", "updated_at", "first_response_at", "solved_at")
# What SLA evaluation reads of a ticket: its clocks' instants, its status, the
# fields rules match on (charter.sla.rules), and its events.
SLA_COLUMNS = (
    "created_at", "first_response_at", "solved_at", "status", "channel", "priority",
    "segment", "category", "tags", "events",
)  # fmt: skip
EVENT_LISTS = pl.Struct(
    {"at_us": pl.List(pl.Int64()), "kind": pl.List(pl.String()), "status": pl.List(pl.String())}
)
KEYS: dict[str, pl.DataType] = {
    "store_id": pl.Int64(),
    "source": pl.String(),
    "source_id": pl.String(),
}


def load_frames(
    session: Session,
    ids_table: str | None,
    for_sla: bool = False,
    id_range: tuple[int, int] | None = None,
) -> tuple[TicketData, pl.DataFrame]:
    """Every stored ticket (or those whose id is in ``ids_table``, or within
    ``id_range``, both ends included) and their events, with the ``store_id, source,
    source_id`` keys alongside; with ``for_sla`` only the columns in ``SLA_COLUMNS``
    are read, the others are null."""
    name = bulk.dialect(session)
    columns = _ticket_columns(name)
    if for_sla:
        columns = {c: t for c, t in columns.items() if c in KEYS or c in SLA_COLUMNS}
    query = _tickets_query(name, ids_table, columns)
    if id_range is not None:
        query += f" WHERE t.id BETWEEN {int(id_range[0])} AND {int(id_range[1])}"
    tickets = bulk.fetch(session, query, columns)
    keys = tickets.select(list(KEYS))
    events = decode_events(tickets.select(pl.col("store_id").alias("ticket_id"), "events"))
    return TicketData(_canonical_tickets(tickets.drop("events"), name), events), keys


def decode_events(frame: pl.DataFrame) -> pl.DataFrame:
    """``ticket_id, events`` (the JSON text of ``tickets.events``) as canonical events,
    each ticket's in their stored order."""
    lists = frame.filter(pl.col("events").is_not_null()).select(
        pl.col("ticket_id").cast(pl.String),
        pl.col("events").str.json_decode(EVENT_LISTS),
    )
    flat = lists.unnest("events").explode("at_us", "kind", "status")
    ready = flat.filter(pl.col("at_us").is_not_null()).select(
        "ticket_id",
        pl.from_epoch("at_us", time_unit="us").dt.replace_time_zone("UTC").alias("at"),
        "kind",
        "status",
    )
    return conform(ready, EVENT_SCHEMA)


def _tickets_query(name: str, ids_table: str | None, columns: dict[str, pl.DataType]) -> str:
    as_text = "::text" if name == "postgresql" else ""
    stored = {"store_id": "id"}
    picked = [f"t.{stored.get(c, c)}{as_text if c in ('tags', 'events') else ''}" for c in columns]
    join = f" JOIN {ids_table} i ON i.id = t.id" if ids_table else ""
    return f"SELECT {', '.join(picked)} FROM tickets t{join}"


def _ticket_columns(name: str) -> dict[str, pl.DataType]:
    return {
        **KEYS,
        **{c: bulk.instant_type(name) for c in INSTANTS},
        **{c: pl.String() for c in TEXT},
        "tags": pl.String(),
        "csat": pl.Int64(),
        "nps": pl.Int64(),
        "events": pl.String(),
    }


def _canonical_tickets(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    ready = frame.with_columns(
        pl.col("store_id").cast(pl.String).alias("id"),
        *(bulk.from_sql(c, name) for c in INSTANTS if c in frame.columns),
        pl.col("tags").str.json_decode(pl.List(pl.String())),
    )
    return conform(ready, TICKET_SCHEMA)
