"""What the lifecycle services return: frozen values, never ORM rows.

>>> from charter.policy.diff import Summary
>>> VersionDiff("acme", 1, 2, [], Summary(0, 0)).summary.total
0
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from charter.policy import LoadedPolicy, Policy
from charter.policy.cache import load_cached
from charter.policy.diff import Change, Summary
from charter.policy.lifecycle import Status
from charter.policy.pilot_group import Pilot, pilot_group
from charter.store.models import PolicyRecord, PolicyVersion, User, VersionComment, VersionEvent


def content_hash(text: str) -> str:
    """SHA-256 of the text in UTF-8, in hex: what a version's hash is.

    >>> content_hash("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PolicyOverview:
    """A policy, with the numbers of its published and latest versions."""

    slug: str
    name: str
    created_at: dt.datetime
    created_by: int | None
    published: int | None
    latest: int
    versions: int
    in_force: int | None = None  # the number of the version in force now


@dataclass(frozen=True)
class Version:
    """One numbered version of a policy: its text, status and who did what when."""

    id: int
    slug: str
    number: int
    status: Status
    text: str
    content_hash: str
    change_summary: str
    based_on: int | None
    author_id: int | None
    reviewer_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    piloted_at: dt.datetime | None
    published_at: dt.datetime | None
    retired_at: dt.datetime | None
    # When it comes into force (its publish instant, or a scheduled one); null while it
    # never did. It is in force from then until ``retired_at`` (docs/lifecycle.md).
    effective_at: dt.datetime | None = None
    # Its pilot's group, period and outcome, once it was moved to pilot with them.
    pilot: Pilot | None = None

    @property
    def file(self) -> str:
        """How diagnostics name this version's text."""
        return f"{self.slug} version {self.number}"

    def loaded(self) -> LoadedPolicy:
        """The text loaded and validated; raises ``PolicyError`` with diagnostics.

        Parsed once per text and kept (:mod:`charter.policy.cache`).
        """
        return load_cached(self.text, self.file)

    def policy(self) -> Policy:
        return self.loaded().policy

    def in_force(self, at: dt.datetime) -> bool:
        """Whether this version is the one in force at ``at``."""
        started = self.effective_at is not None and self.effective_at <= at
        return started and (self.retired_at is None or at < self.retired_at)

    def scheduled(self, at: dt.datetime) -> bool:
        """Whether it was published to take effect after ``at``."""
        return self.effective_at is not None and self.effective_at > at


@dataclass(frozen=True)
class Event:
    """One step in a version's audit trail."""

    id: int
    number: int
    action: str
    from_status: str | None
    to_status: str
    actor_id: int | None
    actor_name: str | None
    note: str
    at: dt.datetime


@dataclass(frozen=True)
class Comment:
    """A staff comment on a version, optionally about one clause."""

    id: int
    number: int
    author_id: int | None
    author_name: str | None
    clause: str | None
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class VersionDiff:
    """The changes from version ``old`` to version ``new`` of one policy."""

    slug: str
    old: int
    new: int
    changes: list[Change]
    summary: Summary


def version_of(row: PolicyVersion, slug: str) -> Version:
    return Version(
        id=row.id,
        slug=slug,
        number=row.number,
        status=row.status,  # type: ignore[arg-type]  # the CHECK constraint holds it to Status
        text=row.text,
        content_hash=row.content_hash,
        change_summary=row.change_summary,
        based_on=row.based_on,
        author_id=row.author_id,
        reviewer_id=row.reviewer_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        approved_at=row.approved_at,
        piloted_at=row.piloted_at,
        published_at=row.published_at,
        retired_at=row.retired_at,
        effective_at=row.effective_at,
        pilot=pilot_of(row),
    )


def pilot_of(row: PolicyVersion) -> Pilot | None:
    """The version's pilot, if it was moved to pilot with a group and period."""
    if row.pilot_kind is None or row.pilot_starts_at is None or row.pilot_ends_at is None:
        return None
    group = pilot_group(row.pilot_kind, row.pilot_values or [])
    outcome = row.pilot_outcome if row.pilot_outcome in ("published", "abandoned") else None
    return Pilot(group, row.pilot_starts_at, row.pilot_ends_at, outcome)  # type: ignore[arg-type]


def overview_of(
    row: PolicyRecord, numbers: list[tuple[int, str]], in_force: int | None = None
) -> PolicyOverview:
    """``numbers`` holds each version's (number, status); ``in_force`` the number of the
    version in force now."""
    published = [number for number, status in numbers if status == "published"]
    return PolicyOverview(
        slug=row.slug,
        name=row.name,
        created_at=row.created_at,
        created_by=row.created_by,
        published=published[0] if published else None,
        latest=max(number for number, _ in numbers),
        versions=len(numbers),
        in_force=in_force,
    )


def event_of(row: VersionEvent, number: int, actor: User | None) -> Event:
    return Event(
        id=row.id,
        number=number,
        action=row.action,
        from_status=row.from_status,
        to_status=row.to_status,
        actor_id=row.actor_id,
        actor_name=actor.name if actor else None,
        note=row.note,
        at=row.at,
    )


def comment_of(row: VersionComment, number: int, author: User | None) -> Comment:
    return Comment(
        id=row.id,
        number=number,
        author_id=row.author_id,
        author_name=author.name if author else None,
        clause=row.clause,
        body=row.body,
        created_at=row.created_at,
    )
