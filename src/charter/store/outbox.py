"""The outbox: messages fired levels send, until delivered or dead-lettered.

Workers claim due messages with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so each
message is with one worker at a time; the row stays locked while it is sent and is
marked sent (or given its next try) before the lock goes. A worker killed mid-send
leaves the row pending, and another takes it after the lock is released.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from charter.store.models import OUTBOX_STATES, Base, OutboxMessage, WorkerTick

__all__ = [
    "OUTBOX_STATES", "Claimed", "OutboxMessage", "beat", "claim_one", "counts", "dead",
    "forget_worker", "in_state", "mark", "messages_of", "oldest_pending", "requeue",
    "states_of", "worker_ticks",
]  # fmt: skip


@dataclass
class Claimed:
    """A pending message claimed for one try: what sending it needs, and the fields the
    try's outcome changes (written back by ``mark``)."""

    id: int
    ticket_id: int
    metric: str
    level_id: str
    channel: str
    recipient: str
    payload: dict[str, Any]
    tries: int
    state: str = "pending"
    next_try_at: dt.datetime | None = None
    last_error: str | None = None
    sent_at: dt.datetime | None = None


_TABLE = Base.metadata.tables["outbox"]
_AUDIT = Base.metadata.tables["ticket_audit"]
_CLAIMED = [_TABLE.c[name] for name in ("id", "ticket_id", "metric", "level_id", "channel",
            "recipient", "payload", "tries")]  # fmt: skip


def claim_one(session: Session, now: dt.datetime) -> Claimed | None:
    """The pending message due at ``now`` that waited longest, locked for this
    transaction on PostgreSQL (skipping those another worker holds); None when none is
    due. Plain statements, not the ORM: the outbox's hot path."""
    query = (
        select(*_CLAIMED)
        .where(_TABLE.c.state == "pending", _TABLE.c.next_try_at <= now)
        .order_by(_TABLE.c.next_try_at, _TABLE.c.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.execute(query).first()
    return Claimed(**row._mapping) if row is not None else None


def mark(session: Session, message: Claimed, audit: dict[str, Any]) -> None:
    """Write a claimed message's outcome (state, tries, next try, error, sent instant)
    and its audit row (``ticket_audit`` columns); one statement on PostgreSQL."""
    change = (
        update(_TABLE)
        .where(_TABLE.c.id == message.id)
        .values(
            state=message.state,
            tries=message.tries,
            next_try_at=message.next_try_at,
            last_error=message.last_error,
            sent_at=message.sent_at,
        )
    )
    said = insert(_AUDIT).values(**audit)
    if session.get_bind().dialect.name == "postgresql":
        # Both in one round trip: the update as a data-modifying WITH of the insert.
        marked = change.returning(_TABLE.c.id).cte("marked")
        said = said.add_cte(marked)
        session.execute(said)
        return
    session.execute(change)
    session.execute(said)


def in_state(session: Session, state: str, limit: int, offset: int = 0) -> list[OutboxMessage]:
    """Up to ``limit`` messages in ``state`` after the first ``offset``: pending ones in
    the order they will be tried (next try, then id), the others newest first."""
    query = select(OutboxMessage).where(OutboxMessage.state == state)
    if state == "pending":
        query = query.order_by(OutboxMessage.next_try_at, OutboxMessage.id)
    else:
        query = query.order_by(OutboxMessage.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))


def states_of(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The state of each of ``ids`` that exists."""
    query = select(OutboxMessage.id, OutboxMessage.state).where(OutboxMessage.id.in_(list(ids)))
    return {int(i): str(state) for i, state in session.execute(query)}


def messages_of(session: Session, ticket_id: int) -> list[OutboxMessage]:
    """Every message one ticket's levels sent or are sending, oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.ticket_id == ticket_id)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def dead(session: Session, ids: Sequence[int] | None) -> list[OutboxMessage]:
    """The dead messages among ``ids`` (None: all of them), oldest first, locked for
    this transaction on PostgreSQL."""
    query = select(OutboxMessage).where(OutboxMessage.state == "dead")
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    return list(session.scalars(query.order_by(OutboxMessage.id).with_for_update()))


def requeue(messages: Sequence[OutboxMessage], now: dt.datetime) -> None:
    """Give ``messages`` a fresh set of tries, the first at ``now``."""
    for message in messages:
        message.state, message.tries, message.next_try_at = "pending", 0, now


def counts(session: Session) -> dict[str, int]:
    """Messages by state."""
    query = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    return {str(state): int(n) for state, n in session.execute(query)}


def oldest_pending(session: Session) -> dt.datetime | None:
    """When the oldest undelivered (pending) message was written."""
    query = select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state == "pending")
    value = session.execute(query).scalar_one()
    if isinstance(value, str):  # SQLite hands an aggregate back as stored text
        value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value


def beat(
    session: Session,
    worker: str,
    *,
    started_at: dt.datetime,
    at: dt.datetime,
    seconds: float,
    error: str | None,
) -> None:
    """Record a worker's tick."""
    row = session.get(WorkerTick, worker, with_for_update=True)
    if row is None:
        row = WorkerTick(worker=worker, started_at=started_at, ticks=0)
        session.add(row)
    row.started_at, row.last_tick_at, row.tick_seconds = started_at, at, seconds
    row.ticks = (row.ticks or 0) + 1
    row.last_error = error


def forget_worker(session: Session, worker: str) -> None:
    """Drop a worker that stopped on purpose from the list of running ones."""
    session.execute(delete(WorkerTick).where(WorkerTick.worker == worker))


def worker_ticks(session: Session) -> list[WorkerTick]:
    """Every worker's last tick, latest first."""
    query = select(WorkerTick).order_by(WorkerTick.last_tick_at.desc())
    return list(session.scalars(query))
