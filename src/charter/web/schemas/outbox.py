"""The outbox's messages, retrying dead letters, and the health figures of the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class OutboxMessagePublic(BaseModel):
    id: int
    ticket_id: int | None = Field(
        description="Charter's ticket number (GET /api/tickets/{id}); null for a training message."
    )
    ticket: str = Field(description="The ticket's id in its helpdesk; empty for training.")
    purpose: str = Field(description="escalation | training")
    metric: str
    level_id: str
    level: int | None = Field(description="The escalation level's number.")
    channel: str = Field(description="email | webhook | action")
    recipient: str = Field(description="An address, a webhook URL, a role without an "
                           "address, or the action in words.")  # fmt: skip
    state: str = Field(description="pending | sent | dead | withdrawn")
    tries: int = Field(description="Tries so far; a retried dead letter starts again at 0.")
    last_error: str | None = Field(description="What the last try met.")
    created_at: dt.datetime = Field(description="When its level fired and wrote it (UTC).")
    next_try_at: dt.datetime | None = Field(description="When a pending message goes next.")
    sent_at: dt.datetime | None


class OutboxListPublic(BaseModel):
    state: str
    total: int = Field(description="How many messages are in this state in all.")
    limit: int
    messages: list[OutboxMessagePublic]


class OutboxRetryCreate(BaseModel):
    """Which dead letters to retry: ``{"ids": [12, 15]}`` or ``{"all": true}``."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] | None = Field(
        None, max_length=1000, description="Dead letters' ids."
    )
    every: bool = Field(False, alias="all", description="Retry every dead letter.")


class KeptDeadPublic(BaseModel):
    id: int
    reason: str


class OutboxRetriedPublic(BaseModel):
    retried: list[int] = Field(description="Put back in line for the worker's next tick.")
    kept: list[KeptDeadPublic] = Field(description="Left dead, each with why.")


class WorkerPublic(BaseModel):
    name: str = Field(description="The worker's name (host:process id unless named).")
    started_at: dt.datetime
    last_tick_at: dt.datetime
    seconds_ago: float = Field(description="Seconds from its last tick to this answer.")
    tick_seconds: float = Field(description="How long its last tick took.")
    ticks: int
    last_error: str | None = Field(description="What failed in its last tick, if anything.")


class OldestUndeliveredPublic(BaseModel):
    created_at: dt.datetime
    age_seconds: float


class OutboxHealthPublic(BaseModel):
    counts: dict[str, int] = Field(description="Messages by state, every state named.")
    oldest_undelivered: OldestUndeliveredPublic | None = Field(
        description="The oldest pending message; null when none is waiting."
    )
