"""Complaint cases: one per ticket, their stages, extensions and notices, and their KPIs.

Every function takes the session and never commits; the complaints service owns the
transaction. A case is opened at most once per ticket (``ticket_id`` is unique: a
second worker's insert is a no-op, ``open_case`` returns None); a change to a case is
made while holding it (``hold_case``: the case's row locked on PostgreSQL, SQLite's
one write lock taken first), so two requests about one case run one after the other;
a notice is written at most once per stage, deadline, kind and deadline instant
(``claim_notice``, the key of ``complaint_notices``).

How a stage's deadline was kept (``kept``) is one function, used by the list's
filters; the KPIs (``charter.store.complaint_kpis``, re-exported here) count it in SQL
by the same rule, so a figure and the list it links to count the same cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from charter.store.complaint_kpis import KpiRow, complaint_kpis
from charter.store.models import (
    ComplaintCase,
    ComplaintExtension,
    ComplaintNotice,
    ComplaintStageRecord,
    Ticket,
    User,
)

__all__ = [
    "MEASURES", "CaseRecord", "ExtensionRecord", "KpiRow", "StageRow", "add_extension",
    "add_stage", "candidates", "claim_notice", "close_case", "complaint_kpis", "hold_case",
    "kept", "load_case", "load_cases", "open_case", "set_stage", "ticket_ref",
    "user_names",
]  # fmt: skip

# The outcomes a deadline's measure can take; the list filters by ``<deadline>_<outcome>``.
MEASURES = ("acknowledged_within", "acknowledged_late", "answered_within", "answered_late")


def kept(done_at: dt.datetime | None, due_at: dt.datetime | None, now: dt.datetime) -> str | None:
    """``within`` (done by its deadline), ``late`` (done after it, or not done and the
    deadline passed), or None (no deadline, or not done and not due yet)."""
    if due_at is None:
        return None
    if done_at is not None:
        return "within" if done_at <= due_at else "late"
    return "late" if now > due_at else None


@dataclass
class ExtensionRecord:
    """An extension as stored."""

    deadline: str
    days: int
    reason: str
    granted_by: str
    granted_at: dt.datetime


@dataclass
class StageRow:
    """One stage a case reached, as stored, with its people's names."""

    id: int
    position: int
    stage_id: str
    received_at: dt.datetime
    escalation_reason: str | None
    handler_id: int | None
    handler: str
    acknowledged_at: dt.datetime | None
    acknowledged_by: str
    responded_at: dt.datetime | None
    responded_by_id: int | None
    responded_by: str
    acknowledge_due_at: dt.datetime | None
    respond_due_at: dt.datetime
    extensions: list[ExtensionRecord] = field(default_factory=list)

    def overdue(self, now: dt.datetime) -> bool:
        """Whether a deadline of this stage passed with its step not done."""
        ack = self.acknowledged_at is None and kept(None, self.acknowledge_due_at, now) == "late"
        return ack or (self.responded_at is None and now > self.respond_due_at)

    def measure(self, name: str, now: dt.datetime) -> bool:
        """Whether this stage counts in ``name`` (one of ``MEASURES``) at ``now``."""
        step, outcome = name.split("_")
        if step == "acknowledged":
            return kept(self.acknowledged_at, self.acknowledge_due_at, now) == outcome
        return kept(self.responded_at, self.respond_due_at, now) == outcome


@dataclass
class CaseRecord:
    """A case as stored, with its ticket's reference and its stages in order."""

    id: int
    ticket_id: int
    ticket_ref: str
    version_id: int
    received_at: dt.datetime
    stage: int
    state: str
    opened_by: str
    opened_because: str
    closed_at: dt.datetime | None
    stages: list[StageRow]

    @property
    def current(self) -> StageRow:
        """The stage the case is at."""
        return next(s for s in self.stages if s.position == self.stage)


def ticket_ref(session: Session, ref: str) -> tuple[int, str, dt.datetime] | None:
    """The ticket a person names (the helpdesk's id, or Charter's number): its id, its
    helpdesk id and its creation instant; None when no ticket has it."""
    query = select(Ticket.id, Ticket.source_id, Ticket.created_at)
    found = session.execute(query.where(Ticket.source_id == ref).order_by(Ticket.id)).first()
    if found is None and ref.isdigit() and len(ref) < 19:
        found = session.execute(query.where(Ticket.id == int(ref))).first()
    return (int(found[0]), str(found[1]), found[2]) if found is not None else None


def candidates(
    session: Session, tags: Sequence[str], categories: Sequence[str], since: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """Tickets created at or after ``since`` with one of ``tags`` or in one of
    ``categories`` and no case yet: their ids and creation instants, oldest first. The
    tags are matched in the stored JSON text first, then exactly."""
    if not tags and not categories:
        return []
    case = select(ComplaintCase.id).where(ComplaintCase.ticket_id == Ticket.id)
    rough = [Ticket.category.in_(list(categories))] if categories else []
    rough += [Ticket.tags.cast(Text()).contains(f'"{tag}"') for tag in tags]
    query = (
        select(Ticket.id, Ticket.created_at, Ticket.tags, Ticket.category)
        .where(Ticket.created_at >= since, ~case.exists(), or_(*rough))
        .order_by(Ticket.created_at, Ticket.id)
    )
    wanted, kinds = set(tags), set(categories)
    return [
        (int(i), created)
        for i, created, found_tags, category in session.execute(query)
        if category in kinds or wanted.intersection(found_tags or [])
    ]


def ticket_labels(
    session: Session, ticket_ids: Sequence[int]
) -> dict[int, tuple[list[str], str | None]]:
    """The tags and category of each of ``ticket_ids`` (which a complaint's track is
    chosen from), in one query."""
    if not ticket_ids:
        return {}
    query = select(Ticket.id, Ticket.tags, Ticket.category).where(Ticket.id.in_(list(ticket_ids)))
    return {
        int(i): ([str(t) for t in tags or []], category)
        for i, tags, category in session.execute(query)
    }


def open_case(
    session: Session, *, ticket_id: int, version_id: int, received_at: dt.datetime,
    opened_by: int | None, because: str, stage_id: str, acknowledge_due_at: dt.datetime | None,
    respond_due_at: dt.datetime, now: dt.datetime,
) -> int | None:  # fmt: skip
    """Open the ticket's case at its first stage; its id, or None when the ticket has
    one already (opened by another worker or person too)."""
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        module.insert(ComplaintCase)
        .values(ticket_id=ticket_id, version_id=version_id, received_at=received_at, stage=1,
                state="open", opened_by=opened_by, opened_because=because, created_at=now)
        .on_conflict_do_nothing(index_elements=["ticket_id"])
        .returning(ComplaintCase.id)
    )  # fmt: skip
    case_id = session.execute(statement).scalar()
    if case_id is None:
        return None
    add_stage(session, case_id=int(case_id), position=1, stage_id=stage_id,
              received_at=received_at, reason=None, handler_id=None,
              acknowledge_due_at=acknowledge_due_at, respond_due_at=respond_due_at)  # fmt: skip
    return int(case_id)


def case_of_ticket(session: Session, ticket_id: int) -> int | None:
    """The id of the ticket's case, if it has one."""
    found = session.scalar(select(ComplaintCase.id).where(ComplaintCase.ticket_id == ticket_id))
    return int(found) if found is not None else None


def hold_case(session: Session, case_id: int) -> bool:
    """Make this transaction the only one changing the case until it ends (PostgreSQL
    locks its row; SQLite takes its write lock before anything is read); whether the
    case exists."""
    if session.get_bind().dialect.name == "sqlite":
        driver = session.connection().connection.dbapi_connection
        if not getattr(driver, "in_transaction", True):  # the driver begins lazily
            session.execute(text("BEGIN IMMEDIATE"))
        query = select(ComplaintCase.id).where(ComplaintCase.id == case_id)
    else:
        query = select(ComplaintCase.id).where(ComplaintCase.id == case_id).with_for_update()
    return session.execute(query).first() is not None


def add_stage(
    session: Session, *, case_id: int, position: int, stage_id: str, received_at: dt.datetime,
    reason: str | None, handler_id: int | None, acknowledge_due_at: dt.datetime | None,
    respond_due_at: dt.datetime,
) -> None:  # fmt: skip
    """Add the case's stage at ``position`` and make it the current one."""
    session.execute(
        insert(ComplaintStageRecord).values(
            case_id=case_id, position=position, stage_id=stage_id, received_at=received_at,
            escalation_reason=reason, handler_id=handler_id,
            acknowledge_due_at=acknowledge_due_at, respond_due_at=respond_due_at,
        )
    )  # fmt: skip
    session.execute(update(ComplaintCase).where(ComplaintCase.id == case_id).values(stage=position))


def set_stage(session: Session, stage_row_id: int, **values: Any) -> None:
    """Write a stage's changed columns (acknowledged, responded, handler, deadlines)."""
    row = ComplaintStageRecord
    session.execute(update(row).where(row.id == stage_row_id).values(**values))


def add_extension(
    session: Session, *, stage_row_id: int, deadline: str, days: int, reason: str,
    granted_by: int | None, at: dt.datetime,
) -> None:  # fmt: skip
    """Record an extension of one of a stage's deadlines."""
    session.execute(
        insert(ComplaintExtension).values(
            stage_row_id=stage_row_id, deadline=deadline, days=days, reason=reason,
            granted_by=granted_by, granted_at=at,
        )
    )  # fmt: skip


def close_case(session: Session, case_id: int, by: int | None, at: dt.datetime) -> None:
    """Close the case."""
    session.execute(
        update(ComplaintCase)
        .where(ComplaintCase.id == case_id)
        .values(state="closed", closed_at=at, closed_by=by)
    )


def claim_notice(
    session: Session, stage_row_id: int, deadline: str, kind: str, due_at: dt.datetime,
    now: dt.datetime,
) -> bool:  # fmt: skip
    """Record that the notice is written; False when it was already (by another worker
    too), and then it must not be written again."""
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        module.insert(ComplaintNotice)
        .values(stage_row_id=stage_row_id, deadline=deadline, kind=kind, due_at=due_at,
                written_at=now)
        .on_conflict_do_nothing()
        .returning(ComplaintNotice.stage_row_id)
    )  # fmt: skip
    return session.execute(statement).first() is not None


def user_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """The names of the accounts ``ids``."""
    if not ids:
        return {}
    query = select(User.id, User.name).where(User.id.in_(sorted(set(ids))))
    return {int(i): str(n) for i, n in session.execute(query)}


def load_case(session: Session, case_id: int) -> CaseRecord | None:
    """The case, or None when there is none with that id."""
    found = load_cases(session, [case_id])
    return found[0] if found else None


def load_cases(
    session: Session, case_ids: Sequence[int] | None = None, *, open_only: bool = False
) -> list[CaseRecord]:
    """The cases ``case_ids`` (every case when None; only open ones with ``open_only``),
    by receipt: three queries in all, each picking its rows by the same subquery (no list
    of ids is sent, so there is no limit on how many cases are read)."""
    c, s, e = ComplaintCase, ComplaintStageRecord, ComplaintExtension
    picked = select(c.id)
    if case_ids is not None:
        picked = picked.where(c.id.in_(list(case_ids)))
    if open_only:
        picked = picked.where(c.state == "open")
    query = select(c, Ticket.source_id).join(Ticket, Ticket.id == c.ticket_id, isouter=True)
    query = query.where(c.id.in_(picked))
    fresh = {"populate_existing": True}  # rows changed in this transaction read as they are now
    cases = list(session.execute(query.order_by(c.received_at, c.id), execution_options=fresh))
    stages = list(session.scalars(
        select(s).where(s.case_id.in_(picked)).order_by(s.case_id, s.position),
        execution_options=fresh))  # fmt: skip
    extensions = list(session.scalars(
        select(e).join(s, s.id == e.stage_row_id).where(s.case_id.in_(picked))
        .order_by(e.granted_at, e.id)))  # fmt: skip
    people = [row.opened_by for row, _ in cases]
    people += [v for r in stages for v in (r.handler_id, r.acknowledged_by, r.responded_by)]
    people += [x.granted_by for x in extensions]
    names = user_names(session, [p for p in people if p is not None])
    by_stage: dict[int, list[ExtensionRecord]] = {}
    for x in extensions:
        by_stage.setdefault(x.stage_row_id, []).append(ExtensionRecord(
            x.deadline, x.days, x.reason, _name(names, x.granted_by), x.granted_at))  # fmt: skip
    by_case: dict[int, list[StageRow]] = {}
    for r in stages:
        by_case.setdefault(r.case_id, []).append(_stage(r, names, by_stage.get(r.id, [])))
    return [
        CaseRecord(
            id=row.id, ticket_id=row.ticket_id, ticket_ref=ref or str(row.ticket_id),
            version_id=row.version_id, received_at=row.received_at, stage=row.stage,
            state=row.state,
            opened_by=_name(names, row.opened_by) if row.opened_by else "the worker",
            opened_because=row.opened_because, closed_at=row.closed_at,
            stages=by_case.get(row.id, []),
        )
        for row, ref in cases
    ]  # fmt: skip


def _name(names: dict[int, str], user_id: int | None) -> str:
    return names.get(user_id, "a removed account") if user_id is not None else ""


def _stage(r: ComplaintStageRecord, names: dict[int, str], ext: list[ExtensionRecord]
           ) -> StageRow:  # fmt: skip
    return StageRow(
        id=r.id, position=r.position, stage_id=r.stage_id, received_at=r.received_at,
        escalation_reason=r.escalation_reason, handler_id=r.handler_id,
        handler=_name(names, r.handler_id), acknowledged_at=r.acknowledged_at,
        acknowledged_by=_name(names, r.acknowledged_by), responded_at=r.responded_at,
        responded_by_id=r.responded_by, responded_by=_name(names, r.responded_by),
        acknowledge_due_at=r.acknowledge_due_at, respond_due_at=r.respond_due_at,
        extensions=ext,
    )  # fmt: skip
