"""Reading policies and versions: lists, one by slug and number, the live versions.

The version in force at an instant is read from the versions' effective instants, not
their status, so a version published to take effect later replaces the live one at
that instant with nobody acting (docs/lifecycle.md).

Re-exported by :mod:`charter.services.lifecycle`; use these from there.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> list_policies(db), operating_version(db)
([], None)
"""

from __future__ import annotations

import datetime as dt
import time
import weakref

from charter.clock import utc_moment
from charter.services.lifecycle._find import find_policy, find_version
from charter.services.lifecycle._values import PolicyOverview, Version, overview_of, version_of
from charter.store import Database
from charter.store import policies as policies_store


def list_policies(database: Database) -> list[PolicyOverview]:
    """Every policy, oldest first."""
    with database.reading() as session:
        numbers = policies_store.version_statuses(session)
        live = policies_store.in_force_numbers(session, utc_moment(None))
        rows = policies_store.policies(session)
        return [
            overview_of(row, numbers[row.id], live.get(row.id))
            for row in rows
            if numbers.get(row.id)
        ]


def get_policy(database: Database, slug: str) -> PolicyOverview:
    with database.reading() as session:
        policy = find_policy(session, slug)
        live = policies_store.in_force_numbers(session, utc_moment(None)).get(policy.id)
        return overview_of(policy, policies_store.statuses_of(session, policy.id), live)


def list_versions(database: Database, slug: str) -> list[Version]:
    """Every version of the policy, by number."""
    with database.reading() as session:
        policy = find_policy(session, slug)
        return [version_of(row, slug) for row in policies_store.versions_of(session, policy.id)]


def get_version(database: Database, slug: str, number: int) -> Version:
    with database.reading() as session:
        return version_of(find_version(session, find_policy(session, slug), number), slug)


def published_version(database: Database, slug: str) -> Version | None:
    """The policy's live version, if one is published."""
    with database.reading() as session:
        row = policies_store.published_version(session, find_policy(session, slug).id)
        return version_of(row, slug) if row is not None else None


def operating_version(database: Database, at: dt.datetime | None = None) -> Version | None:
    """The version tickets are held to at ``at`` (default: now): the version in force
    then of the oldest policy with one."""
    with database.reading() as session:
        found = policies_store.operating_version(session, utc_moment(at))
        return version_of(*found) if found is not None else None


def judging_versions(database: Database, at: dt.datetime | None = None) -> list[Version]:
    """The versions that judge the stored tickets at ``at`` (default: now), by effective
    instant: those of the operating version's policy (or, when none is in force, of the
    oldest policy one was in force in) that have an effective instant. A ticket is
    judged by the last of them effective at or before its creation (``governing``)."""
    moment = utc_moment(at)
    with database.reading() as session:
        policy_id = policies_store.judging_policy_id(session, moment)
        if policy_id is None:
            return []
        rows = policies_store.effective_versions(session, policy_id)
        slug = next(p.slug for p in policies_store.policies(session) if p.id == policy_id)
        return [version_of(row, slug) for row in rows]


def judging_pilots(database: Database, at: dt.datetime | None = None) -> list[Version]:
    """The versions whose pilots judge their group's tickets (``judging_versions``'s
    policy; running, ended, or published; not abandoned), by pilot start: a ticket of
    one's group created in its period is judged under it (docs/lifecycle.md, *Pilots*)."""
    moment = utc_moment(at)
    with database.reading() as session:
        policy_id = policies_store.judging_policy_id(session, moment)
        if policy_id is None:
            return []
        rows = policies_store.judging_pilots(session, policy_id)
        slug = next(p.slug for p in policies_store.policies(session) if p.id == policy_id)
        return [v for v in (version_of(row, slug) for row in rows) if v.pilot is not None]


def last_pilot(database: Database, slug: str) -> Version | None:
    """The policy's most recently started pilot, whatever its outcome."""
    with database.reading() as session:
        row = policies_store.last_pilot(session, find_policy(session, slug).id)
        return version_of(row, slug) if row is not None else None


def governing(versions: list[Version], created_at: dt.datetime) -> Version | None:
    """Which of ``versions`` (``judging_versions``) judges a ticket created at
    ``created_at``: the last effective at or before it; the first for a ticket created
    before any took effect."""
    if not versions:
        return None
    found = [v for v in versions if v.effective_at is not None and v.effective_at <= created_at]
    return found[-1] if found else versions[0]


def operating_version_id(database: Database, max_age: float = 0.0) -> int | None:
    """Only the id of ``operating_version``: one small query, for pages that cache by it.

    With ``max_age`` (seconds), an answer read that recently is given again without a
    query, unless a version came into force or was retired since it was read; a
    lifecycle step taken in this process forgets it at once, one taken by another
    process shows within ``max_age``.
    """
    if max_age > 0:
        known = recent_operating_version_id(database, max_age)
        if known is not None:
            return known[0]
    read_at, moment = time.monotonic(), utc_moment(None)
    with database.reading() as session:
        found = policies_store.operating_version_id(session, moment)
        switch = policies_store.next_switch(session, moment)
    _RECENT[database] = (read_at, found, switch)
    return found


def recent_operating_version_id(database: Database, max_age: float) -> tuple[int | None] | None:
    """``(id,)`` as ``operating_version_id`` read it less than ``max_age`` seconds ago;
    ``None`` when no answer is that recent. Never queries: safe on an event loop."""
    known = _RECENT.get(database)
    if known is None or time.monotonic() - known[0] >= max_age:
        return None
    if known[2] is not None and utc_moment(None) >= known[2]:  # a scheduled switch came
        return None
    return (known[1],)


def forget_operating_version(database: Database) -> None:
    """Drop the remembered answer: the next ``operating_version_id`` queries again."""
    _RECENT.pop(database, None)


# Per database: when the answer was read (monotonic), the id, and the next instant a
# version comes into force or is retired (after which the answer is stale).
_RECENT: weakref.WeakKeyDictionary[Database, tuple[float, int | None, dt.datetime | None]] = (
    weakref.WeakKeyDictionary()
)
