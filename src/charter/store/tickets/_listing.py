"""Stored tickets as people look them up: a page of them with each one's SLA status and
due instant per metric, how many the filters keep, and one ticket with its SLA state
and the policy version that state was computed under.

A page is two queries whatever its size, its rows and its count. The SLA status filter
keeps a ticket when *any* of its metrics has that status; a ticket without SLA state
matches no status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.store.models import PolicyRecord, PolicyVersion, SlaState, Ticket

_STATES = SlaState.__table__
_STATUS_COLUMNS = [_STATES.c[f"{metric}_status"] for metric in METRICS]
_DUE_COLUMNS = [_STATES.c[f"{metric}_due_at"] for metric in METRICS]


# The SLA statuses from worst to best: a ticket's worst status is the first of these
# that one of its metrics has.
WORST_FIRST = ("breached", "at_risk", "pending", "met", "none")


@dataclass(frozen=True)
class TicketFilter:
    """Which stored tickets a list keeps: any SLA status, channel and team given; the
    priority; ``worst``: the worst status among the ticket's metrics (``at_risk``: a
    clock at risk and none breached); ``open_only``: not solved (no ``solved_at``, as
    the dashboard counts open tickets); created in ``[created_from, created_before)``."""

    sla_status: str | None = None
    channel: str | None = None
    team: str | None = None
    priority: str | None = None
    worst: str | None = None
    open_only: bool = False
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None


class ListedTicket(NamedTuple):
    """A stored ticket with its SLA status and due instant per metric (None where its
    state has none, or it has no state)."""

    ticket: Ticket
    statuses: dict[str, str | None]
    due: dict[str, dt.datetime | None]


class JudgingVersion(NamedTuple):
    """The policy version an SLA state was computed under."""

    slug: str
    number: int
    status: str
    text: str


class StateVersion(NamedTuple):
    """A ticket's SLA state row and the version it names (None when that version's
    policy was deleted since)."""

    computed_at: dt.datetime
    rule_id: str | None
    version: JudgingVersion | None


def ticket_page(
    session: Session, chosen: TicketFilter, *, limit: int, offset: int
) -> list[ListedTicket]:
    """The ``limit`` tickets ``chosen`` keeps after the first ``offset``, newest first
    (``created_at`` descending, then id descending, so the order is total)."""
    ids = (
        select(Ticket.id)
        .where(*_conditions(chosen))
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    query = (
        select(Ticket, *_STATUS_COLUMNS, *_DUE_COLUMNS)
        .join(ids, ids.c.id == Ticket.id)
        .outerjoin(_STATES, _STATES.c.ticket_id == Ticket.id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
    )
    return [_listed(ticket, columns) for ticket, *columns in session.execute(query)]


def count_tickets(session: Session, chosen: TicketFilter | None = None) -> int:
    """How many stored tickets ``chosen`` keeps (all of them without it)."""
    query = select(func.count()).select_from(Ticket).where(*_conditions(chosen or TicketFilter()))
    return session.scalar(query) or 0


def ticket_by_id(session: Session, ticket_id: int) -> Ticket | None:
    """The stored ticket with this store id, or None."""
    return session.get(Ticket, ticket_id)


def sla_state_of(session: Session, ticket_id: int) -> dict[str, Any] | None:
    """The ticket's ``sla_states`` row by column name, or None when it has none."""
    row = session.execute(select(_STATES).where(_STATES.c.ticket_id == ticket_id)).first()
    return dict(row._mapping) if row is not None else None


def sla_state_version(session: Session, ticket_id: int) -> StateVersion | None:
    """The ticket's SLA state row (even one whose metrics are all empty: no rule
    matched) with the version it names; None when the ticket has no state."""
    query = (
        select(_STATES.c.computed_at, _STATES.c.rule_id, PolicyRecord.slug,
               PolicyVersion.number, PolicyVersion.status, PolicyVersion.text)
        .outerjoin(PolicyVersion, PolicyVersion.id == _STATES.c.version_id)
        .outerjoin(PolicyRecord, PolicyRecord.id == PolicyVersion.policy_id)
        .where(_STATES.c.ticket_id == ticket_id)
    )  # fmt: skip
    row = session.execute(query).first()
    if row is None:
        return None
    computed_at, rule_id, slug, *named = row
    version = JudgingVersion(slug, *named) if slug is not None else None
    return StateVersion(computed_at, rule_id, version)


def _conditions(chosen: TicketFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if chosen.channel is not None:
        conditions.append(Ticket.channel == chosen.channel)
    if chosen.team is not None:
        conditions.append(Ticket.team == chosen.team)
    if chosen.priority is not None:
        conditions.append(Ticket.priority == chosen.priority)
    if chosen.open_only:
        conditions.append(Ticket.solved_at.is_(None))
    if chosen.created_from is not None:
        conditions.append(Ticket.created_at >= chosen.created_from)
    if chosen.created_before is not None:
        conditions.append(Ticket.created_at < chosen.created_before)
    if chosen.worst is not None:
        conditions.append(Ticket.id.in_(_worst(chosen.worst)))
    if chosen.sla_status is not None:
        matching = select(_STATES.c.ticket_id).where(
            or_(*(column == chosen.sla_status for column in _STATUS_COLUMNS))
        )
        conditions.append(Ticket.id.in_(matching))
    return conditions


def _worst(status: str) -> Select[tuple[int]]:
    """The ids of tickets one of whose metrics has ``status`` and none a worse one."""
    worse = WORST_FIRST[: WORST_FIRST.index(status)]
    has = [func.coalesce(column, "") for column in _STATUS_COLUMNS]
    query = select(_STATES.c.ticket_id).where(or_(*(value == status for value in has)))
    if worse:
        query = query.where(*(value.not_in(worse) for value in has))
    return query


def _listed(ticket: Ticket, columns: list[Any]) -> ListedTicket:
    """A page row: the ticket, then its status columns and due columns in ``METRICS`` order."""
    statuses, dues = columns[: len(METRICS)], columns[len(METRICS) :]
    return ListedTicket(
        ticket, dict(zip(METRICS, statuses, strict=True)), dict(zip(METRICS, dues, strict=True))
    )
