"""Writing SLA state in bulk, rewriting only the rows whose state changed.

``states`` is the frame ``charter.sla.evaluate.evaluate`` returns for stored
tickets (their ``ticket_id`` is the store id as text). A row is kept per ticket
and metric its rule sets a target for; the stored target is the business seconds
the ticket was given (a working-days target becomes the time to its due
instant), or the rule's seconds where the clock never ran.

The new rows are compared with the stored ones in Polars: rows that are the same
are not touched (their ``computed_at`` stays the time they were last written);
changed and vanished rows are deleted through a staging table of their keys, and
changed and new rows are copied in. A recompute with nothing changed but the
running clocks writes only those.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import text
from sqlalchemy.orm import Session

from charter.store import _ticket_bulk as bulk
from charter.store.models import SlaState

KEYS = ("ticket_id", "metric")
VALUES = ("version_id", "rule_id", "target_seconds", "due_at", "elapsed_seconds", "status")
STALE = "_charter_stale"


@dataclass(frozen=True)
class Written:
    """Rows of ``sla_states`` written (new or changed), deleted, and left as they were,
    and the tickets' states by status."""

    written: int
    deleted: int
    kept: int
    statuses: dict[str, int]


def replace_states(
    session: Session, states: pl.DataFrame, *, version_id: int, computed_at: dt.datetime,
    ids_table: str | None,
) -> Written:  # fmt: skip
    """Make the stored SLA state of the tickets in ``ids_table`` (every ticket when
    None) what ``states`` says."""
    name = bulk.dialect(session)
    new = _new_rows(states, version_id)
    old = bulk.fetch(session, _stored_query(ids_table), _stored_schema(name))
    old = old.with_columns(bulk.from_sql("due_at", name))
    paired = new.join(old, on=list(KEYS), how="full", coalesce=True, suffix="_old")
    same = pl.all_horizontal(pl.col(c).eq_missing(pl.col(f"{c}_old")) for c in VALUES)
    stale = paired.filter(pl.col("status_old").is_not_null() & ~same).select(KEYS)
    fresh = paired.filter(pl.col("status").is_not_null() & ~same).select(new.columns)
    _delete(session, stale, ids_table is None and stale.height == old.height)
    moment = bulk.to_text(pl.lit(computed_at).dt.cast_time_unit("us"), name)
    rows = fresh.with_columns(bulk.to_text(pl.col("due_at"), name), moment.alias("computed_at"))
    bulk.copy_in(session, "sla_states", rows)
    counts = {str(k): int(n) for k, n in new.group_by("status").len().iter_rows()}
    return Written(fresh.height, stale.height, new.height - fresh.height, counts)


def status_counts(session: Session) -> dict[str, int]:
    """How many stored (ticket, metric) states have each status."""
    rows = session.execute(text("SELECT status, count(*) FROM sla_states GROUP BY status"))
    return {status: int(count) for status, count in rows}


def _new_rows(states: pl.DataFrame, version_id: int) -> pl.DataFrame:
    targeted = pl.col("target_seconds").is_not_null() | pl.col("target_working_days").is_not_null()
    target = pl.coalesce("target_business_seconds", pl.col("target_seconds").cast(pl.Float64))
    return states.filter(targeted).select(
        pl.col("ticket_id").cast(pl.Int64),
        pl.col("metric"),
        pl.lit(version_id, pl.Int64).alias("version_id"),
        pl.col("rule_id"),
        target.alias("target_seconds"),
        pl.col("due_at"),
        pl.col("elapsed_seconds"),
        pl.col("status").cast(pl.String),
    )


def _stored_query(ids_table: str | None) -> str:
    columns = ", ".join(f"s.{c}" for c in (*KEYS, *VALUES))
    join = f" JOIN {ids_table} i ON i.id = s.ticket_id" if ids_table else ""
    return f"SELECT {columns} FROM sla_states s{join}"


def _stored_schema(name: str) -> dict[str, pl.DataType]:
    return {
        "ticket_id": pl.Int64(), "metric": pl.String(), "version_id": pl.Int64(),
        "rule_id": pl.String(), "target_seconds": pl.Float64(), "due_at": bulk.instant_type(name),
        "elapsed_seconds": pl.Float64(), "status": pl.String(),
    }  # fmt: skip


def _delete(session: Session, stale: pl.DataFrame, everything: bool) -> None:
    """Delete the rows keyed in ``stale``; all rows at once when that is all of them."""
    if everything:
        session.execute(text("DELETE FROM sla_states"))
        return
    if stale.height == 0:
        return
    bulk.temporary(session, STALE, SlaState.__table__, list(KEYS))
    bulk.copy_in(session, STALE, stale)
    session.execute(
        text(
            # A row-value IN: both databases hash or index the staged keys once.
            f"DELETE FROM sla_states WHERE (ticket_id, metric) IN "
            f"(SELECT ticket_id, metric FROM {STALE})"
        )
    )
    session.execute(text(f"DROP TABLE {STALE}"))
