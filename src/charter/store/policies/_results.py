"""Published results: met and breached targets, counted from the stored SLA state.

One aggregate query over ``sla_states`` joined to ``tickets``, grouped by the version
that judged each ticket, channel and rule; nothing is read per ticket. Each ticket is
counted under the version it was judged by (the one in force when it was created),
so a period's results stay what they were when a later version is published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from charter.policy.service_level import METRICS
from charter.store.models import SlaState, Ticket

_STATES = SlaState.__table__
_TICKETS = Ticket.__table__

Counts = tuple[int, str | None, str | None, str, int, int]
"""Version id, channel, rule id, metric, how many met, how many breached."""


def met_and_breached(
    session: Session, version_ids: Collection[int], start: dt.datetime, stop: dt.datetime
) -> list[Counts]:
    """Per judging version (of ``version_ids``), channel, rule and metric, the tickets
    created in ``[start, stop)`` that met and that breached their target."""
    sums = []
    for metric in METRICS:
        status = _STATES.c[f"{metric}_status"]
        sums += [
            func.sum(case((status == "met", 1), else_=0)),
            func.sum(case((status == "breached", 1), else_=0)),
        ]
    keys = (_STATES.c.version_id, _TICKETS.c.channel, _STATES.c.rule_id)
    query = (
        select(*keys, *sums)
        .join(_TICKETS, _TICKETS.c.id == _STATES.c.ticket_id)
        .where(_STATES.c.version_id.in_(list(version_ids)))
        .where(_TICKETS.c.created_at >= start, _TICKETS.c.created_at < stop)
        .group_by(*keys)
    )
    return [
        (int(version), channel, rule_id, metric, int(found[2 * i] or 0), int(found[2 * i + 1] or 0))
        for version, channel, rule_id, *found in session.execute(query)
        for i, metric in enumerate(METRICS)
    ]
