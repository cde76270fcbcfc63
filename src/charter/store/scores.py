"""Tickets' satisfaction scores beside whether their promises were kept, for the review
pack's CSAT and NPS by month.

Only tickets holding a score (an imported CSAT or NPS) or named by the caller (the
tickets a survey answered) are read: one query, a row per such ticket with its
verdict worked out by the database from the stored SLA state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import polars as pl
from sqlalchemy import Case, ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.store.models import SlaState, Ticket

__all__ = ["SCORED_SCHEMA", "kept_or_broken", "scored_tickets"]

_STATES = SlaState.__table__
_TICKETS = Ticket.__table__
SCORED_SCHEMA = {
    "ticket_id": pl.Int64,
    "created_at": pl.Datetime("us", "UTC"),
    "csat": pl.Int64,
    "nps": pl.Int64,
    "broken": pl.Boolean,
}


def kept_or_broken() -> Case[str]:
    """``"broken"`` when one of the ticket's clocks breached its target; ``"kept"`` when
    its promises were all kept (a clock met, none breached, at risk or still running: the
    ticket list's worst status ``met``); else null. The one rule the dashboard, the
    review pack and their links count kept and broken by."""
    statuses = [func.coalesce(_STATES.c[f"{metric}_status"], "") for metric in METRICS]

    def some(*values: str) -> ColumnElement[bool]:
        return or_(*(status.in_(values) for status in statuses))

    return case(
        (some("breached"), "broken"),
        (and_(some("met"), ~some("at_risk", "pending")), "kept"),
        else_=None,
    )


def scored_tickets(
    session: Session, start: dt.datetime, stop: dt.datetime, also: Collection[int] = ()
) -> pl.DataFrame:
    """``ticket_id, created_at, csat, nps, broken`` of the tickets created in
    ``[start, stop)`` that hold an imported score, and of the tickets ``also`` names
    (whenever they were created)."""
    scored = or_(_TICKETS.c.csat.is_not(None), _TICKETS.c.nps.is_not(None))
    created = (_TICKETS.c.created_at >= start) & (_TICKETS.c.created_at < stop)
    named = _TICKETS.c.id.in_(list(also)) if also else false()
    query = (
        select(_TICKETS.c.id, _TICKETS.c.created_at, _TICKETS.c.csat, _TICKETS.c.nps,
               (kept_or_broken() == "broken").label("broken"))
        .select_from(_TICKETS.outerjoin(_STATES, _STATES.c.ticket_id == _TICKETS.c.id))
        .where(or_(created & scored, named))
    )  # fmt: skip
    rows = [tuple(row) for row in session.execute(query)]
    frame = pl.DataFrame(rows, schema=list(SCORED_SCHEMA), orient="row", infer_schema_length=None)
    return frame.cast(SCORED_SCHEMA)  # type: ignore[arg-type]
