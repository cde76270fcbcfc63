"""A stamp of the stored tickets that changes whenever a ticket is added or changed.

Results computed from every stored ticket (the live what-if's prepared clock runs) are
kept while the stamp is the same: an import or a sync that inserts a ticket raises the
count and the highest id, and one that updates a ticket moves the latest
``imported_at`` (an upsert sets it on every row it writes; unchanged rows are not
written). One aggregate query, no per-ticket work in Python.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from charter.store.models import Ticket

Stamp = tuple[int, int, str]  # tickets, highest id, latest imported_at (ISO text or "")


def ticket_stamp(session: Session) -> Stamp:
    """``(tickets, highest id, latest imported_at)`` of the stored tickets."""
    query = select(func.count(), func.max(Ticket.id), func.max(Ticket.imported_at))
    count, highest, latest = session.execute(query).one()
    return int(count), int(highest or 0), latest.isoformat() if latest is not None else ""
