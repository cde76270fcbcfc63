"""Stored tickets as people look them up: a page of them with each one's SLA status and
due instant per metric, how many the filters keep, the values the filters offer, and
one ticket with its SLA state and the policy version that state was computed under.

A page is two queries whatever its size, its rows and its count, sorted in SQL by one
of ``SORTS`` (``_order``). The SLA status filter keeps a ticket when *any* of its
metrics has that status; a ticket without SLA state matches no status. Channel,
priority, team and assignee match whatever the case (``lower`` on both sides, in the
database, so "Email" and "email" are one value).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.store.models import PolicyRecord, PolicyVersion, Ticket
from charter.store.tickets._order import (
    DUE_COLUMNS,
    STATES,
    STATUS_COLUMNS,
    WORST_FIRST,
    next_due,
    sort_keys,
)

_STATES = STATES
_STATUS_COLUMNS = STATUS_COLUMNS
_DUE_COLUMNS = DUE_COLUMNS
# The columns whose values the list's filters offer, matched whatever the case.
CHOICE_COLUMNS = ("channel", "priority", "team", "assignee")
_LARGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class TicketFilter:
    """Which stored tickets a list keeps: any SLA status, channel and team given; the
    priority; ``worst``: the worst status among the ticket's metrics (``at_risk``: a
    clock at risk and none breached); ``open_only``: not solved (no ``solved_at``, as
    the dashboard counts open tickets), ``solved_only`` the others; created in
    ``[created_from, created_before)``; the assignee, or any of ``assignees`` (a
    person's own names, "my tickets"); ``search``: a store id or a helpdesk id;
    the next due instant in ``[due_from, due_before)``. Text values match whatever
    the case."""

    sla_status: str | None = None
    channel: str | None = None
    team: str | None = None
    priority: str | None = None
    worst: str | None = None
    open_only: bool = False
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None
    solved_only: bool = False
    assignee: str | None = None
    assignees: tuple[str, ...] | None = None
    search: str | None = None
    due_from: dt.datetime | None = None
    due_before: dt.datetime | None = None


class Choice(NamedTuple):
    """A value a filter offers: its key (lower case, as the database lowers it), one
    spelling the tickets use, and how many tickets have it."""

    key: str
    shown: str
    tickets: int


class ListedTicket(NamedTuple):
    """A stored ticket with its SLA status and due instant per metric (None where its
    state has none, or it has no state)."""

    ticket: Ticket
    statuses: dict[str, str | None]
    due: dict[str, dt.datetime | None]
    next_due: dt.datetime | None = None


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
    session: Session,
    chosen: TicketFilter,
    *,
    limit: int,
    offset: int,
    order: str = "due",
    descending: bool = False,
) -> list[ListedTicket]:
    """The ``limit`` tickets ``chosen`` keeps after the first ``offset``, sorted by
    ``order`` (``_order.SORTS``; ``due``: unsolved first, soonest due first)."""
    if order == "due":
        ids = ordered_ids(session, chosen, limit=limit, offset=offset, order=order,
                          descending=descending)  # fmt: skip
        return listed_by_ids(session, ids)
    dialect = _dialect(session)
    kept = _ordered(session, chosen, order, descending).limit(limit).offset(offset).subquery()
    query = (
        select(Ticket, next_due(dialect), *_STATUS_COLUMNS, *_DUE_COLUMNS)
        .join(kept, kept.c.id == Ticket.id)
        .outerjoin(_STATES, _STATES.c.ticket_id == Ticket.id)
        .order_by(*sort_keys(order, descending, dialect))
    )
    return [_listed(ticket, due, columns) for ticket, due, *columns in session.execute(query)]


def ordered_ids(
    session: Session,
    chosen: TicketFilter,
    *,
    limit: int,
    offset: int = 0,
    order: str = "due",
    descending: bool = False,
) -> list[int]:
    """The ids of the tickets ``chosen`` keeps, in the list's order, from ``offset``.

    By ``due`` the unsolved tickets come first and the solved ones after them, newest
    first (they have no next due): read as two queries, the unsolved ones (few, found by
    the ``solved_at`` index) sorted by their next due, then the solved ones by the
    creation index, rather than one sort of every ticket."""
    if order != "due" or chosen.open_only or chosen.solved_only:
        query = _ordered(session, chosen, order, descending).limit(limit).offset(offset)
        return list(session.scalars(query))
    unsolved = replace(chosen, open_only=True)
    first = ordered_ids(session, unsolved, limit=limit, offset=offset, descending=descending)
    if len(first) == limit:
        return first
    skipped = max(0, offset - count_tickets(session, unsolved))
    solved = replace(chosen, solved_only=True)
    return first + ordered_ids(session, solved, limit=limit - len(first), offset=skipped,
                               order="created", descending=True)  # fmt: skip


def _ordered(session: Session, chosen: TicketFilter, order: str, descending: bool) -> Select[Any]:
    dialect = _dialect(session)
    query = select(Ticket.id)
    if order in ("due", "sla") or chosen.due_from is not None or chosen.due_before is not None:
        query = query.outerjoin(_STATES, _STATES.c.ticket_id == Ticket.id)
    return query.where(*_conditions(chosen, dialect)).order_by(
        *sort_keys(order, descending, dialect)
    )


def listed_by_ids(session: Session, ids: Sequence[int]) -> list[ListedTicket]:
    """These tickets with their SLA columns and next due instant, in the order given."""
    if not ids:
        return []
    query = (
        select(Ticket, next_due(_dialect(session)), *_STATUS_COLUMNS, *_DUE_COLUMNS)
        .outerjoin(_STATES, _STATES.c.ticket_id == Ticket.id)
        .where(Ticket.id.in_(list(ids)))
    )
    found = {ticket.id: _listed(ticket, due, columns) for ticket, due, *columns in
             session.execute(query)}  # fmt: skip
    return [found[i] for i in ids if i in found]


def count_tickets(session: Session, chosen: TicketFilter | None = None) -> int:
    """How many stored tickets ``chosen`` keeps (all of them without it)."""
    chosen = chosen or TicketFilter()
    query = select(func.count()).select_from(Ticket)
    if chosen.due_from is not None or chosen.due_before is not None:
        query = query.outerjoin(_STATES, _STATES.c.ticket_id == Ticket.id)
    return session.scalar(query.where(*_conditions(chosen, _dialect(session)))) or 0


def choices(session: Session) -> dict[str, list[Choice]]:
    """Per filter column (``CHOICE_COLUMNS``), the values the stored tickets have, one
    per spelling whatever the case, in alphabetical order of their key: one pass over
    the tickets, grouped by the four columns at once, merged here."""
    columns = [Ticket.__table__.c[name] for name in CHOICE_COLUMNS]
    keys = [func.lower(column) for column in columns]
    spelled = [part for key, column in zip(keys, columns, strict=True)
               for part in (key, func.min(column))]  # fmt: skip
    query = select(*spelled, func.count()).group_by(*keys)
    merged: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in CHOICE_COLUMNS}
    for *parts, tickets in session.execute(query):
        for index, name in enumerate(CHOICE_COLUMNS):
            key, shown = parts[2 * index], parts[2 * index + 1]
            if not key:
                continue
            known = merged[name].get(key)
            spelling = min(shown, known[0]) if known else shown
            merged[name][key] = (spelling, tickets + (known[1] if known else 0))
    return {
        name: [Choice(key, *found[key]) for key in sorted(found)] for name, found in merged.items()
    }


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


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


def _conditions(chosen: TicketFilter, dialect: str) -> list[ColumnElement[bool]]:
    conditions = _text_conditions(chosen)
    due = chosen.due_from is not None or chosen.due_before is not None
    if chosen.open_only or due:  # a solved ticket has no next due
        conditions.append(_unsolved(dialect))
    if chosen.solved_only:
        conditions.append(Ticket.solved_at.is_not(None))
    if chosen.created_from is not None:
        conditions.append(Ticket.created_at >= chosen.created_from)
    if chosen.created_before is not None:
        conditions.append(Ticket.created_at < chosen.created_before)
    if chosen.due_from is not None:
        conditions.append(next_due(dialect) >= chosen.due_from)
    if chosen.due_before is not None:
        conditions.append(next_due(dialect) < chosen.due_before)
    if chosen.worst is not None:
        conditions.append(Ticket.id.in_(_worst(chosen.worst)))
    if chosen.sla_status is not None:
        matching = select(_STATES.c.ticket_id).where(
            or_(*(column == chosen.sla_status for column in _STATUS_COLUMNS))
        )
        conditions.append(Ticket.id.in_(matching))
    return conditions


def _unsolved(dialect: str) -> ColumnElement[bool]:
    """Not solved. On SQLite as ids from the ``solved_at`` index: joined to the SLA
    states, its planner would read every ticket instead."""
    if dialect == "sqlite":
        unsolved = Ticket.__table__.alias("unsolved")
        return Ticket.id.in_(select(unsolved.c.id).where(unsolved.c.solved_at.is_(None)))
    return Ticket.solved_at.is_(None)


def _text_conditions(chosen: TicketFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name in CHOICE_COLUMNS:
        value = getattr(chosen, name)
        if value is not None:
            column = Ticket.__table__.c[name]
            conditions.append(func.lower(column) == func.lower(value))
    if chosen.assignees is not None:
        lowered = [func.lower(name) for name in chosen.assignees]
        conditions.append(func.lower(Ticket.assignee).in_(lowered))
    if chosen.search is not None:
        conditions.append(_search(chosen.search))
    return conditions


def _search(text: str) -> ColumnElement[bool]:
    """A store id (digits, an optional leading ``#``) or a helpdesk id, exactly."""
    number = text.removeprefix("#")
    if number.isascii() and number.isdigit() and 1 <= int(number) <= _LARGEST_ID:
        return or_(Ticket.id == int(number), Ticket.source_id == text)
    return Ticket.source_id == text


def _worst(status: str) -> Select[tuple[int]]:
    """The ids of tickets one of whose metrics has ``status`` and none a worse one."""
    worse = WORST_FIRST[: WORST_FIRST.index(status)]
    has = [func.coalesce(column, "") for column in _STATUS_COLUMNS]
    query = select(_STATES.c.ticket_id).where(or_(*(value == status for value in has)))
    if worse:
        query = query.where(*(value.not_in(worse) for value in has))
    return query


def _listed(ticket: Ticket, due: Any, columns: list[Any]) -> ListedTicket:
    """A page row: the ticket, its next due instant, then its status columns and due
    columns in ``METRICS`` order."""
    statuses, dues = columns[: len(METRICS)], columns[len(METRICS) :]
    return ListedTicket(
        ticket,
        dict(zip(METRICS, statuses, strict=True)),
        dict(zip(METRICS, dues, strict=True)),
        _aware(due),
    )


def _aware(value: Any) -> dt.datetime | None:
    """An instant from a computed column: SQLite hands it back as the stored text,
    PostgreSQL as an aware datetime (a computed column loses the column's type)."""
    if value is None or isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value is not None else None
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
