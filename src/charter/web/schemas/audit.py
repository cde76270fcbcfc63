"""The audit trail of one ticket, as ``GET /api/tickets/{id}/audit`` answers it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class AuditRowPublic(BaseModel):
    at: dt.datetime = Field(description="When it happened (UTC); a planned level: when due.")
    kind: str = Field(
        description="clock started | clock paused | clock resumed | target breached | clock "
        "stopped | escalation planned | escalation fired | escalation withdrawn | message "
        "queued | message sent | message failed | message retried | message dead-lettered | "
        "message withdrawn"
    )
    metric: str | None
    level: int | None = Field(description="The escalation level's number, for its rows.")
    words: str = Field(description="What happened, as the ticket page says it.")


class TicketAuditPublic(BaseModel):
    ticket_id: int
    as_of: dt.datetime = Field(description="The instant running clocks were judged at.")
    timezone: str = Field(description="The timezone the words write instants in.")
    version: str | None = Field(description="The policy version that judges the ticket.")
    rows: list[AuditRowPublic]
