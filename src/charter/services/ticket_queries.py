"""Stored tickets for people: pages of tickets with filters (one ticket in full is
``charter.services.ticket_detail``).

A page is two queries whatever its size: one for its rows (with each ticket's
SLA status and due time per metric joined in) and one count. Tickets are listed newest
first (``created_at`` descending, then id descending, so the order is total) unless
another order is asked for: ``SORTS``, sorted in the database (the ticket list's
default, ``due``, puts unsolved tickets first, soonest next due instant first; the
store's ``_order`` says which clocks count).

The SLA status filter keeps a ticket when *any* of its metrics has that status:
``breached`` lists every ticket that broke at least one promise, ``at_risk``
every ticket with a clock close to its target. A ticket without SLA state (no
policy published yet) matches no status.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> list_tickets(db, channel="email").total
0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import InvalidInput
from charter.sla.evaluate import STATUSES
from charter.store import Database
from charter.store import tickets as stored

if TYPE_CHECKING:
    pass

MAX_PER_PAGE = 200
SORTS = stored.SORTS
WORST_FIRST = stored.WORST_FIRST
RUNNING = ("pending", "at_risk")  # statuses of a clock still running


@dataclass(frozen=True)
class TicketRow:
    """A ticket as a list shows it, with its SLA status per metric and, where a metric's
    clock has one, its due instant (UTC)."""

    id: int
    source: str
    source_id: str
    created_at: dt.datetime
    channel: str | None
    priority: str | None
    segment: str | None
    team: str | None
    assignee: str | None
    status: str | None
    sla: dict[str, str]
    due: dict[str, dt.datetime] = field(default_factory=dict)
    next_due: dt.datetime | None = None

    @property
    def worst(self) -> str | None:
        """The worst SLA status among the ticket's metrics (``WORST_FIRST``), if any."""
        return next((s for s in WORST_FIRST if s in self.sla.values()), None)

    def paused_now(self, metric: str) -> bool:
        """Whether ``metric``'s clock runs but is paused with target left (no due)."""
        return self.sla.get(metric) in RUNNING and metric not in self.due

    @property
    def paused(self) -> bool:
        """Whether one of the ticket's clocks is paused with target left."""
        return any(self.paused_now(metric) for metric in self.sla)


@dataclass(frozen=True)
class Page:
    """One page of tickets; ``total`` counts every ticket the filters keep."""

    items: list[TicketRow]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page


@dataclass(frozen=True)
class Narrower:
    """The list's filters beyond the API's: ``solved_only`` (the others of
    ``open_only``); the assignee, or any of ``assignees`` (a person's own names, "my
    tickets"); ``search``: a store id (``#`` allowed) or a helpdesk id, exactly;
    ``due_within``: hours from now within which the next due instant falls."""

    solved_only: bool = False
    assignee: str | None = None
    assignees: tuple[str, ...] | None = None
    search: str | None = None
    due_within: int | None = None


def list_tickets(
    database: Database,
    *,
    sla_status: str | None = None,
    channel: str | None = None,
    team: str | None = None,
    priority: str | None = None,
    worst: str | None = None,
    open_only: bool = False,
    days: tuple[dt.date, dt.date] | None = None,
    narrower: Narrower | None = None,
    order: str = "created",
    descending: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """Page ``page`` of the stored tickets the filters keep, sorted by ``order``
    (newest first by default).

    ``worst`` keeps the tickets whose worst metric status is that one (``at_risk``: a
    clock at risk and none breached), ``open_only`` those not solved, ``days`` those
    created from the first UTC day to the second, both included: the dashboard's
    cards count tickets the same way, so a card's link lists exactly its number.

    Raises ``InvalidInput`` for a page below 1, ``per_page`` outside 1-200 or an
    SLA status that does not exist.
    """
    _check_page(page, per_page, sla_status)
    chosen = ticket_filter(sla_status=sla_status, channel=channel, team=team,
                           priority=priority, worst=worst, open_only=open_only, days=days,
                           narrower=narrower)  # fmt: skip
    offset = (page - 1) * per_page
    with database.reading() as session:
        found = stored.ticket_page(session, chosen, limit=per_page, offset=offset,
                                   order=order, descending=descending)  # fmt: skip
        total = stored.count_tickets(session, chosen)
    return Page([_row(listed) for listed in found], page, per_page, total)


def ticket_filter(
    *,
    sla_status: str | None = None,
    channel: str | None = None,
    team: str | None = None,
    priority: str | None = None,
    worst: str | None = None,
    open_only: bool = False,
    days: tuple[dt.date, dt.date] | None = None,
    narrower: Narrower | None = None,
) -> stored.TicketFilter:
    """The store's filter for these (``list_tickets``'s); ``InvalidInput`` for an SLA
    status that does not exist. ``due_within`` counts from now."""
    _check_status("sla_status", sla_status)
    _check_status("worst", worst)
    return _filter(
        stored.TicketFilter(sla_status, channel, team, priority, worst, open_only),
        days, narrower or Narrower(),
    )  # fmt: skip


def count_kept(database: Database, chosen: stored.TicketFilter) -> int:
    """How many stored tickets ``chosen`` keeps."""
    with database.reading() as session:
        return stored.count_tickets(session, chosen)


def batches_of(
    database: Database,
    chosen: stored.TicketFilter,
    *,
    order: str,
    descending: bool,
    limit: int,
    size: int = 1000,
) -> Iterator[list[TicketRow]]:
    """The tickets ``chosen`` keeps in the list's order, at most ``limit``, ``size`` at
    a time: their ids in one query, then each batch read by id in its own transaction,
    so no cursor stays open while a caller streams them."""  # fmt: skip
    with database.reading() as session:
        ids = stored.ordered_ids(session, chosen, limit=limit, order=order,
                                 descending=descending)  # fmt: skip
    for start in range(0, len(ids), size):
        with database.reading() as session:
            listed = stored.listed_by_ids(session, ids[start : start + size])
        yield [_row(row) for row in listed]


def _filter(
    chosen: stored.TicketFilter, days: tuple[dt.date, dt.date] | None, more: Narrower
) -> stored.TicketFilter:
    start, end = days if days is not None else (None, None)
    now = clock.now() if more.due_within is not None else None
    return replace(
        chosen,
        created_from=_midnight(start),
        created_before=_midnight(end + dt.timedelta(days=1)) if end else None,
        solved_only=more.solved_only,
        assignee=more.assignee,
        assignees=more.assignees,
        search=more.search,
        due_from=now,
        due_before=now + dt.timedelta(hours=more.due_within) if now and more.due_within else None,
    )


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), dt.UTC) if day is not None else None


def _check_status(field: str, status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise InvalidInput(
            f"{field} {status!r} is not an SLA status; use one of {', '.join(STATUSES)}",
            [{"field": field, "problem": "unknown status"}],
        )


def _check_page(page: int, per_page: int, sla_status: str | None) -> None:
    if page < 1:
        raise InvalidInput(
            f"page {page} does not exist; pages are numbered from 1",
            [{"field": "page", "problem": "below 1"}],
        )
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            f"per_page {per_page} is out of range; ask for 1 to {MAX_PER_PAGE} tickets a page",
            [{"field": "per_page", "problem": f"outside 1-{MAX_PER_PAGE}"}],
        )
    _check_status("sla_status", sla_status)


def _row(listed: stored.ListedTicket) -> TicketRow:
    """A list row: the metrics that have a status, and the due instants of those."""
    ticket = listed.ticket
    sla = {m: status for m, status in listed.statuses.items() if status is not None}
    due = {m: at for m, at in listed.due.items() if at is not None and m in sla}
    return TicketRow(
        ticket.id,
        ticket.source,
        ticket.source_id,
        ticket.created_at,
        ticket.channel,
        ticket.priority,
        ticket.segment,
        ticket.team,
        ticket.assignee,
        ticket.status,
        dict(sorted(sla.items())),
        dict(sorted(due.items())),
        listed.next_due,
    )  # fmt: skip
