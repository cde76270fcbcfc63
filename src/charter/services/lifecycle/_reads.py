"""Reading policies and versions: lists, one by slug and number, the live versions.

Re-exported by :mod:`charter.services.lifecycle`; use these from there.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> list_policies(db), operating_version(db)
([], None)
"""

from __future__ import annotations

import time
import weakref

from charter.services.lifecycle._find import find_policy, find_version
from charter.services.lifecycle._values import PolicyOverview, Version, overview_of, version_of
from charter.store import Database
from charter.store import policies as policies_store


def list_policies(database: Database) -> list[PolicyOverview]:
    """Every policy, oldest first."""
    with database.reading() as session:
        numbers = policies_store.version_statuses(session)
        rows = policies_store.policies(session)
        return [overview_of(row, numbers[row.id]) for row in rows if numbers.get(row.id)]


def get_policy(database: Database, slug: str) -> PolicyOverview:
    with database.reading() as session:
        policy = find_policy(session, slug)
        return overview_of(policy, policies_store.statuses_of(session, policy.id))


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


def operating_version(database: Database) -> Version | None:
    """The version tickets are held to: the published version of the oldest policy with one."""
    with database.reading() as session:
        found = policies_store.operating_version(session)
        return version_of(*found) if found is not None else None


def operating_version_id(database: Database, max_age: float = 0.0) -> int | None:
    """Only the id of ``operating_version``: one small query, for pages that cache by it.

    With ``max_age`` (seconds), an answer read that recently is given again without a
    query; a lifecycle step taken in this process forgets it at once, one taken by
    another process shows within ``max_age``.
    """
    if max_age > 0:
        known = recent_operating_version_id(database, max_age)
        if known is not None:
            return known[0]
    read_at = time.monotonic()
    with database.reading() as session:
        found = policies_store.operating_version_id(session)
    _RECENT[database] = (read_at, found)
    return found


def recent_operating_version_id(database: Database, max_age: float) -> tuple[int | None] | None:
    """``(id,)`` as ``operating_version_id`` read it less than ``max_age`` seconds ago;
    ``None`` when no answer is that recent. Never queries: safe on an event loop."""
    known = _RECENT.get(database)
    if known is None or time.monotonic() - known[0] >= max_age:
        return None
    return (known[1],)


def forget_operating_version(database: Database) -> None:
    """Drop the remembered answer: the next ``operating_version_id`` queries again."""
    _RECENT.pop(database, None)


_RECENT: weakref.WeakKeyDictionary[Database, tuple[float, int | None]] = weakref.WeakKeyDictionary()
