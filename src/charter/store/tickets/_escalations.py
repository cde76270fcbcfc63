"""Escalation plans, firings and the audit trail of the stored tickets.

The plan rows of a set of tickets are read, and replaced, in whole columns like their
SLA state (``_sla``). A due level is fired in its own short transaction: its firing
key goes in with ``ON CONFLICT DO NOTHING``, so of two workers that reach it only one
writes it, and that one writes the level's messages in the same transaction. On
PostgreSQL the due rows are claimed with ``FOR UPDATE SKIP LOCKED``: workers share the
due levels out instead of queueing behind one another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import delete, insert, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from charter.store.models import Base
from charter.store.tickets import _bulk as bulk
from charter.store.tickets._ids import IDS, drop_ids, stage_ids

PLANS = Base.metadata.tables["escalation_plans"]
FIRINGS = Base.metadata.tables["escalation_firings"]
OUTBOX = Base.metadata.tables["outbox"]
AUDIT = Base.metadata.tables["ticket_audit"]
TICKETS = Base.metadata.tables["tickets"]
STATES = Base.metadata.tables["sla_states"]
AUDIT_COLUMNS = ["ticket_id", "at", "kind", "metric", "level_id", "detail"]


@dataclass(frozen=True)
class Selection:
    """Some tickets, as the SQL that picks their ids: a range, or staged ids."""

    where: str


@contextmanager
def selected(
    session: Session, ids: pl.Series | None, span: tuple[int, int] | None
) -> Iterator[Selection]:
    """The tickets ``ids`` (store ids) or, given ``span``, every id in it."""
    if span is not None:
        yield Selection(f"BETWEEN {int(span[0])} AND {int(span[1])}")
        return
    assert ids is not None
    stage_ids(session, ids)
    try:
        yield Selection(f"IN (SELECT id FROM {IDS})")
    finally:
        drop_ids(session)


def stored_plans(session: Session, tickets: Selection) -> pl.DataFrame:
    """The plan rows of ``tickets``: ``ticket_id, metric, level_id, version_id, rule_id,
    level, due_at, deliver_at``."""
    kind = bulk.dialect(session)
    instant = bulk.instant_type(kind)
    schema: dict[str, Any] = {
        "ticket_id": pl.Int64, "metric": pl.String, "level_id": pl.String,
        "version_id": pl.Int64, "rule_id": pl.String, "level": pl.Int32,
        "due_at": instant, "deliver_at": instant,
    }  # fmt: skip
    names = ", ".join(schema)
    frame = bulk.fetch(
        session, f"SELECT {names} FROM escalation_plans WHERE ticket_id {tickets.where}", schema
    )
    return frame.with_columns(bulk.from_sql("due_at", kind), bulk.from_sql("deliver_at", kind))


def fired_keys(session: Session, tickets: Selection) -> pl.DataFrame:
    """``ticket_id, metric, level_id`` of every level of ``tickets`` that fired."""
    schema: dict[str, Any] = {"ticket_id": pl.Int64, "metric": pl.String, "level_id": pl.String}
    return bulk.fetch(
        session,
        f"SELECT ticket_id, metric, level_id FROM escalation_firings "
        f"WHERE ticket_id {tickets.where}",
        schema,
    )


def replace_plans(session: Session, tickets: Selection, rows: pl.DataFrame) -> None:
    """Replace the plan rows of ``tickets`` with ``rows`` (the columns of ``stored_plans``)."""
    session.execute(text(f"DELETE FROM escalation_plans WHERE ticket_id {tickets.where}"))
    bulk.insert_frame(session, PLANS, rows.with_columns(pl.col("level").cast(pl.Int32)))


def add_audit(session: Session, rows: pl.DataFrame) -> None:
    """Append audit rows: ``ticket_id, at, kind, metric, level_id, detail``."""
    if rows.height:
        bulk.insert_frame(session, AUDIT, rows.select(AUDIT_COLUMNS))


@dataclass(frozen=True)
class DueLevel:
    """A planned level whose delivery instant has come."""

    ticket_id: int
    metric: str
    level_id: str
    version_id: int
    rule_id: str | None
    level: int
    due_at: dt.datetime | None
    deliver_at: dt.datetime


def claim_due(session: Session, now: dt.datetime, limit: int) -> list[DueLevel]:
    """Up to ``limit`` planned levels due at ``now``, earliest first; on PostgreSQL
    locked for this transaction, skipping those another worker holds."""
    query = (
        select(*(PLANS.c[f] for f in DueLevel.__dataclass_fields__))
        .where(PLANS.c.deliver_at <= now)
        .order_by(PLANS.c.deliver_at)
        .limit(limit)
    )
    if bulk.dialect(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [DueLevel(**row._mapping) for row in session.execute(query)]


@dataclass(frozen=True)
class FiringTicket:
    """What a firing's messages say about its ticket: where it lives in its helpdesk,
    its priority, and each metric's due instant."""

    source: str
    source_id: str
    priority: str | None
    due: dict[str, dt.datetime | None]


def firing_tickets(session: Session, ticket_ids: Sequence[int]) -> dict[int, FiringTicket]:
    """The tickets ``ticket_ids`` (store ids) with their SLA due instants, in one query."""
    if not ticket_ids:
        return {}
    dues = [c for c in STATES.c if c.name.endswith("_due_at")]
    query = (
        select(TICKETS.c.id, TICKETS.c.source, TICKETS.c.source_id, TICKETS.c.priority, *dues)
        .outerjoin(STATES, STATES.c.ticket_id == TICKETS.c.id)
        .where(TICKETS.c.id.in_(sorted(set(ticket_ids))))
    )
    found = {}
    for row in session.execute(query):
        values = row._mapping
        due = {c.name.removesuffix("_due_at"): values[c.name] for c in dues}
        found[row.id] = FiringTicket(row.source, row.source_id, row.priority, due)
    return found


Key = tuple[int, str, str]  # ticket, metric, level


def fire_batch(
    session: Session,
    firings: Sequence[dict[str, Any]],
    claimed: Sequence[DueLevel],
    messages: dict[Key, list[dict[str, Any]]],
    audit: dict[Key, list[dict[str, Any]]],
) -> set[Key]:
    """Fire levels once: write the firing keys (``firings``: rows of
    ``escalation_firings``) and, only for the keys this call wrote, their ``messages``
    (outbox rows) and ``audit`` rows, all in the caller's transaction. The plan rows of
    every ``claimed`` level go either way. The keys written; a key already there (the
    level fired before) is not among them and sends nothing."""
    written: set[Key] = set()
    if firings:
        dialect = postgresql if bulk.dialect(session) == "postgresql" else sqlite
        statement = (
            dialect.insert(FIRINGS)
            .on_conflict_do_nothing()
            .returning(FIRINGS.c.ticket_id, FIRINGS.c.metric, FIRINGS.c.level_id)
        )
        found = session.execute(statement, list(firings))  # one statement, many rows
        written = {(int(t), str(m), str(lv)) for t, m, lv in found}
    if claimed:
        key = tuple_(PLANS.c.ticket_id, PLANS.c.metric, PLANS.c.level_id)
        gone = [(c.ticket_id, c.metric, c.level_id) for c in claimed]
        session.execute(delete(PLANS).where(key.in_(gone)))
    sent = [m for k in sorted(written) for m in messages.get(k, [])]
    if sent:
        session.execute(insert(OUTBOX), sent)
    said = [a for k in sorted(written) for a in audit.get(k, [])]
    if said:
        session.execute(insert(AUDIT), said)
    return written


def audit_of(session: Session, ticket_id: int) -> list[dict[str, Any]]:
    """The audit rows of one ticket, oldest first: ``at, kind, metric, level_id, detail``."""
    query = (
        select(AUDIT.c.at, AUDIT.c.kind, AUDIT.c.metric, AUDIT.c.level_id, AUDIT.c.detail)
        .where(AUDIT.c.ticket_id == ticket_id)
        .order_by(AUDIT.c.at, AUDIT.c.id)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def plans_of(session: Session, ticket_id: int) -> list[DueLevel]:
    """The planned levels of one ticket, by delivery instant."""
    query = (
        select(*(PLANS.c[f] for f in DueLevel.__dataclass_fields__))
        .where(PLANS.c.ticket_id == ticket_id)
        .order_by(PLANS.c.deliver_at, PLANS.c.level)
    )
    return [DueLevel(**row._mapping) for row in session.execute(query)]


def firings_of(session: Session, ticket_id: int) -> list[dict[str, Any]]:
    """The levels of one ticket that fired, oldest first: ``metric, level_id,
    version_id, fired_at, due_at, deliver_at, worker``."""
    query = (
        select(
            FIRINGS.c.metric,
            FIRINGS.c.level_id,
            FIRINGS.c.version_id,
            FIRINGS.c.fired_at,
            FIRINGS.c.due_at,
            FIRINGS.c.deliver_at,
            FIRINGS.c.worker,
        )  # fmt: skip
        .where(FIRINGS.c.ticket_id == ticket_id)
        .order_by(FIRINGS.c.fired_at, FIRINGS.c.level_id)
    )
    return [dict(row._mapping) for row in session.execute(query)]
