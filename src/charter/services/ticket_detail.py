"""One stored ticket in full: every column, its events in order, and its SLA state with
the verdict columns of ``charter sla evaluate``, judged again under the version that
judged it.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> get_ticket(db, 7)
Traceback (most recent call last):
charter.errors.NotFound: ticket 7 not found: no stored ticket has that id ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from charter.errors import NotFound, PolicyError
from charter.policy.cache import load_cached
from charter.policy.service_level import METRICS
from charter.services.ticket_queries import RUNNING
from charter.sla.evaluate import evaluate
from charter.sla.verdicts import verdicts
from charter.store import Database
from charter.store import tickets as stored

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["EventRecord", "MetricState", "TicketDetail", "get_ticket"]

LARGEST_ID = 2**63 - 1


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


_DETAIL_COLUMNS = (
    "id", "source", "source_id", "created_at", "updated_at", "channel", "priority", "segment",
    "team", "assignee", "category", "status", "first_response_at", "solved_at", "csat", "nps",
    "imported_at",
)  # fmt: skip
