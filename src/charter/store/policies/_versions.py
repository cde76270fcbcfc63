"""Policies and their numbered versions: found by slug and number, listed, the live ones
and when each is in force (``effective_at`` up to ``retired_at``).

Every function takes the session a service opened and leaves committing to it.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.reading() as session:
...     policy_by_slug(session, "acme"), operating_version(session, dt.datetime.now(dt.UTC))
(None, None)
>>> with db.reading() as session:
...     policies(session)
[]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, or_, select
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


def operating_version(session: Session, at: dt.datetime) -> tuple[PolicyVersion, str] | None:
    """The version tickets are held to at ``at``, with its policy's slug: the version in
    force then (effective at or before it, not retired by it) of the oldest policy with
    one."""
    found = session.execute(_operating(select(PolicyVersion, PolicyRecord.slug), at)).first()
    return (found[0], found[1]) if found is not None else None


def operating_version_id(session: Session, at: dt.datetime) -> int | None:
    """Only the id of ``operating_version``: one small query."""
    found: int | None = session.execute(_operating(select(PolicyVersion.id), at)).scalar()
    return found


def in_force_numbers(session: Session, at: dt.datetime) -> dict[int, int]:
    """The number of the version in force at ``at``, by the id of its policy."""
    query = select(PolicyVersion.policy_id, PolicyVersion.number).where(*_in_force(at))
    return {int(policy_id): int(number) for policy_id, number in session.execute(query)}


def next_switch(session: Session, after: dt.datetime) -> dt.datetime | None:
    """The first instant after ``after`` at which a version comes into force or is
    retired: until then, the version in force stays the same."""
    starts = select(func.min(PolicyVersion.effective_at)).where(PolicyVersion.effective_at > after)
    ends = select(func.min(PolicyVersion.retired_at)).where(
        PolicyVersion.effective_at.is_not(None), PolicyVersion.retired_at > after
    )
    found = [session.scalar(starts), session.scalar(ends)]
    return min((t for t in found if t is not None), default=None)


def judging_policy_id(session: Session, at: dt.datetime) -> int | None:
    """The policy whose versions judge the tickets at ``at``: the operating version's;
    when no version is in force (the last one was retired with none after it), the
    oldest policy with a version that took effect by ``at``."""
    found = session.execute(_operating(select(PolicyVersion.policy_id), at)).scalar()
    if found is not None:
        return int(found)
    query = (
        select(PolicyVersion.policy_id)
        .join(PolicyRecord, PolicyRecord.id == PolicyVersion.policy_id)
        .where(PolicyVersion.effective_at <= at)
        .order_by(PolicyRecord.created_at, PolicyRecord.id)
        .limit(1)
    )
    first = session.execute(query).scalar()
    return int(first) if first is not None else None


def effective_versions(session: Session, policy_id: int) -> list[PolicyVersion]:
    """The policy's versions that have an effective instant (in force now, before, or
    scheduled), by that instant."""
    query = (
        select(PolicyVersion)
        .where(PolicyVersion.policy_id == policy_id, PolicyVersion.effective_at.is_not(None))
        .order_by(PolicyVersion.effective_at, PolicyVersion.number)
    )
    return list(session.scalars(query))


def judging_pilots(session: Session, policy_id: int) -> list[PolicyVersion]:
    """The policy's versions whose pilot judges its group's tickets: moved to pilot with
    a group, and not abandoned (a published pilot keeps its tickets), by pilot start."""
    query = (
        select(PolicyVersion)
        .where(
            PolicyVersion.policy_id == policy_id,
            PolicyVersion.pilot_kind.is_not(None),
            or_(PolicyVersion.pilot_outcome.is_(None), PolicyVersion.pilot_outcome != "abandoned"),
        )
        .order_by(PolicyVersion.pilot_starts_at, PolicyVersion.number)
    )
    return list(session.scalars(query))


def last_pilot(session: Session, policy_id: int) -> PolicyVersion | None:
    """The policy's most recently started pilot, whatever its outcome."""
    query = (
        select(PolicyVersion)
        .where(PolicyVersion.policy_id == policy_id, PolicyVersion.pilot_kind.is_not(None))
        .order_by(PolicyVersion.pilot_starts_at.desc(), PolicyVersion.number.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def in_force_from(session: Session, policy_id: int, at: dt.datetime) -> list[PolicyVersion]:
    """The policy's versions in force at or after ``at`` (or scheduled to be), by effective
    instant: those a version taking effect at ``at`` replaces."""
    query = (
        select(PolicyVersion)
        .where(
            PolicyVersion.policy_id == policy_id,
            PolicyVersion.effective_at.is_not(None),
            or_(PolicyVersion.retired_at.is_(None), PolicyVersion.retired_at > at),
        )
        .order_by(PolicyVersion.effective_at, PolicyVersion.number)
    )
    return list(session.scalars(query))


def retired_at_instant(session: Session, policy_id: int, at: dt.datetime) -> list[PolicyVersion]:
    """The policy's versions in force until exactly ``at``: those a version taking effect
    then replaces, in force again when that publication is cancelled."""
    query = select(PolicyVersion).where(
        PolicyVersion.policy_id == policy_id,
        PolicyVersion.effective_at.is_not(None),
        PolicyVersion.retired_at == at,
    )
    return list(session.scalars(query))


def _in_force(at: dt.datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        PolicyVersion.effective_at <= at,
        or_(PolicyVersion.retired_at.is_(None), PolicyVersion.retired_at > at),
    )


def _operating(query: AnySelect, at: dt.datetime) -> AnySelect:
    return (
        query.join(PolicyRecord, PolicyRecord.id == PolicyVersion.policy_id)
        .where(*_in_force(at))
        .order_by(PolicyRecord.created_at, PolicyRecord.id, PolicyVersion.effective_at.desc())
        .limit(1)
    )
