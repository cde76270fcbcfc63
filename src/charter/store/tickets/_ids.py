"""Ticket ids staged in a temporary table, ``_charter_ids(id)``, for a statement to join
with rather than name thousands of ids in its text. The table lasts until
``drop_ids`` (or the transaction's end on PostgreSQL)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from charter.store.models import Ticket
from charter.store.tickets import _bulk as bulk

IDS = "_charter_ids"


def stage_ids(session: Session, ticket_ids: pl.Series) -> Table:
    """A temporary table ``_charter_ids(id)`` holding ``ticket_ids``, to join with."""
    table = bulk.temporary(session, IDS, Ticket.__table__, ["id"])
    frame = pl.DataFrame({"id": ticket_ids.cast(pl.Int64).unique()})
    bulk.copy_in(session, IDS, frame)
    return table


def drop_ids(session: Session) -> None:
    """Drop the staged ids."""
    session.execute(text(f"DROP TABLE {IDS}"))
