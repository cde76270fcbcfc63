"""What happened to versions: the audit trail of lifecycle steps, and staff comments.

Also the two reads four-eyes review needs: the facts of a policy's versions, and who
edited each one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from charter.store.models import PolicyVersion, User, VersionComment, VersionEvent

VersionFacts = tuple[int, int, str, int | None, int | None, str]
"""A version's id, number, status, ``based_on``, author id and content hash."""


def add_event(
    session: Session,
    row: PolicyVersion,
    action: str,
    *,
    before: str | None,
    actor: int | None,
    at: dt.datetime,
    note: str = "",
) -> None:
    """Write one row of the audit trail: ``action`` moved ``row`` from ``before``."""
    session.add(
        VersionEvent(
            version_id=row.id,
            action=action,
            from_status=before,
            to_status=row.status,
            actor_id=actor,
            note=note,
            at=at,
        )
    )


def events_of(session: Session, version_id: int) -> list[tuple[VersionEvent, User | None]]:
    """The version's audit trail with each actor's account, oldest first."""
    query = (
        select(VersionEvent, User)
        .outerjoin(User, User.id == VersionEvent.actor_id)
        .where(VersionEvent.version_id == version_id)
        .order_by(VersionEvent.at, VersionEvent.id)
    )
    return [(event, actor) for event, actor in session.execute(query)]


def add_comment(
    session: Session, version_id: int, author_id: int, *, clause: str | None, body: str
) -> tuple[VersionComment, User | None]:
    """Write a comment on the version; it, with its author's account."""
    comment = VersionComment(version_id=version_id, author_id=author_id, clause=clause, body=body)
    session.add(comment)
    session.flush()
    return comment, session.get(User, author_id)


def comments_of(session: Session, version_id: int) -> list[tuple[VersionComment, User | None]]:
    """The version's comments with each author's account, oldest first."""
    query = (
        select(VersionComment, User)
        .outerjoin(User, User.id == VersionComment.author_id)
        .where(VersionComment.version_id == version_id)
        .order_by(VersionComment.created_at, VersionComment.id)
    )
    return [(comment, author) for comment, author in session.execute(query)]


def version_facts(session: Session, policy_id: int) -> list[VersionFacts]:
    """What four-eyes review needs of each version of the policy (see ``VersionFacts``)."""
    query = select(
        PolicyVersion.id,
        PolicyVersion.number,
        PolicyVersion.status,
        PolicyVersion.based_on,
        PolicyVersion.author_id,
        PolicyVersion.content_hash,
    ).where(PolicyVersion.policy_id == policy_id)
    return [
        (i, n, status, base, author, digest)
        for i, n, status, base, author, digest in session.execute(query)
    ]


def editors(session: Session, policy_id: int) -> dict[int, set[int]]:
    """Who edited each version of the policy, by version id."""
    query = (
        select(VersionEvent.version_id, VersionEvent.actor_id)
        .join(PolicyVersion, PolicyVersion.id == VersionEvent.version_id)
        .where(PolicyVersion.policy_id == policy_id, VersionEvent.action == "edit")
        .distinct()
    )
    edited: dict[int, set[int]] = defaultdict(set)
    for version_id, actor in session.execute(query):
        if actor is not None:
            edited[version_id].add(actor)
    return dict(edited)
