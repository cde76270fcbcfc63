"""Acknowledging a version, staff profiles, and the results a manager reads: per
person, per clause (the share of people who answered it wrong) and per team, as
figures, as CSV and as xAPI statements for a learning record store.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from charter import clock
from charter.errors import Conflict, InvalidInput, NotFound
from charter.excerpt import excerpt
from charter.policy.clauses import clauses
from charter.publish.spreadsheet import as_text
from charter.services.training._onboarding import sections_to_read
from charter.services.training._standing import Standing, State, chain, standings
from charter.store import Database
from charter.store import training as records
from charter.training import xapi

STATES: tuple[State, ...] = ("done", "due", "overdue", "none")


def acknowledge(
    database: Database, user_id: int, number: int, content_hash: str,
    now: dt.datetime | None = None,
) -> bool:  # fmt: skip
    """Record that the person read and acknowledges version ``number`` as its hash
    ``content_hash`` says they saw it; False when they had already. A version not in
    force, or a hash of another text, is refused: they must read the text in force."""
    moment = clock.utc_moment(now)
    version = next((v for v in chain(database, moment) if v.number == number), None)
    if version is None or not version.in_force(moment):
        raise Conflict(f"version {number} is not the one in force; read the version in force "
                       "and acknowledge that")  # fmt: skip
    if content_hash != version.content_hash:
        raise Conflict(f"the text you read is not version {number} as published (its hash "
                       "differs); reload the page and read it again")  # fmt: skip
    with database.transaction() as session:
        return records.add_acknowledgment(session, user_id=user_id, version_id=version.id,
                                          number=number, content_hash=content_hash,
                                          at=moment)  # fmt: skip


def set_profile(
    database: Database, user_id: int, *, policy_role: str | None, channels: Sequence[str],
    team: str | None, manager_id: int | None, started_on: dt.date | None,
) -> None:  # fmt: skip
    """Write what training needs to know about an account; a role the policy in force
    does not have, or a manager who is no account, is refused naming it."""
    versions = chain(database, clock.now())
    policy = versions[-1].policy() if versions else None
    roles = [r.id for r in policy.staff.roles] if policy and policy.staff else []
    if policy_role is not None and roles and policy_role not in roles:
        raise InvalidInput(f"role {policy_role[:80]!r} is not a staff role of the policy; use one "
                           f"of {', '.join(roles)}", [{"field": "policy_role",
                                                       "problem": "unknown role"}])  # fmt: skip
    unknown = [c for c in channels if not c.isidentifier() or len(c) > 40]
    if unknown:
        raise InvalidInput(f"channel {unknown[0][:40]!r} is not a channel name",
                           [{"field": "channels", "problem": "not a channel"}])  # fmt: skip
    known = {s.user.id for s in standings(database, clock.now())}
    if user_id not in known:
        raise NotFound(f"no active account {user_id}")
    if manager_id is not None and (manager_id not in known or manager_id == user_id):
        raise InvalidInput(f"manager {manager_id} is not another active account",
                           [{"field": "manager_id", "problem": "not an account"}])  # fmt: skip
    with database.transaction() as session:
        records.put_profile(session, user_id, policy_role=policy_role,
                            channels=sorted(set(channels)), team=(team or None),
                            manager_id=manager_id, started_on=started_on)  # fmt: skip


@dataclass(frozen=True)
class PersonRow:
    """One person's line of the managers' page and the CSV."""

    user_id: int
    name: str
    email: str
    team: str
    role: str
    version: int | None
    reason: str
    deadline: dt.datetime | None
    acknowledged_at: dt.datetime | None
    passed_at: dt.datetime | None
    attempts: int
    best_score: float | None
    state: State
    sections_read: int = 0  # of the onboarding checklist's sections
    sections: int = 0


@dataclass(frozen=True)
class ClauseRow:
    clause_id: str
    heading: str
    people: int
    people_wrong: int
    answers: int
    wrong: int

    @property
    def share_wrong(self) -> float | None:
        return self.people_wrong / self.people if self.people else None


@dataclass(frozen=True)
class TeamRow:
    team: str
    people: int
    done: int
    overdue: int

    @property
    def completion(self) -> float | None:
        return self.done / self.people if self.people else None


@dataclass(frozen=True)
class Results:
    people: list[PersonRow]
    clauses: list[ClauseRow]
    teams: list[TeamRow]


def results(
    database: Database, *, team: str | None = None, role: str | None = None,
    state: str | None = None, now: dt.datetime | None = None,
) -> Results:  # fmt: skip
    """The managers' figures, for the people the filters keep (each filter optional)."""
    if state is not None and state not in STATES:
        raise InvalidInput(f"state {state[:20]!r} is not one of {', '.join(STATES)}",
                           [{"field": "state", "problem": "unknown state"}])  # fmt: skip
    moment = clock.utc_moment(now)
    people = standings(database, moment)
    with database.reading() as session:
        tries = records.attempts(session)
        read = records.reads_of(session, [s.user.id for s in people])
    scores: dict[int, list[float]] = defaultdict(list)  # each finished quiz's score
    for attempt in tries:
        if attempt.score is not None:
            scores[attempt.user_id].append(attempt.score)
    rows = [_row(s, moment, read, scores[s.user.id]) for s in people]
    kept = [r for r in rows if (team is None or r.team == team) and (role is None or r.role == role)
            and (state is None or r.state == state)]  # fmt: skip
    ids = [r.user_id for r in kept]
    versions = chain(database, moment)
    headings = {c.id: c.heading for c in clauses(versions[-1].policy())} if versions else {}
    with database.reading() as session:
        tallies = records.clause_tallies(session, user_ids=ids)
    by_clause = [ClauseRow(t.clause_id, headings.get(t.clause_id, t.clause_id), t.people,
                           t.people_wrong, t.answers, t.wrong) for t in tallies]  # fmt: skip
    teams: dict[str, list[PersonRow]] = {}
    for r in kept:
        teams.setdefault(r.team, []).append(r)
    by_team = [
        TeamRow(name, len(p), sum(r.state == "done" for r in p),
                sum(r.state == "overdue" for r in p))
        for name, p in sorted(teams.items())
    ]  # fmt: skip
    return Results(kept, by_clause, by_team)


def _row(
    standing: Standing, now: dt.datetime, read: dict[tuple[int, int], set[str]],
    scores: list[float],
) -> PersonRow:  # fmt: skip
    profile, required = standing.profile, standing.requirement
    wanted = sections_to_read(required, profile) if required else []
    done = read.get((standing.user.id, required.version.id), set()) if required else set()
    return PersonRow(
        user_id=standing.user.id, name=standing.user.name, email=standing.user.email,
        team=(profile.team if profile and profile.team else ""),
        role=(profile.policy_role if profile and profile.policy_role else ""),
        version=required.version.number if required else None,
        reason=required.reason if required else "",
        deadline=required.deadline if required else None,
        acknowledged_at=required.acknowledged_at if required else None,
        passed_at=required.passed_at if required else None,
        attempts=len(scores), best_score=max(scores, default=None),
        state=required.state(now) if required else "none",
        sections_read=len(done & set(wanted)), sections=len(wanted),
    )  # fmt: skip


CSV_COLUMNS = ("name", "email", "team", "role", "version", "reason", "deadline",
               "sections_read", "sections", "acknowledged_at", "passed_at", "attempts",
               "best_score", "state")  # fmt: skip


def results_csv(found: Results) -> str:
    """The people of ``found`` as CSV, one row each; instants in UTC, ISO 8601. A cell
    that a spreadsheet would run as a formula is written as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in found.people:
        values: list[Any] = [r.name, r.email, r.team, r.role, r.version, r.reason,
                             r.deadline, r.sections_read, r.sections, r.acknowledged_at,
                             r.passed_at, r.attempts, r.best_score, r.state]  # fmt: skip
        writer.writerow([_cell(v) for v in values])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, float):
        return f"{value:.4f}"
    return as_text(str(value))  # a cell a spreadsheet would run is written as text


def base_url_problem(base_url: str | None) -> str | None:
    """Why ``base_url`` cannot name the statements' activities (they are addresses
    under it), or None when it is an http(s) address."""
    parts = urlsplit(base_url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    now = f"it is {excerpt(base_url)!r}" if base_url else "it is not set"
    return (
        "the statements' activity ids are addresses on the Charter server, and "
        f"CHARTER_BASE_URL gives none ({now}); set it to the address people reach Charter "
        "at, e.g. CHARTER_BASE_URL=https://charter.example.com"
    )


def statements(
    database: Database, base_url: str | None, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Every acknowledgment, answer and finished quiz as an xAPI statement, oldest
    first; a ``Conflict`` naming CHARTER_BASE_URL when it is no http(s) address."""
    problem = base_url_problem(base_url)
    if problem is not None or base_url is None:
        raise Conflict(problem or "CHARTER_BASE_URL is not set")
    moment = clock.utc_moment(now)
    base = base_url.rstrip("/")
    people = {s.user.id: s.user for s in standings(database, moment)}
    numbers = {v.id: v.number for v in chain(database, moment)}
    with database.reading() as session:
        acks = records.acknowledgments(session)
        answers = records.answers_of(session)
        tries = [a for a in records.attempts(session) if a.finished_at is not None]
    found: list[tuple[dt.datetime, dict[str, Any]]] = []
    for a in acks:
        if a.user_id in people:
            actor = xapi.Actor(people[a.user_id].name, people[a.user_id].email)
            found.append(
                (
                    a.acknowledged_at,
                    xapi.acknowledged(
                        actor, a.version_number, a.content_hash, a.acknowledged_at, base
                    ),
                )
            )
    for q in answers:
        if q.user_id in people:
            actor = xapi.Actor(people[q.user_id].name, people[q.user_id].email)
            found.append(
                (
                    q.answered_at,
                    xapi.answered(
                        actor,
                        q.clause_id,
                        q.question_id,
                        q.prompt,
                        q.response,
                        q.correct,
                        q.answered_at,
                        base,
                    ),
                )
            )
    for t in tries:
        known = t.user_id in people and t.version_id in numbers
        if known and t.finished_at is not None and t.score is not None:
            actor = xapi.Actor(people[t.user_id].name, people[t.user_id].email)
            found.append(
                (
                    t.finished_at,
                    xapi.quiz_result(
                        actor,
                        numbers.get(t.version_id, 0),
                        t.score,
                        bool(t.passed),
                        t.finished_at,
                        base,
                    ),
                )
            )
    return [s for _, s in sorted(found, key=lambda pair: pair[0])]
