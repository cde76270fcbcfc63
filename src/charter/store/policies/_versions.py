"""Policies and their numbered versions: found by slug and number, listed, the live ones.

Every function takes the session a service opened and leaves committing to it.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.reading() as session:
...     policy_by_slug(session, "acme"), operating_version(session), policies(session)
(None, None, [])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from charter.errors import Conflict
from charter.store.models import PolicyRecord, PolicyVersion

AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")


def flush_or_conflict(session: Session, clash: str) -> None:
    """Flush, turning a unique-key clash with a concurrent change into ``Conflict(clash)``."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(clash) from None


def policy_by_slug(session: Session, slug: str, *, lock: bool = False) -> PolicyRecord | None:
    """The policy ``slug``; ``lock`` holds its row so changes to it queue up (PostgreSQL)."""
    query = select(PolicyRecord).where(PolicyRecord.slug == slug)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def policy_exists(session: Session, slug: str) -> bool:
    """Whether a policy has the slug ``slug``."""
    found = session.scalars(select(PolicyRecord.id).where(PolicyRecord.slug == slug)).first()
    return found is not None


def policies(session: Session) -> list[PolicyRecord]:
    """Every policy, oldest first."""
    query = select(PolicyRecord).order_by(PolicyRecord.created_at, PolicyRecord.id)
    return list(session.scalars(query))


def version_statuses(session: Session) -> dict[int, list[tuple[int, str]]]:
    """Each version's (number, status), by the id of its policy."""
    query = select(PolicyVersion.policy_id, PolicyVersion.number, PolicyVersion.status)
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for policy_id, number, status in session.execute(query):
        found[policy_id].append((number, status))
    return dict(found)


def statuses_of(session: Session, policy_id: int) -> list[tuple[int, str]]:
    """The (number, status) of each version of one policy."""
    query = select(PolicyVersion.number, PolicyVersion.status).where(
        PolicyVersion.policy_id == policy_id
    )
    return [(number, status) for number, status in session.execute(query)]


def versions_of(session: Session, policy_id: int) -> list[PolicyVersion]:
    """Every version of one policy, by number."""
    query = (
        select(PolicyVersion)
        .where(PolicyVersion.policy_id == policy_id)
        .order_by(PolicyVersion.number)
    )
    return list(session.scalars(query))


def version_by_number(session: Session, policy_id: int, number: int) -> PolicyVersion | None:
    query = select(PolicyVersion).where(
        PolicyVersion.policy_id == policy_id, PolicyVersion.number == number
    )
    return session.scalars(query).one_or_none()


def latest_number(session: Session, policy_id: int) -> int:
    """The highest version number of the policy; 0 when it has none."""
    found = session.scalar(
        select(func.max(PolicyVersion.number)).where(PolicyVersion.policy_id == policy_id)
    )
    return int(found or 0)


def published_version(session: Session, policy_id: int) -> PolicyVersion | None:
    """The policy's live version, if one is published."""
    query = select(PolicyVersion).where(
        PolicyVersion.policy_id == policy_id, PolicyVersion.status == "published"
    )
    return session.scalars(query).one_or_none()


def operating_version(session: Session) -> tuple[PolicyVersion, str] | None:
    """The version tickets are held to, with its policy's slug: the published version of
    the oldest policy with one."""
    found = session.execute(_operating(select(PolicyVersion, PolicyRecord.slug))).first()
    return (found[0], found[1]) if found is not None else None


def operating_version_id(session: Session) -> int | None:
    """Only the id of ``operating_version``: one small query."""
    found: int | None = session.execute(_operating(select(PolicyVersion.id))).scalar()
    return found


def _operating(query: AnySelect) -> AnySelect:
    return (
        query.join(PolicyRecord, PolicyRecord.id == PolicyVersion.policy_id)
        .where(PolicyVersion.status == "published")
        .order_by(PolicyRecord.created_at, PolicyRecord.id)
        .limit(1)
    )
