"""A published version's results: met and breached targets, counted from the stored SLA state.

One aggregate query over ``sla_states`` joined to ``tickets``, grouped by channel and
rule; nothing is read per ticket.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.store.models import SlaState, Ticket

_STATES = SlaState.__table__
_TICKETS = Ticket.__table__

Counts = tuple[str | None, str | None, str, int, int]
"""Channel, rule id, metric, how many met, how many breached."""


def met_and_breached(
    session: Session, version_id: int, start: dt.datetime, stop: dt.datetime
) -> list[Counts]:
    """Per channel, rule and metric, the tickets created in ``[start, stop)`` whose state
    was computed under version ``version_id`` that met and that breached their target."""
    sums = []
    for metric in METRICS:
        status = _STATES.c[f"{metric}_status"]
        sums += [
            func.sum(case((status == "met", 1), else_=0)),
            func.sum(case((status == "breached", 1), else_=0)),
        ]
    query = (
        select(_TICKETS.c.channel, _STATES.c.rule_id, *sums)
        .join(_TICKETS, _TICKETS.c.id == _STATES.c.ticket_id)
        .where(_STATES.c.version_id == version_id)
        .where(_TICKETS.c.created_at >= start, _TICKETS.c.created_at < stop)
        .group_by(_TICKETS.c.channel, _STATES.c.rule_id)
    )
    return [
        (channel, rule_id, metric, int(found[2 * i] or 0), int(found[2 * i + 1] or 0))
        for channel, rule_id, *found in session.execute(query)
        for i, metric in enumerate(METRICS)
    ]
