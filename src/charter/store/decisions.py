"""The decisions aggregate: each question asked of the policy, its answer, and the
clauses that decided it (``decisions``, ``decision_clauses``).

Plain functions whose first argument is the ``Session`` a service opened; none
commits. ``Filter`` is what a listing, its count and the export keep; the refund
states are counted at an instant the caller gives.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.reading() as session:
...     count(session, Filter())
0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from charter.store.models import DECISION_KINDS, Decision, DecisionClause, PolicyVersion

__all__ = [
    "DECISION_KINDS", "REFUND_STATES", "Decision", "DecisionClause", "Filter", "add",
    "by_id", "clauses_of", "count", "find", "in_batches", "refund_counts", "version_text",
]  # fmt: skip

# A refund's standing at an instant: paid by its due instant, paid after it, or past
# it unpaid. A refund not yet due, or without a due instant, is in none of them.
REFUND_STATES = ("on_time", "late", "overdue")


@dataclass(frozen=True)
class Filter:
    """What a listing keeps; None keeps everything. ``since`` and ``until`` bound the
    instant asked (``since`` included, ``until`` not); ``refund`` keeps one refund
    state as it stands at ``at``."""

    kind: str | None = None
    outcome: str | None = None
    clause: str | None = None
    asked_by: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    ticket_ref: str | None = None
    refund: str | None = None
    at: dt.datetime | None = None


def add(session: Session, row: Decision, clauses: Sequence[tuple[str, str]]) -> Decision:
    """Write ``row`` and its deciding clauses (id, text) in order; the row has its id."""
    session.add(row)
    session.flush()
    for position, (clause_id, text) in enumerate(clauses):
        session.add(
            DecisionClause(decision_id=row.id, position=position, clause_id=clause_id, text=text)
        )
    session.flush()
    return row


def by_id(session: Session, decision_id: int, *, lock: bool = False) -> Decision | None:
    """One decision, or None; ``lock`` holds its row for an update."""
    query = select(Decision).where(Decision.id == decision_id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def clauses_of(session: Session, ids: Sequence[int]) -> dict[int, list[DecisionClause]]:
    """The deciding clauses of each decision in ``ids``, in order."""
    found: dict[int, list[DecisionClause]] = {i: [] for i in ids}
    if not ids:
        return found
    query = (
        select(DecisionClause)
        .where(DecisionClause.decision_id.in_(list(ids)))
        .order_by(DecisionClause.decision_id, DecisionClause.position)
    )
    for clause in session.scalars(query):
        found[clause.decision_id].append(clause)
    return found


def version_text(session: Session, version_id: int) -> str | None:
    """The text of the policy version a decision was taken under; None once deleted."""
    found: str | None = session.scalar(
        select(PolicyVersion.text).where(PolicyVersion.id == version_id)
    )
    return found


def find(session: Session, keep: Filter, *, limit: int, offset: int = 0) -> list[Decision]:
    """The decisions ``keep`` keeps, newest first."""
    query = (
        select(Decision).where(*_where(keep)).order_by(Decision.asked_at.desc(), Decision.id.desc())
    )
    return list(session.scalars(query.limit(limit).offset(offset)))


def count(session: Session, keep: Filter) -> int:
    """How many decisions ``keep`` keeps."""
    found = session.scalar(select(func.count(Decision.id)).where(*_where(keep)))
    return int(found or 0)


def in_batches(session: Session, keep: Filter, size: int = 500) -> Iterator[list[Decision]]:
    """The decisions ``keep`` keeps, oldest first, ``size`` at a time: each batch is
    one query after the last id seen, so no cursor stays open between batches."""
    after = 0
    while True:
        query = select(Decision).where(*_where(keep), Decision.id > after)
        batch = list(session.scalars(query.order_by(Decision.id).limit(size)))
        if not batch:
            return
        yield batch
        after = batch[-1].id


def refund_counts(session: Session, at: dt.datetime) -> dict[str, int]:
    """How many refunds are in each of ``REFUND_STATES`` at ``at``."""
    found = {}
    for state in REFUND_STATES:
        query = select(func.count(Decision.id)).where(_refund(state, at))
        found[state] = int(session.scalar(query) or 0)
    return found


def _refund(state: str, at: dt.datetime) -> ColumnElement[bool]:
    due, paid = Decision.refund_due_at, Decision.refund_paid_at
    if state == "on_time":
        return and_(due.is_not(None), paid.is_not(None), paid <= due)
    if state == "late":
        return and_(due.is_not(None), paid.is_not(None), paid > due)
    return and_(due.is_not(None), paid.is_(None), due < at)


def _where(keep: Filter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if keep.kind is not None:
        conditions.append(Decision.kind == keep.kind)
    if keep.outcome is not None:
        conditions.append(Decision.outcome == keep.outcome)
    if keep.asked_by is not None:
        conditions.append(Decision.asked_by == keep.asked_by)
    if keep.since is not None:
        conditions.append(Decision.asked_at >= keep.since)
    if keep.until is not None:
        conditions.append(Decision.asked_at < keep.until)
    if keep.ticket_ref is not None:
        conditions.append(Decision.ticket_ref == keep.ticket_ref)
    if keep.clause is not None:
        cited = and_(
            DecisionClause.decision_id == Decision.id, DecisionClause.clause_id == keep.clause
        )
        conditions.append(exists().where(cited))
    if keep.refund is not None:
        if keep.at is None:
            raise ValueError("a refund filter needs the instant it is judged at")
        conditions.append(_refund(keep.refund, keep.at))
    return conditions
