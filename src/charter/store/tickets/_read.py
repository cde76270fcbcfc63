"""Reading stored tickets and events back into the canonical Polars frames.

One ``SELECT`` of the tickets with their events, turned into columns a slice at
a time (see ``_bulk``); tags and events travel as JSON text and are decoded
in Polars. Events keep the order they were written in within each ticket, which
is the order the import gave them (SLA evaluation relies on it for equal instants).
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from sqlalchemy.orm import Session

from charter.store.tickets import _bulk as bulk
from charter.tickets.dataset import TicketData
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform

TEXT = (
    "channel", "priority", "segment", "team", "assignee", "category", "status",
    "requester_email", "csat_comment",
)  # fmt: skip
INSTANTS = ("created_at", "updated_at", "first_response_at", "solved_at")
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
    columns: Collection[str] | None = None,
    id_range: tuple[int, int] | None = None,
    store_ids: bool = False,
) -> tuple[TicketData, pl.DataFrame]:
    """Every stored ticket (or those whose id is in ``ids_table``, or within
    ``id_range``, both ends included) and their events, with the ``store_id, source,
    source_id`` keys alongside. Given ``columns``, only those ticket columns are read
    (with the id and the events; the others are null, and the keys hold only
    ``store_id``): SLA evaluation needs few of them, and each costs time to read.
    Tickets' ``id`` and events' ``ticket_id`` are the store id as text, or with
    ``store_ids`` as the integer itself (SLA evaluation sorts and joins those faster)."""
    name = bulk.dialect(session)
    read = _ticket_columns(name)
    if columns is not None:
        wanted = {"store_id", "events", *columns}
        read = {c: t for c, t in read.items() if c in wanted}
    query = _tickets_query(name, ids_table, read)
    if id_range is not None:
        query += f" WHERE t.id BETWEEN {int(id_range[0])} AND {int(id_range[1])}"
    tickets = bulk.fetch(session, query, read)
    keys = tickets.select(c for c in KEYS if c in read)
    ids = pl.Int64() if store_ids else pl.String()
    events = decode_events(tickets.select(pl.col("store_id").alias("ticket_id"), "events"), ids)
    return TicketData(_canonical_tickets(tickets.drop("events"), name, ids), events), keys


def decode_events(frame: pl.DataFrame, ids: pl.DataType | None = None) -> pl.DataFrame:
    """``ticket_id, events`` (the JSON text of ``tickets.events``) as canonical events,
    each ticket's in their stored order; ``ticket_id`` as text, or as ``ids``.

    Text in the exact form the import writes (``encode_events``: no spaces, keys in
    order, kinds and statuses plain words) is cut apart with string operations, about
    three times faster than a JSON parser; any other text (written by hand, or by an
    older version through PostgreSQL's ``jsonb``) goes through the JSON parser."""
    schema = {**EVENT_SCHEMA, "ticket_id": ids or pl.String()}
    stored = frame.filter(pl.col("events").is_not_null()).select(
        pl.col("ticket_id").cast(schema["ticket_id"]), "events"
    )
    plain = pl.col("events").str.contains(_PLAIN)
    if stored.select(plain.all()).item():
        flat = _split_events(stored)
    else:
        ordered = stored.with_row_index("_order")
        parts = [_split_events(ordered.filter(plain)), _parse_events(ordered.filter(~plain))]
        flat = pl.concat(parts).sort("_order", maintain_order=True).drop("_order")
    ready = flat.filter(pl.col("at_us").is_not_null()).select(
        "ticket_id",
        pl.from_epoch("at_us", time_unit="us").dt.replace_time_zone("UTC").alias("at"),
        "kind",
        "status",
    )
    return conform(ready, schema)


# The form ``encode_events`` writes, whole.
_WORD = r'"[a-z_]+"'
_PLAIN = (
    rf'^\{{"at_us":\[-?\d+(?:,-?\d+)*\],"kind":\[{_WORD}(?:,{_WORD})*\],'
    rf'"status":\[(?:null|{_WORD})(?:,(?:null|{_WORD}))*\]\}}$'
)


def _split_events(stored: pl.DataFrame) -> pl.DataFrame:
    """Events of text matching ``_PLAIN``, one row per event."""
    text = pl.col("events").str.strip_prefix('{"at_us":[').str.strip_suffix("]}")
    at_rest = text.str.splitn('],"kind":[', 2)
    kind_status = at_rest.struct.field("field_1").str.splitn('],"status":[', 2)
    lists = stored.select(
        pl.exclude("events"),
        at_rest.struct.field("field_0").str.split(",").alias("at_us"),
        kind_status.struct.field("field_0").str.split(",").alias("kind"),
        kind_status.struct.field("field_1").str.split(",").alias("status"),
    )
    return lists.explode("at_us", "kind", "status").with_columns(
        pl.col("at_us").cast(pl.Int64),
        pl.col("kind").str.strip_chars('"'),
        pl.when(pl.col("status") != "null").then(pl.col("status").str.strip_chars('"')),
    )


def _parse_events(stored: pl.DataFrame) -> pl.DataFrame:
    """Events of any JSON text of the stored shape, one row per event."""
    lists = stored.select(pl.exclude("events"), pl.col("events").str.json_decode(EVENT_LISTS))
    return lists.unnest("events").explode("at_us", "kind", "status")


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


def _canonical_tickets(frame: pl.DataFrame, name: str, ids: pl.DataType) -> pl.DataFrame:
    ready = frame.with_columns(
        pl.col("store_id").cast(ids).alias("id"),
        *(bulk.from_sql(c, name) for c in INSTANTS if c in frame.columns),
        *(
            [pl.col("tags").str.json_decode(pl.List(pl.String()))]
            if "tags" in frame.columns
            else []
        ),
    )
    return conform(ready, {**TICKET_SCHEMA, "id": ids})
