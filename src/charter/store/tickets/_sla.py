"""Writing SLA state in bulk: one row per ticket, four columns per metric.

``states`` is the frame ``charter.sla.evaluate.evaluate`` returns for stored
tickets (their ``ticket_id`` is the store id as text). A metric's columns are
filled where the ticket's rule sets a target for it; the stored target is the
business seconds the ticket was given (a working-days target becomes the time to
its due instant), or the rule's seconds where the clock never ran.

The rows of the tickets evaluated are replaced whole: deleted (by staged ids or
an id range), then copied in. Which tickets need evaluating is the store's to say
(``stale_ids``): those without a state, with a state under another version than the
one that governs them, or whose state was computed before it settled.

Which version governs a ticket is given as a ``Timeline``: the versions' ids with
their effective instants, in order; a ticket is governed by the last version
effective at or before its creation, the first one when it was created before them
all. Publishing a version therefore makes stale only the tickets created from its
effective instant on. ``Pilots`` come first: a ticket of a pilot's group created in its
period is governed by the pilot version (``_pilots``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import text
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.sla.verdicts import target_given
from charter.store.models import METRIC_FIELDS, SlaState
from charter.store.tickets import _bulk as bulk
from charter.store.tickets._pilots import Pilots, instant_literal, pilot_case

KEY = "ticket_id"
PART_LOCKS = 0x43480001  # the advisory-lock space of SLA recompute parts
Timeline = Sequence[tuple[int, dt.datetime]]
"""Version ids and their effective instants, ascending (see the module's docstring)."""


@dataclass(frozen=True)
class Written:
    """Tickets whose state rows were written, the (ticket, metric) states in them, and
    those states by status."""

    tickets: int
    states: int
    statuses: dict[str, int] = field(default_factory=dict)


def state_rows(
    ticket_ids: pl.Series,
    states: pl.DataFrame,
    settles: pl.DataFrame,
    *,
    version_id: int,
    computed_at: dt.datetime,
) -> pl.DataFrame:
    """One ``sla_states`` row per ticket in ``ticket_ids`` (store ids), from ``states``
    (``evaluate``'s frame) and ``settles`` (``ticket_id, settles_at``, ticket ids as
    text, from ``charter.sla.evaluate.settle_times``)."""
    targeted = pl.col("target_seconds").is_not_null() | pl.col("target_working_days").is_not_null()
    target = target_given()
    rows = pl.DataFrame({KEY: ticket_ids.cast(pl.Int64)}).join(
        states.group_by("ticket_id")
        .agg(pl.col("rule_id").first())
        .join(settles, on="ticket_id", how="left")
        .with_columns(pl.col("ticket_id").cast(pl.Int64)),
        on=KEY,
        how="left",
    )
    chosen = states.filter(targeted).with_columns(pl.col("ticket_id").cast(pl.Int64))
    for metric in METRICS:
        mine = chosen.filter(pl.col("metric") == metric).select(
            KEY,
            pl.col("status").cast(pl.String).alias(f"{metric}_status"),
            pl.col("due_at").alias(f"{metric}_due_at"),
            pl.col("elapsed_seconds").cast(pl.Float64).alias(f"{metric}_elapsed_seconds"),
            target.alias(f"{metric}_target_seconds"),
        )
        rows = rows.join(mine, on=KEY, how="left")
    return rows.with_columns(
        pl.lit(version_id, pl.Int64).alias("version_id"),
        pl.lit(computed_at).dt.cast_time_unit("us").alias("computed_at"),
    ).select(KEY, "version_id", "rule_id", "settles_at", "computed_at", *_metric_names())


def replace_states(session: Session, rows: pl.DataFrame, tickets: str) -> Written:
    """Replace the state rows of the tickets ``ticket_id {tickets}`` selects (an SQL
    ``IN (...)`` or ``BETWEEN ...`` the store writes) with ``rows``."""
    session.execute(text(f"DELETE FROM sla_states WHERE {KEY} {tickets}"))
    counts = _status_counts(rows)
    # A metric no rule targets is null in every row: its columns are left out of the
    # insert (they have no default, so they are null all the same), which on SQLite
    # takes a third off the write.
    unused = [c for c in _metric_names() if rows[c].null_count() == rows.height]
    rows = rows.drop(unused)
    bulk.insert_frame(session, SlaState.__table__, rows)
    return Written(rows.height, sum(counts.values()), counts)


def _status_counts(rows: pl.DataFrame) -> dict[str, int]:
    counts: dict[str, int] = {}
    for metric in METRICS:  # a column at a time: one list column of them all cost 20x
        for status, n in rows[f"{metric}_status"].drop_nulls().value_counts().iter_rows():
            counts[str(status)] = counts.get(str(status), 0) + int(n)
    return counts


def stale_ids(
    session: Session,
    timeline: Timeline,
    now: dt.datetime,
    everything: bool,
    pilots: Pilots = (),
) -> pl.Series:
    """Store ids, ascending, of the tickets whose state must be evaluated at ``now``:
    every ticket when ``everything``; else those without a state, with a state under
    another version than the one of ``timeline`` that governs them, or whose state was
    computed before it settled or settles after ``now`` (a state computed and asked for
    after it settled cannot differ).

    Two scans in key order (the tickets' ids, the states still good) and a difference
    in Polars: as one anti-join, PostgreSQL chose an index lookup per ticket."""
    return _stale(session, timeline, now, everything, None, pilots)


def stale_in_range(
    session: Session,
    timeline: Timeline,
    now: dt.datetime,
    everything: bool,
    id_range: tuple[int, int],
    pilots: Pilots = (),
) -> pl.Series | None:
    """``stale_ids`` among the ids in ``id_range`` (both ends included), or None when
    every ticket there is stale. Counted first: when no state there is good, or every
    one is, no id is read."""
    if everything:
        return None
    tickets, good = _stale_queries(session, timeline, now, id_range, pilots)
    held = session.execute(text(f"SELECT count(*) FROM ({tickets}) t")).scalar() or 0
    kept = session.execute(text(f"SELECT count(*) FROM ({good}) g")).scalar() or 0
    if kept == 0:
        return None
    if kept == held:
        return pl.Series("id", [], pl.Int64)
    return _stale(session, timeline, now, everything, id_range, pilots)


def _stale(
    session: Session,
    timeline: Timeline,
    now: dt.datetime,
    everything: bool,
    id_range: tuple[int, int] | None,
    pilots: Pilots,
) -> pl.Series:
    schema: dict[str, pl.DataType] = {"id": pl.Int64()}
    tickets, good = _stale_queries(session, timeline, now, id_range, pilots)
    ids = bulk.fetch(session, f"{tickets} ORDER BY id", schema)["id"]
    if everything:
        return ids
    settled = bulk.fetch(session, good, schema)["id"]
    return ids.filter(~ids.is_in(settled.implode()))


def _stale_queries(
    session: Session,
    timeline: Timeline,
    now: dt.datetime,
    id_range: tuple[int, int] | None,
    pilots: Pilots = (),
) -> tuple[str, str]:
    """The ids of the tickets, and of those whose state is still good at ``now``."""
    literal = instant_literal(bulk.dialect(session))
    good = [
        "settles_at IS NOT NULL", "settles_at <= computed_at", f"settles_at <= {literal(now)}",
    ]  # fmt: skip
    (first, _), *later = timeline
    source = "sla_states"
    if later or pilots:  # the governing version depends on the ticket's columns
        source = "sla_states JOIN tickets ON tickets.id = sla_states.ticket_id"
        cases = " ".join(
            f"WHEN tickets.created_at >= {literal(at)} THEN {int(version)}"
            for version, at in reversed(later)
        )
        governing = f"CASE {cases} ELSE {int(first)} END" if later else str(int(first))
        if pilots:  # a pilot's ticket is its version's, whatever the timeline says
            governing = f"COALESCE({pilot_case(pilots, bulk.dialect(session))}, {governing})"
        good.insert(0, f"version_id = {governing}")
    else:
        good.insert(0, f"version_id = {int(first)}")
    where = ""
    if id_range is not None:
        lo, hi = int(id_range[0]), int(id_range[1])
        where = f" WHERE id BETWEEN {lo} AND {hi}"
        good.insert(0, f"ticket_id BETWEEN {lo} AND {hi}")
    return (
        f"SELECT id FROM tickets{where}",
        f"SELECT ticket_id AS id FROM {source} WHERE {' AND '.join(good)}",
    )


def id_ranges(session: Session, size: int, dense: int) -> list[tuple[int, int]] | None:
    """The stored ids cut into consecutive ranges of about ``size`` tickets, or None
    when the ids are too sparse for that (more than ``dense`` ids per ticket)."""
    low, high, count = session.execute(text("SELECT min(id), max(id), count(*) FROM tickets")).one()
    if not count:
        return []
    span = int(high) - int(low) + 1
    if span > dense * int(count):
        return None
    parts = -(-int(count) // size)  # ceiling
    width = -(-span // parts)
    return [
        (start, min(start + width - 1, int(high)))
        for start in range(int(low), int(high) + 1, width)
    ]


def status_counts(session: Session) -> dict[str, int]:
    """How many stored (ticket, metric) states have each status, in one scan."""
    columns = ", ".join(f"{m}_status" for m in METRICS)
    query = f"SELECT {columns}, count(*) FROM sla_states GROUP BY {columns}"
    counts: dict[str, int] = {}
    for *statuses, count in session.execute(text(query)):
        for status in statuses:
            if status is not None:
                counts[str(status)] = counts.get(str(status), 0) + int(count)
    return counts


def _metric_names() -> list[str]:
    return [f"{metric}_{field}" for metric in METRICS for field in METRIC_FIELDS]


def claim_part(session: Session, first_id: int) -> bool:
    """Hold, for this transaction, the right to judge the part of the tickets starting
    at ``first_id``; False when another worker holds it (PostgreSQL's transaction-scoped
    advisory lock, taken without waiting). SQLite has one writer: always True."""
    if bulk.dialect(session) != "postgresql":
        return True
    key = int(first_id) % 2_147_483_647
    query = text("SELECT pg_try_advisory_xact_lock(:space, :key)")
    return bool(session.execute(query, {"space": PART_LOCKS, "key": key}).scalar_one())
