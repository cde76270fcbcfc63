"""Ticket syncs webhooks asked for (``sync_requests``), and the webhook signatures seen
(``webhook_signatures``).

A webhook queues each ticket it names once: a second one for a queued ticket moves
its ``requested_at`` on instead of adding a row. The worker reads a batch with
:func:`waiting` (on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so it never waits on a row a
webhook is writing at that moment), fetches those tickets, and in the transaction
that stores them calls :func:`done`, which deletes each request only if its
``requested_at`` is still the one read: a webhook that arrived during the fetch keeps
its request for the next tick.

>>> import datetime as dt, tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'q.db'}"); db.upgrade()
>>> nine = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
>>> with db.transaction() as session:
...     remember_signature(session, "zendesk", "c2lnbg==", nine)
...     queue(session, "zendesk", ["101", "101", "102"], nine)
...     remember_signature(session, "zendesk", "c2lnbg==", nine)
True
False
>>> with db.reading() as session:
...     [(r.source_id, r.requested_at.hour) for r in waiting(session, "zendesk", 10)]
[('101', 9), ('102', 9)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from charter.store.models import SyncRequest, WebhookSignature


@dataclass(frozen=True)
class Waiting:
    """A queued ticket sync: the helpdesk, the ticket's id there, when last asked for."""

    source: str
    source_id: str
    requested_at: dt.datetime


def _insert(session: Session) -> type[postgresql.Insert] | type[sqlite.Insert]:
    bind = session.get_bind()
    return postgresql.Insert if bind.dialect.name == "postgresql" else sqlite.Insert


def queue(session: Session, source: str, source_ids: Sequence[str], now: dt.datetime) -> None:
    """Ask for a sync of each ticket in ``source_ids`` (repeats count once); a ticket
    already queued keeps its row, asked for again at ``now``."""
    rows = [{"source": source, "source_id": i, "requested_at": now}
            for i in dict.fromkeys(source_ids)]  # fmt: skip
    if not rows:
        return
    statement = _insert(session)(SyncRequest).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["source", "source_id"],
            set_={"requested_at": statement.excluded.requested_at},
        )
    )


def remember_signature(session: Session, source: str, signature: str, now: dt.datetime) -> bool:
    """Record a webhook's signature as seen at ``now``; False when it was seen before."""
    statement = _insert(session)(WebhookSignature).values(
        source=source, signature=signature, seen_at=now
    )
    inserted = statement.on_conflict_do_nothing().returning(WebhookSignature.seen_at)
    return session.execute(inserted).first() is not None


def prune_signatures(session: Session, before: dt.datetime) -> int:
    """Forget the signatures seen before ``before`` (outside the time window); how many."""
    result = session.execute(delete(WebhookSignature).where(WebhookSignature.seen_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


def waiting(session: Session, source: str, limit: int) -> list[Waiting]:
    """Up to ``limit`` of ``source``'s queued syncs, longest waiting first; rows another
    transaction holds are skipped (PostgreSQL), never waited for."""
    query = (
        select(SyncRequest.source, SyncRequest.source_id, SyncRequest.requested_at)
        .where(SyncRequest.source == source)
        .order_by(SyncRequest.requested_at, SyncRequest.source_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [Waiting(*row) for row in session.execute(query).all()]


def done(session: Session, requests: Sequence[Waiting]) -> int:
    """Delete the requests that are still as read (not asked for again since); how many."""
    if not requests:
        return 0
    match = or_(*(and_(SyncRequest.source == r.source, SyncRequest.source_id == r.source_id,
                       SyncRequest.requested_at == r.requested_at)
                  for r in requests))  # fmt: skip
    result = session.execute(delete(SyncRequest).where(match))
    return int(getattr(result, "rowcount", 0) or 0)


def queued(session: Session) -> dict[str, int]:
    """How many syncs wait, per helpdesk."""
    query = select(SyncRequest.source, func.count()).group_by(SyncRequest.source)
    return {source: int(count) for source, count in session.execute(query).all()}
