"""Stored tickets for people: pages of tickets with filters, and one ticket in full.

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
>>> get_ticket(db, 7)
Traceback (most recent call last):
charter.errors.NotFound: ticket 7 not found: no stored ticket has that id ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from charter import clock
from charter.errors import InvalidInput, NotFound, PolicyError
from charter.policy.cache import load_cached
from charter.policy.service_level import METRICS
from charter.sla.evaluate import STATUSES, evaluate
from charter.sla.verdicts import verdicts
from charter.store import Database
from charter.store import tickets as stored

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MAX_PER_PAGE = 200
LARGEST_ID = 2**63 - 1
SORTS = stored.SORTS
WORST_FIRST = stored.WORST_FIRST


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
class EventRecord:
    at: dt.datetime
    kind: str
    status: str | None


@dataclass(frozen=True)
class MetricState:
    """A ticket's state for one metric, and the rule and version behind it: the columns
    of ``charter sla evaluate`` (``charter.sla.verdicts``). ``clock`` to ``runs`` are
    None when the version that judged the ticket is gone or no longer loads (only the
    stored columns are then known)."""

    metric: str
    status: str
    rule_id: str | None
    target_seconds: float | None
    due_at: dt.datetime | None
    elapsed_seconds: float | None
    version_id: int
    computed_at: dt.datetime
    clock: str | None = None
    start_at: dt.datetime | None = None
    stop_at: dt.datetime | None = None
    paused_seconds: float | None = None
    runs: int | None = None

    @property
    def paused_now(self) -> bool:
        """A running clock paused with target left: it has no due instant until it
        resumes (docs/sla.md, "Due instants")."""
        return self.due_at is None and self.status in RUNNING


@dataclass(frozen=True)
class TicketDetail:
    """Every stored column of a ticket, its events in order, and its SLA state."""

    id: int
    source: str
    source_id: str
    created_at: dt.datetime
    updated_at: dt.datetime | None
    channel: str | None
    priority: str | None
    segment: str | None
    team: str | None
    assignee: str | None
    category: str | None
    tags: list[str]
    status: str | None
    first_response_at: dt.datetime | None
    solved_at: dt.datetime | None
    csat: int | None
    nps: int | None
    imported_at: dt.datetime
    events: list[EventRecord]
    sla: list[MetricState]


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


def get_ticket(database: Database, ticket_id: int) -> TicketDetail:
    """The stored ticket with this store id; ``NotFound`` when there is none."""
    missing = NotFound(
        f"ticket {ticket_id} not found: no stored ticket has that id (ids are Charter's own "
        "numbers, shown in the ticket list, not the helpdesk's)"
    )
    if not 1 <= ticket_id <= LARGEST_ID:
        raise missing
    with database.reading() as session:
        ticket = stored.ticket_by_id(session, ticket_id)
        if ticket is None:
            raise missing
        state = stored.sla_state_of(session, ticket_id)
        verdicts = _judged_again(session, ticket_id) if state is not None else {}
    return TicketDetail(
        **{name: getattr(ticket, name) for name in _DETAIL_COLUMNS},
        tags=list(ticket.tags or []),
        events=_events(ticket.events),
        sla=_metric_states(state, verdicts),
    )


def _judged_again(session: Session, ticket_id: int) -> dict[str, dict[str, Any]]:
    """The ticket's verdict rows by metric (``charter.sla.verdicts``): the engine run
    again on this one ticket under the version that judged it, at the instant its state
    was computed, so every column agrees with the stored state. Empty when that version
    is gone or no longer loads."""
    judged = stored.sla_state_version(session, ticket_id)
    if judged is None or judged.version is None:
        return {}
    try:
        policy = load_cached(judged.version.text, "stored version").policy
    except PolicyError:
        return {}
    data = stored.load(session, id_range=(ticket_id, ticket_id), store_ids=True).data
    rows = verdicts(evaluate(policy, data, judged.computed_at))
    return {row["metric"]: row for row in rows.iter_rows(named=True)}


def _events(lists: dict[str, list[Any]] | None) -> list[EventRecord]:
    if not lists:
        return []
    return [
        EventRecord(dt.datetime.fromtimestamp(at / 1e6, dt.UTC), kind, status)
        for at, kind, status in zip(lists["at_us"], lists["kind"], lists["status"], strict=True)
    ]


def _metric_states(
    found: Mapping[str, Any] | None, judged: Mapping[str, Mapping[str, Any]]
) -> list[MetricState]:
    """The stored row's metrics that have a state, by metric name, each with its verdict
    row's columns where ``judged`` has one."""
    if found is None:
        return []
    states = []
    for metric in sorted(METRICS):
        if found[f"{metric}_status"] is None:
            continue
        state = MetricState(
            metric,
            found[f"{metric}_status"],
            found["rule_id"],
            found[f"{metric}_target_seconds"],
            found[f"{metric}_due_at"],
            found[f"{metric}_elapsed_seconds"],
            found["version_id"],
            found["computed_at"],
        )  # fmt: skip
        row = judged.get(metric)
        if row is not None:
            state = replace(state, **{k: row[k] for k in _VERDICT_FIELDS})
        states.append(state)
    return states


# What a verdict row adds to (and, being the same engine at the same instant, agrees
# with) the stored columns.
_VERDICT_FIELDS = (
    "status", "rule_id", "target_seconds", "due_at", "elapsed_seconds", "clock", "start_at",
    "stop_at", "paused_seconds", "runs",
)  # fmt: skip
RUNNING = ("pending", "at_risk")  # statuses of a clock still running


_DETAIL_COLUMNS = (
    "id", "source", "source_id", "created_at", "updated_at", "channel", "priority", "segment",
    "team", "assignee", "category", "status", "first_response_at", "solved_at", "csat", "nps",
    "imported_at",
)  # fmt: skip


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
