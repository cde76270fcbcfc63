"""Complaint KPIs: per month and stage, the stages acknowledged and answered within
their limits and late, counted in one aggregate query.

A step done by its deadline is *within*; done after it, or not done once the deadline
has passed, is *late*; not done and not yet due (or with no deadline: a stage that
promises no acknowledgment) it is not counted. This is ``charter.store.complaints.kept``
written as SQL, so the dashboard's counts and the ``/complaints`` list each links to
count the same stages (``tests/test_pages_complaints.py`` checks them against each
other). The month is the stage's receipt's, in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from charter.store.models import ComplaintStageRecord, UtcDateTime

__all__ = ["KpiRow", "complaint_kpis"]


@dataclass(frozen=True)
class KpiRow:
    """One month's complaints at one stage: of those whose acknowledgment (response) was
    done or due by ``now``, how many were within the limit and how many late."""

    month: str  # YYYY-MM of the stage's receipt, UTC
    stage_id: str
    acknowledged_within: int
    acknowledged_late: int
    answered_within: int
    answered_late: int


def complaint_kpis(
    session: Session, now: dt.datetime, months: Sequence[str] | None = None
) -> list[KpiRow]:
    """Per month (of the stage's receipt, UTC) and stage, the stages acknowledged and
    answered within their limits and late (a step not done counts as late once its
    deadline passed; one not due yet is not counted), by month then stage position;
    only ``months`` (``YYYY-MM``) when given."""
    stage = ComplaintStageRecord
    month = _month(session, stage.received_at).label("month")
    at = literal(now, UtcDateTime())
    acknowledged = (stage.acknowledged_at, stage.acknowledge_due_at)
    answered = (stage.responded_at, stage.respond_due_at)
    query = (
        select(
            month,
            stage.stage_id,
            func.min(stage.position),
            _count(_within(*acknowledged)),
            _count(_late(*acknowledged, at)),
            _count(_within(*answered)),
            _count(_late(*answered, at)),
        )
        .group_by(month, stage.stage_id)
        .order_by(month, func.min(stage.position), stage.stage_id)
    )
    if months is not None:
        query = query.where(month.in_(list(months)))
    return [
        KpiRow(str(m), str(stage_id), int(a), int(b), int(c), int(d))
        for m, stage_id, _, a, b, c, d in session.execute(query)
    ]


def _month(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite keeps UTC instants as ISO text


def _within(done: Any, due: Any) -> Any:
    return and_(due.is_not(None), done.is_not(None), done <= due)


def _late(done: Any, due: Any, now: Any) -> Any:
    return and_(
        due.is_not(None), or_(and_(done.is_not(None), done > due), and_(done.is_(None), now > due))
    )


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
