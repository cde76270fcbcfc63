"""Tickets in the store: written and read in columns, a batch per transaction; their
SLA state; looked up a page or one at a time; and the backtests run on them.

A batch is upserted by ``(source, source id)`` (``_upsert``): a ticket not seen
before is inserted; one whose content hash (its columns and its events) differs is
updated and its SLA state dropped until recomputed; an identical one is not written
at all. A ticket's events travel in its own row (``tickets.events``, see
``charter.store.models.Ticket``), so a ticket is one row to write and to read.

Two imports of the same source at once may both find a ticket new; the second
to commit then fails on the ``(source, source_id)`` unique key (``WRITE_CONFLICT``),
and the batch can simply be run again (``charter.services.tickets`` does so once).

SLA state is written in bulk (``state_rows``, ``replace_sla_states``, ``stale_ids``);
a page of tickets with their state for people (``ticket_page``, ``count_tickets``,
``sla_state_version``; sorted by ``SORTS``, the values the filters offer in
``choices``), each person's saved ticket views (``views_of``, ``save_view``,
``delete_view``) and the backtest runs (``add_backtest_run``) are plain queries.

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

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl
import psycopg
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from charter.store.models import Ticket
from charter.store.tickets._backtests import add_backtest_run, backtest_run, backtest_runs
from charter.store.tickets._escalations import (
    DueLevel,
    FiringTicket,
    Selection,
    add_audit,
    audit_of,
    claim_due,
    fire_batch,
    fired_keys,
    firing_tickets,
    firings_of,
    plans_of,
    replace_plans,
    selected,
    stored_plans,
)
from charter.store.tickets._hash import content_hashes, place_events
from charter.store.tickets._ids import IDS, drop_ids, stage_ids
from charter.store.tickets._listing import (
    CHOICE_COLUMNS,
    Choice,
    JudgingVersion,
    ListedTicket,
    StateVersion,
    TicketFilter,
    choices,
    count_tickets,
    listed_by_ids,
    ordered_ids,
    sla_state_of,
    sla_state_version,
    ticket_by_id,
    ticket_page,
)
from charter.store.tickets._order import SORTS, WORST_FIRST
from charter.store.tickets._pilots import (
    PilotSpan,
    has_ticket_column,
    pilot_frame,
    pilot_tickets,
)
from charter.store.tickets._read import load_frames
from charter.store.tickets._saved_views import delete_view, save_view, view_count, views_of
from charter.store.tickets._sla import (
    Timeline,
    Written,
    claim_part,
    id_ranges,
    replace_states,
    stale_ids,
    stale_in_range,
    state_rows,
    status_counts,
)
from charter.store.tickets._upsert import Prepared, Upserted, encode_events, prepare, upsert
from charter.tickets.dataset import TicketData

__all__ = [
    "DATABASE_ERRORS", "WRITE_CONFLICT", "JudgingVersion", "ListedTicket", "Prepared",
    "StateVersion", "Stored", "TicketFilter", "Timeline", "Upserted", "Written", "add_backtest_run",
    "backtest_run", "backtest_runs", "content_hashes", "count_tickets", "encode_events",
    "id_ranges", "load", "place_events", "prepare", "replace_sla_states", "sla_state_of",
    "sla_state_version", "stage_ids", "stale_ids", "stale_in_range", "state_rows",
    "status_counts", "stored_length", "ticket_by_id", "ticket_page", "upsert",
    "DueLevel", "FiringTicket", "Selection", "claim_part", "add_audit",
    "audit_of",
    "claim_due", "fire_batch", "fired_keys", "firing_tickets", "plans_of",
    "replace_plans", "selected", "stored_plans", "firings_of",
    "PilotSpan", "has_ticket_column", "pilot_frame", "pilot_tickets",
    "CHOICE_COLUMNS", "Choice", "SORTS", "WORST_FIRST", "choices", "listed_by_ids", "ordered_ids",
    "delete_view", "save_view", "view_count", "views_of",
]  # fmt: skip

# What a database or its driver raises when a statement or the connection fails.
DATABASE_ERRORS = (SQLAlchemyError, psycopg.Error, sqlite3.Error)
# What a write refused by a constraint raises: for a batch, another import of its
# source stored one of its tickets meanwhile (see above).
WRITE_CONFLICT = IntegrityError


@dataclass(frozen=True)
class Stored:
    """Stored tickets in the canonical frames. ``id`` (and the events' ``ticket_id``)
    is the store's ticket id as text, unique across sources; ``keys`` maps it to
    ``store_id`` (integer), ``source`` and ``source_id``."""

    data: TicketData
    keys: pl.DataFrame


def stored_length(column: str) -> int:
    """The most characters the ``tickets`` text column ``column`` keeps."""
    length = getattr(Ticket.__table__.c[column].type, "length", None)
    assert isinstance(length, int)
    return length


def load(
    session: Session,
    ticket_ids: pl.Series | None = None,
    *,
    columns: Collection[str] | None = None,
    id_range: tuple[int, int] | None = None,
    store_ids: bool = False,
) -> Stored:
    """Stored tickets and their events: all, those with these store ids, or those
    whose id is within ``id_range`` (both ends included; read as one range of the
    primary key, much cheaper than looking up as many ids). Given ``columns``, only
    those ticket columns are read (the others null; ``keys`` then hold only
    ``store_id``). With ``store_ids``, ticket ids are the store's integers, not text."""
    if ticket_ids is None:
        return Stored(*load_frames(session, None, columns, id_range, store_ids))
    stage_ids(session, ticket_ids)
    found = Stored(*load_frames(session, IDS, columns, store_ids=store_ids))
    drop_ids(session)
    return found


def replace_sla_states(
    session: Session, rows: pl.DataFrame, id_range: tuple[int, int] | None = None
) -> Written:
    """Replace the stored SLA state of the tickets in ``rows`` (from ``state_rows``),
    or, given ``id_range``, of every ticket in it (``rows`` then holds them all)."""
    if id_range is not None:
        return replace_states(session, rows, f"BETWEEN {int(id_range[0])} AND {int(id_range[1])}")
    stage_ids(session, rows["ticket_id"])
    written = replace_states(session, rows, f"IN (SELECT id FROM {IDS})")
    drop_ids(session)
    return written
