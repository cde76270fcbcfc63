"""What the policy asks of each person now: which version to acknowledge and pass the
quiz of, why, by when, and whether they have.

The chain is the operating policy's versions that have come into force, oldest first.
The first asks everyone; each later one asks again those whom one of its material
changes concerns (``charter.training.material.decide``); a new joiner is asked for the
version in force on their start date, by the new-staff deadline. A later version
acknowledged (or its quiz passed) covers an earlier one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from charter.hours import OpeningHours
from charter.policy.clauses import clause_of, clauses
from charter.policy.clock import opening_hours
from charter.policy.diff import Change
from charter.policy.people import Training
from charter.policy.schema import Policy
from charter.services.lifecycle import Version, judging_versions
from charter.store import Database
from charter.store import training as records
from charter.store.models import StaffProfile, User
from charter.training.deadlines import deadline as deadline_of
from charter.training.material import Decision, Person, decide

State = Literal["done", "due", "overdue", "none"]
DEFAULTS = Training(calendar="24x7")  # pass mark and quiz length when a policy says none


@dataclass(frozen=True)
class Requirement:
    """The version a person must acknowledge and pass the quiz of, and how they stand."""

    version: Version
    reason: Literal["first version", "changed", "joined"]
    concerning: tuple[Change, ...]  # the changes that asked them again ("changed")
    deadline: dt.datetime | None  # none when the policy has no training section
    acknowledged_at: dt.datetime | None
    passed_at: dt.datetime | None

    def state(self, now: dt.datetime) -> State:
        if self.acknowledged_at is not None and self.passed_at is not None:
            return "done"
        return "overdue" if self.deadline is not None and now > self.deadline else "due"

    @property
    def changed_clauses(self) -> list[str]:
        """The clause ids of the changes that asked them again, in policy order."""
        known = {c.id for c in clauses(self.version.policy())}
        found = {clause_of(c.path, known) for c in self.concerning}
        return [c.id for c in clauses(self.version.policy()) if c.id in found]


@dataclass(frozen=True)
class Standing:
    """One person's training: their account, profile and what is asked of them."""

    user: User
    profile: StaffProfile | None
    requirement: Requirement | None  # none while no version is in force
    notice: Decision | None  # the version in force told them "what changed" only


def settings_of(policy: Policy) -> Training:
    """The policy's training section, or the defaults (no deadlines) when it has none."""
    return policy.training if policy.training is not None else DEFAULTS


def person_of(found: StaffProfile | None) -> Person:
    if found is None:
        return Person(role=None, channels=frozenset())
    return Person(role=found.policy_role, channels=frozenset(found.channels or ()))


def chain(database: Database, now: dt.datetime) -> list[Version]:
    """The operating policy's versions in force at or before ``now``, oldest first."""
    return [v for v in judging_versions(database, now) if v.effective_at and v.effective_at <= now]


@lru_cache(maxsize=4096)
def _decision(old: Version, new: Version, person: Person) -> Decision:
    return decide(old.policy(), new.policy(), person)


@lru_cache(maxsize=64)
def hours_of(version: Version, calendar: str) -> OpeningHours:
    """The opening hours of a version's calendar, built once (its holidays are
    computed when it is built, a few milliseconds each time otherwise)."""
    return opening_hours(version.policy(), calendar)


def standings(
    database: Database, now: dt.datetime, user_ids: Sequence[int] | None = None
) -> list[Standing]:
    """How each active account (or those of ``user_ids``) stands at ``now``."""
    versions = chain(database, now)
    with database.reading() as session:
        people = [(u, p) for u, p in records.staff(session) if user_ids is None or u.id in user_ids]
        ids = [u.id for u, _ in people]
        acks = records.acknowledgments(session, ids)
        passes = [a for a in records.attempts(session, ids) if a.passed]
    numbers = {v.id: v.number for v in versions}
    acked: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for a in acks:
        acked[a.user_id].append((numbers.get(a.version_id, a.version_number), a.acknowledged_at))
    passed: dict[int, list[tuple[int, dt.datetime | None]]] = defaultdict(list)
    for attempt in passes:
        passed[attempt.user_id].append((numbers.get(attempt.version_id, 0), attempt.finished_at))
    found = []
    for user, profile in people:
        requirement, notice = _requirement(versions, user, profile, acked[user.id], passed[user.id])
        found.append(Standing(user, profile, requirement, notice))
    return found


def _requirement(
    versions: list[Version],
    user: User,
    profile: StaffProfile | None,
    acked: list[tuple[int, dt.datetime]],
    passed: list[tuple[int, dt.datetime | None]],
) -> tuple[Requirement | None, Decision | None]:
    if not versions:
        return None, None
    person = person_of(profile)
    required, reason = versions[0], "first version"
    concerning: tuple[Change, ...] = ()
    notice = None
    for old, new in zip(versions, versions[1:], strict=False):
        decision = _decision(old, new, person)
        if decision.outcome == "acknowledge":
            required, reason, concerning = new, "changed", decision.concerning
        notice = decision if decision.outcome == "notice" else None
    training = settings_of(required.policy())
    started = profile.started_on if profile is not None else None
    due: dt.datetime | None = None
    hours = None if training is DEFAULTS else hours_of(required, training.calendar)
    if started is not None and required.effective_at is not None:
        zone = ZoneInfo(hours.timezone) if hours is not None else dt.UTC
        start = dt.datetime.combine(started, dt.time(), tzinfo=zone)
        if start > required.effective_at:  # a joiner: the version in force when they start
            live = [v for v in versions if v.effective_at and v.effective_at <= start]
            required = live[-1] if live else required
            reason, concerning, notice = "joined", (), None
            training = settings_of(required.policy())
            if hours is not None:
                due = deadline_of(started, training.new_staff_within, hours)
    if due is None and hours is not None and reason != "joined" and required.effective_at:
        due = deadline_of(required.effective_at, training.acknowledge_within, hours)
    acknowledged = min((at for n, at in acked if n >= required.number), default=None)
    done = min((at for n, at in passed if n >= required.number and at is not None), default=None)
    requirement = Requirement(required, reason, tuple(concerning), due, acknowledged, done)  # type: ignore[arg-type]
    return requirement, notice
