"""``/api/tickets``: stored tickets with their SLA state, and imports into the store."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from charter.services.ticket_audit import ticket_audit
from charter.services.ticket_detail import get_ticket
from charter.services.ticket_queries import list_tickets
from charter.web.deps import CurrentUser, DatabaseDep
from charter.web.schemas.audit import AuditRowPublic, TicketAuditPublic
from charter.web.schemas.tickets import TicketPagePublic, TicketPublic, TicketSummaryPublic

router = APIRouter(prefix="/tickets", tags=["tickets"])
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"  # no control characters: nothing a helpdesk names
SlaStatus = Literal["met", "breached", "pending", "at_risk", "none"]


@router.get("", responses={422: {"description": "A filter or page out of range."}})
def read_tickets(
    database: DatabaseDep,
    _user: CurrentUser,
    sla_status: Annotated[
        SlaStatus | None, Query(description="Keep tickets with any metric in this status.")
    ] = None,
    channel: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    team: Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> TicketPagePublic:
    """Stored tickets, newest first, with each metric's SLA status."""
    found = list_tickets(
        database, sla_status=sla_status, channel=channel, team=team, page=page, per_page=per_page
    )
    return TicketPagePublic(
        items=[TicketSummaryPublic(**asdict(row)) for row in found.items],
        page=found.page,
        per_page=found.per_page,
        total=found.total,
        pages=found.pages,
    )


@router.get("/{ticket_id}", responses={404: {"description": "No stored ticket has this id."}})
def read_ticket(
    ticket_id: Annotated[int, Path(ge=1, le=2**63 - 1)], database: DatabaseDep, _user: CurrentUser
) -> TicketPublic:
    """A ticket with its events in order and its SLA state per metric (with the rule)."""
    return TicketPublic(**asdict(get_ticket(database, ticket_id)))


@router.get("/{ticket_id}/audit", responses={404: {"description": "No stored ticket has this id."}})
def read_ticket_audit(
    ticket_id: Annotated[int, Path(ge=1, le=2**63 - 1)], database: DatabaseDep, _user: CurrentUser
) -> TicketAuditPublic:
    """The ticket's audit trail in time order: its clocks (started, paused, resumed,
    breached, stopped), its escalations (planned, fired, withdrawn) and their messages."""
    trail = ticket_audit(database, ticket_id)
    return TicketAuditPublic(
        ticket_id=trail.ticket_id,
        as_of=trail.as_of,
        timezone=trail.timezone,
        version=trail.version,
        rows=[AuditRowPublic(**asdict(row)) for row in trail.rows],
    )
