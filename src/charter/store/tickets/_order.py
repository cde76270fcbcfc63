"""The ticket list's sort keys and its "next due" instant, as SQL expressions over the
``tickets`` row and its ``sla_states`` row (outer-joined), the same on SQLite and
PostgreSQL.

A ticket's **next due** instant is the earliest due instant among its promises still
to keep: its clocks pending or at risk, and its resolution when breached (an unsolved
ticket past its resolution due is overdue, so it comes first). A solved ticket (one
with a solve instant) has none; nor has a ticket whose clocks all stopped or are paused
with target left. A breached response clock is left out because the stored state does
not say whether it still runs (a reply known only from the events leaves the ticket's
first-response column empty).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, literal, null, or_, type_coerce

from charter.policy.service_level import METRICS
from charter.store.models import SlaState, Ticket, UtcDateTime

STATES = SlaState.__table__
STATUS_COLUMNS = [STATES.c[f"{metric}_status"] for metric in METRICS]
DUE_COLUMNS = [STATES.c[f"{metric}_due_at"] for metric in METRICS]

# The SLA statuses from worst to best: a ticket's worst status is the first of these
# that one of its metrics has.
WORST_FIRST = ("breached", "at_risk", "pending", "met", "none")
PRIORITY_FIRST = ("urgent", "high", "normal", "low")
STATUS_ORDER = ("new", "open", "pending", "on_hold", "solved", "closed")
# The list's sort keys, in the order the page offers them.
SORTS = (
    "due", "id", "helpdesk", "created", "status", "priority", "sla", "channel", "team",
    "assignee",
)  # fmt: skip
# The statuses in which a clock's due instant is still ahead of the agent: pending or at
# risk; and for resolution also breached, since an unsolved ticket's resolution runs on
# past its due (overdue: the soonest due of all). A breached response clock may have
# stopped without the stored state saying so, so it is left out.
_STILL_TO_KEEP = {
    metric: ("pending", "at_risk", "breached") if metric == "resolution" else ("pending", "at_risk")
    for metric in METRICS
}
# Later than any due instant, in SQLite's text form of instants.
_FAR = "9999-12-31 23:59:59.999999"


def next_due(dialect: str) -> ColumnElement[Any]:
    """The ticket's next due instant (see above), null when it has none. ``dialect``:
    the database's (PostgreSQL's ``least`` skips nulls; SQLite's ``min`` of several
    values is null if one is, so there each is read as the far future when null, and
    the far future read back as null)."""
    candidates: list[ColumnElement[Any]] = [
        case((status.in_(_STILL_TO_KEEP[metric]), due), else_=null())
        for metric, status, due in zip(METRICS, STATUS_COLUMNS, DUE_COLUMNS, strict=True)
    ]
    if dialect == "postgresql":
        earliest = func.least(*candidates)
    else:
        far = [func.coalesce(c, literal(_FAR, String)) for c in candidates]
        earliest = func.nullif(func.min(*far), literal(_FAR, String))
    kept = case((Ticket.solved_at.is_(None), earliest), else_=null())
    return type_coerce(kept, UtcDateTime())


def sort_keys(order: str, descending: bool, dialect: str) -> list[Any]:
    """``ORDER BY`` for ``order`` (one of ``SORTS``), then the tie-breakers; empty
    values last either way. ``due`` puts unsolved tickets first, soonest due first."""
    keys: list[Any] = []
    if order == "due":
        keys.append(Ticket.solved_at.is_not(None))
    key = next_due(dialect) if order == "due" else _KEYS[order]()
    keys.append((key.desc() if descending else key.asc()).nulls_last())
    if order not in ("id", "created"):
        keys.append(Ticket.created_at.desc())
    keys.append(Ticket.id.asc() if order == "id" and not descending else Ticket.id.desc())
    return keys


def _rank(column: Any, values: tuple[str, ...]) -> ColumnElement[Any]:
    lowered = func.lower(column)
    return case(*((lowered == v, literal(k)) for k, v in enumerate(values)), else_=None)


def _worst() -> ColumnElement[Any]:
    whens = [
        (or_(*(column == status for column in STATUS_COLUMNS)), literal(rank))
        for rank, status in enumerate(WORST_FIRST)
    ]
    return case(*whens, else_=None)


_KEYS: dict[str, Callable[[], Any]] = {
    "due": lambda: None,  # next_due, which needs the dialect
    "id": lambda: Ticket.id,
    "helpdesk": lambda: Ticket.source_id,
    "created": lambda: Ticket.created_at,
    "status": lambda: _rank(Ticket.status, STATUS_ORDER),
    "priority": lambda: _rank(Ticket.priority, PRIORITY_FIRST),
    "sla": _worst,
    "channel": lambda: func.lower(Ticket.channel),
    "team": lambda: func.lower(Ticket.team),
    "assignee": lambda: func.lower(Ticket.assignee),
}
assert set(_KEYS) == set(SORTS)
