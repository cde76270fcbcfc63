"""Feedback records: visitors' ratings of the public charter's sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from charter.store.models import PolicyFeedback, PolicyVersion

__all__ = [
    "PolicyFeedback", "SectionComment", "SectionTally", "add_rating", "comments_of", "sent_since",
    "tallies",
]  # fmt: skip


def add_rating(session: Session, **fields: object) -> None:
    """Store one rating (``policy_feedback`` columns)."""
    session.add(PolicyFeedback(**fields))
    session.flush()


def sent_since(session: Session, address_hash: str, since: dt.datetime) -> int:
    """How many ratings one address sent since ``since``."""
    query = select(func.count()).where(
        PolicyFeedback.address_hash == address_hash, PolicyFeedback.created_at >= since
    )
    return int(session.execute(query).scalar_one())


@dataclass(frozen=True)
class SectionTally:
    """How one section of one version was rated."""

    version_id: int
    section: str
    ratings: int
    clear_yes: int
    clear_no: int
    fair_yes: int
    fair_no: int
    comments: int


def tallies(session: Session) -> list[SectionTally]:
    """Every section's ratings, by version and section."""
    row = PolicyFeedback
    query = (
        select(
            row.version_id, row.section, func.count(),
            func.count().filter(row.clear.is_(True)), func.count().filter(row.clear.is_(False)),
            func.count().filter(row.fair.is_(True)), func.count().filter(row.fair.is_(False)),
            func.count(row.comment),
        )
        .group_by(row.version_id, row.section)
        .order_by(row.version_id, row.section)
    )  # fmt: skip
    return [
        SectionTally(int(v), str(s), *(int(n) for n in rest))
        for v, s, *rest in session.execute(query)
    ]


@dataclass(frozen=True)
class SectionComment:
    """A rating that carried a comment, with the version number it was given on."""

    id: int
    version: int
    section: str
    clear: bool | None
    fair: bool | None
    comment: str
    created_at: dt.datetime


def comments_of(
    session: Session, policy_id: int, since: dt.datetime, until: dt.datetime, limit: int
) -> list[SectionComment]:
    """The newest ``limit`` comments visitors left on ``policy_id``'s sections in
    ``[since, until)``, newest first."""
    row = PolicyFeedback
    query = (
        select(row.id, PolicyVersion.number, row.section, row.clear, row.fair, row.comment,
               row.created_at)
        .join(PolicyVersion, PolicyVersion.id == row.version_id)
        .where(PolicyVersion.policy_id == policy_id, row.comment.is_not(None),
               row.created_at >= since, row.created_at < until)
        .order_by(row.created_at.desc(), row.id.desc())
        .limit(limit)
    )  # fmt: skip
    return [
        SectionComment(int(i), int(n), str(s), cl, fa, str(c), at)
        for i, n, s, cl, fa, c, at in session.execute(query)
    ]
