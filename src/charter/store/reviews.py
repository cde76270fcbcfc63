"""Review records: each review of a policy with its outcome and the next date it set,
and the keys of the reminders sent to the review's owner."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from charter.store.models import Base, PolicyReview

__all__ = ["PolicyReview", "add_review", "claim_reminder", "latest_review", "reviews_of"]


def add_review(session: Session, **fields: object) -> PolicyReview:
    row = PolicyReview(**fields)
    session.add(row)
    session.flush()
    return row


def latest_review(session: Session, policy_id: int) -> PolicyReview | None:
    """The policy's most recent review record."""
    query = (
        select(PolicyReview)
        .where(PolicyReview.policy_id == policy_id)
        .order_by(PolicyReview.reviewed_at.desc(), PolicyReview.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def reviews_of(session: Session, policy_id: int) -> list[PolicyReview]:
    """Every review of the policy, newest first."""
    query = select(PolicyReview).where(PolicyReview.policy_id == policy_id)
    return list(session.scalars(query.order_by(PolicyReview.reviewed_at.desc())))


def claim_reminder(
    session: Session, policy_id: int, next_review: dt.date, day: dt.date, at: dt.datetime
) -> bool:
    """Write the key of one reminder; False when it was written before."""
    table = Base.metadata.tables["review_reminders"]
    build = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        build(table)
        .values(policy_id=policy_id, next_review=next_review, day=day, sent_at=at)
        .on_conflict_do_nothing()
        .returning(table.c.day)
    )
    return session.execute(statement).first() is not None
