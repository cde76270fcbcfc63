"""Complaint cases in the API: opening one, the actions on it, a case and a list."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ComplaintCreate(BaseModel):
    """Open a case from a ticket."""

    model_config = ConfigDict(extra="forbid")
    ticket: str = Field(min_length=1, max_length=100,
                        description="The ticket's helpdesk id (or Charter's number).")  # fmt: skip
    received_at: dt.datetime | None = Field(
        None, description="When the complaint was received; default: the ticket's creation."
    )


class HandlerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    handler_id: int = Field(
        ge=1, le=2**31 - 1, description="The account that handles the current stage."
    )


class ExtensionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    deadline: Literal["acknowledgment", "response"]
    days: int = Field(ge=1, le=366, description="Working days added.")
    reason: str = Field("", max_length=2000, description="Why; the policy may require one.")


class EscalationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(
        "", max_length=2000,
        description="Required before the stage has its response: what the customer asked.",
    )  # fmt: skip
    handler_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="The next stage's handler, at once."
    )


class DeadlinePublic(BaseModel):
    name: str = Field(description="acknowledgment | response")
    ends_at: dt.datetime = Field(description="When it ends, in the calendar's local time.")
    state: str = Field(description="within | late | due | overdue")
    done_at: dt.datetime | None
    provisional: bool = Field(description="A response counted from the acknowledgment's "
                              "deadline, as no acknowledgment was given yet.")  # fmt: skip
    steps: list[str] = Field(description="How it was counted, in plain words.")


class ExtensionPublic(BaseModel):
    deadline: str
    days: int
    reason: str
    granted_by: str
    granted_at: dt.datetime


class StagePublic(BaseModel):
    position: int
    stage_id: str
    name: str
    owner_role: str
    received_at: dt.datetime
    escalation_reason: str | None
    handler_id: int | None
    handler: str
    acknowledged_at: dt.datetime | None
    responded_at: dt.datetime | None
    deadlines: list[DeadlinePublic]
    extensions: list[ExtensionPublic]


class ComplaintPublic(BaseModel):
    id: int
    ticket_id: int
    ticket: str = Field(description="The ticket's helpdesk id.")
    state: str = Field(description="open | closed")
    received_at: dt.datetime
    version: str = Field(description="The policy version the case follows.")
    stage: int = Field(description="The current stage's position, from 1.")
    next_due: DeadlinePublic | None
    stages: list[StagePublic]


class ComplaintLinePublic(BaseModel):
    id: int
    ticket: str
    state: str
    stage: int
    stage_name: str
    handler: str
    overdue: bool
    next_due: DeadlinePublic | None


class ComplaintListPublic(BaseModel):
    total: int
    overdue: int = Field(description="Open cases whose current stage is overdue.")
    complaints: list[ComplaintLinePublic]


class ComplaintKpiPublic(BaseModel):
    month: str
    stage_id: str
    stage: str
    acknowledged_within: int
    acknowledged_late: int
    answered_within: int
    answered_late: int
