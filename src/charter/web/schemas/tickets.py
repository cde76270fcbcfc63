"""Schemas of stored tickets, their pages, and imports."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class TicketSummaryPublic(BaseModel):
    id: int = Field(description="Charter's id of the ticket (not the helpdesk's).")
    source: str
    source_id: str = Field(description="The ticket's id in its helpdesk.")
    created_at: dt.datetime
    channel: str | None
    priority: str | None
    segment: str | None
    team: str | None
    assignee: str | None
    status: str | None
    sla: dict[str, str] = Field(description="SLA status per metric.")


class TicketPagePublic(BaseModel):
    items: list[TicketSummaryPublic]
    page: int
    per_page: int
    total: int = Field(description="Tickets the filters keep, on every page.")
    pages: int


class TicketEventPublic(BaseModel):
    at: dt.datetime
    kind: str
    status: str | None


class MetricStatePublic(BaseModel):
    """One metric's verdict: the columns of `charter sla evaluate` (docs/sla.md)."""

    metric: str
    status: str
    rule_id: str | None = Field(description="The service-level rule (clause id) that applied.")
    target_seconds: float | None = Field(
        description="The target the ticket was given, in business seconds on its clock."
    )
    due_at: dt.datetime | None = Field(
        description="When the target runs out; null while the clock is paused with target left."
    )
    elapsed_seconds: float | None = Field(description="Business seconds counted.")
    version_id: int
    computed_at: dt.datetime = Field(description="The instant the verdict was judged at.")
    clock: str | None = Field(
        None, description="The target's calendar, or 24x7 (null: the version is gone)."
    )
    start_at: dt.datetime | None = None
    stop_at: dt.datetime | None = Field(None, description="Null while the clock runs.")
    paused_seconds: float | None = Field(None, description="Business seconds paused.")
    runs: int | None = Field(
        None, description="The metric's runs; the verdict reports one of them whole."
    )


class TicketPublic(BaseModel):
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
    events: list[TicketEventPublic]
    sla: list[MetricStatePublic]


class SlaRecomputePublic(BaseModel):
    computed: bool
    tickets: int = Field(description="Stored tickets.")
    evaluated: int = Field(description="Tickets whose state was recomputed.")
    states: int
    written: int
    computed_at: dt.datetime | None
    policy: str | None
    version: int | None
    statuses: dict[str, int]
    note: str


class ImportPublic(BaseModel):
    run_id: int
    source: str
    tickets: int = Field(description="Tickets in the files (latest copy of each).")
    inserted: int
    updated: int
    unchanged: int = Field(description="Tickets already stored exactly as in the files.")
    events: int
    rejected: int
    superseded: int
    batches: int
    sla: SlaRecomputePublic
    rejects: list[dict[str, str | None]] = Field(description="The first rejected rows.")
