"""The outbox: messages fired levels send, until delivered or dead-lettered.

Workers claim due messages a batch at a time with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so each message is with one worker at a time; the rows stay locked while
they are sent and are marked sent (or given their next try) before the locks go. Each
try's audit row is written as soon as the server answers, on a connection that commits
it at once (``record_try``): for an accepted message it is the receipt. A worker killed
mid-batch leaves its rows pending, and the next worker to claim one that has a receipt
records it as sent instead of sending it again (``Claimed.accepted_at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from charter.store.models import OUTBOX_STATES, Base, OutboxMessage, WorkerTick

__all__ = [
    "OUTBOX_STATES", "SENT", "Claimed", "OutboxMessage", "beat", "claim", "counts", "dead",
    "forget_worker", "in_state", "mark", "messages_of", "oldest_pending", "queue", "record_try",
    "requeue", "states_of", "worker_ticks",
]  # fmt: skip

SENT = "message sent"  # the audit row of an accepted try: its message's receipt


@dataclass
class Claimed:
    """A pending message claimed for one try: what sending it needs, the fields the
    try's outcome changes (written back by ``mark``), and ``accepted_at`` when a try of
    it was accepted already, by a worker stopped before it marked the message sent."""

    id: int
    ticket_id: int | None  # none for a training message
    metric: str
    level_id: str
    channel: str
    recipient: str
    payload: dict[str, Any]
    tries: int
    accepted_at: dt.datetime | None = None
    purpose: str = "escalation"  # or "training"
    state: str = "pending"
    next_try_at: dt.datetime | None = None
    last_error: str | None = None
    sent_at: dt.datetime | None = None


_TABLE = Base.metadata.tables["outbox"]
_AUDIT = Base.metadata.tables["ticket_audit"]
_CLAIMED = [_TABLE.c[name] for name in ("id", "ticket_id", "metric", "level_id", "channel",
            "recipient", "payload", "tries", "purpose")]  # fmt: skip
_RECEIPT = (
    select(func.min(_AUDIT.c.at))
    .where(_AUDIT.c.outbox_id == _TABLE.c.id, _AUDIT.c.kind == SENT)
    .scalar_subquery()
    .label("accepted_at")
)
_RECORD = insert(_AUDIT)
_MARK = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("message"))
    .values(
        state=bindparam("new_state"),
        tries=bindparam("new_tries"),
        next_try_at=bindparam("new_next_try_at"),
        last_error=bindparam("new_last_error"),
        sent_at=bindparam("new_sent_at"),
    )
)


def claim(session: Session, now: dt.datetime, limit: int) -> list[Claimed]:
    """Up to ``limit`` pending messages due at ``now``, those that waited longest first,
    locked for this transaction on PostgreSQL (skipping those another worker holds).
    Plain statements, not the ORM: the outbox's hot path."""
    query = (
        select(*_CLAIMED, _RECEIPT)
        .where(_TABLE.c.state == "pending", _TABLE.c.next_try_at <= now)
        .order_by(_TABLE.c.next_try_at, _TABLE.c.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=_TABLE, skip_locked=True)
    claimed = [Claimed(**row._mapping) for row in session.execute(query)]
    for message in claimed:  # SQLite hands an aggregate back as stored text
        if isinstance(message.accepted_at, str):
            message.accepted_at = dt.datetime.fromisoformat(message.accepted_at).replace(
                tzinfo=dt.UTC
            )
    return claimed


def record_try(connection: Connection, audit: dict[str, Any]) -> None:
    """Write one try's audit row (``ticket_audit`` columns, with ``outbox_id``) on a
    connection that commits each statement (``Database.autocommit``), so that it lasts
    whatever becomes of the batch's transaction: for an accepted try, the receipt."""
    connection.execute(_RECORD, audit)


def mark(session: Session, messages: Sequence[Claimed]) -> None:
    """Write claimed messages' outcomes: state, tries, next try, error, sent instant."""
    if not messages:
        return
    changes = [
        {"message": m.id, "new_state": m.state, "new_tries": m.tries,
         "new_next_try_at": m.next_try_at, "new_last_error": m.last_error,
         "new_sent_at": m.sent_at}
        for m in messages
    ]  # fmt: skip
    session.execute(_MARK, changes)


def queue(
    session: Session, *, purpose: str, version_id: int, kind: str, recipient: str,
    payload: dict[str, Any], at: dt.datetime, dead_because: str | None = None,
) -> None:  # fmt: skip
    """Write an e-mail that belongs to no ticket (``purpose`` ``training`` or ``review``)
    to the outbox, due at ``at``: its metric is the purpose, its level the kind. With
    ``dead_because`` it is a dead letter at once, saying why (a role with no address)."""
    state, next_try = ("dead", None) if dead_because else ("pending", at)
    session.execute(
        insert(_TABLE).values(
            ticket_id=None, metric=purpose, level_id=kind, version_id=version_id,
            channel="email", recipient=recipient, payload=payload, purpose=purpose,
            state=state, tries=0, next_try_at=next_try, created_at=at, last_error=dead_because,
        )
    )  # fmt: skip


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
