"""Schemas of policies and their versions, lifecycle actions, comments, history and diffs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from charter.policy.pilot_group import MAX_VALUES
from charter.services.lifecycle import (
    CLAUSE_LENGTH,
    NAME_LENGTH,
    NOTE_LENGTH,
    SLUG_LENGTH,
    SLUG_PATTERN,
    TEXT_LENGTH,
    Action,
    Status,
)


class PolicyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: str = Field(
        min_length=1,
        max_length=SLUG_LENGTH,
        pattern=SLUG_PATTERN,
        description="Lower-case letters, digits and single hyphens; unique; used in URLs.",
    )
    name: str = Field(min_length=1, max_length=NAME_LENGTH)
    text: str = Field(
        max_length=TEXT_LENGTH,
        description="The policy's YAML; version 1 is a draft, validated when submitted.",
    )
    change_summary: str = Field("", max_length=NOTE_LENGTH, description="Needed to submit.")


class PolicyPublic(BaseModel):
    slug: str
    name: str
    created_at: dt.datetime
    created_by: int | None
    published: int | None = Field(description="Number of the published version, if any.")
    latest: int = Field(description="Number of the newest version.")
    versions: int = Field(description="How many versions there are.")
    in_force: int | None = Field(
        None,
        description="Number of the version in force now (a version published to take "
        "effect later is not, until then).",
    )


class VersionCreate(BaseModel):
    """A new draft copying the text of ``based_on`` (default: published, else the latest)."""

    model_config = ConfigDict(extra="forbid")

    based_on: int | None = Field(None, ge=1, le=2**31 - 1)
    change_summary: str = Field("", max_length=NOTE_LENGTH)


class VersionUpdate(BaseModel):
    """Fields left out (or null) stay as they are. Only a draft can be edited."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=TEXT_LENGTH)
    change_summary: str | None = Field(None, max_length=NOTE_LENGTH)


class PilotGroupCreate(BaseModel):
    """Who a pilot is tried on: one kind of ticket value and a list of them."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        max_length=40,
        description="team, segment, channel, customer (the requester's e-mail) or agent "
        "(the assignee).",
    )
    values: list[str] = Field(
        max_length=10_000,
        description=f"The teams, segments, channels, addresses or agents ({MAX_VALUES} at most).",
    )


class PilotGroupPublic(BaseModel):
    kind: str
    values: list[str]


class PilotPublic(BaseModel):
    group: PilotGroupPublic
    starts_at: dt.datetime
    ends_at: dt.datetime = Field(description="The period's end (excluded); extend moves it.")
    outcome: str | None = Field(description="null while it runs; published or abandoned.")


class VersionPublic(BaseModel):
    policy: str = Field(description="The policy's slug.")
    number: int
    status: Status
    allowed_actions: list[Action] = Field(description="The lifecycle actions open from here.")
    text: str
    content_hash: str = Field(description="SHA-256 of the text (UTF-8), in hex.")
    change_summary: str
    based_on: int | None
    author_id: int | None
    reviewer_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    piloted_at: dt.datetime | None
    published_at: dt.datetime | None
    retired_at: dt.datetime | None = Field(
        description="When it was retired, or stops being in force (replaced by a version "
        "published to take effect then)."
    )
    effective_at: dt.datetime | None = Field(
        description="When it comes into force: its publish instant, or the later one chosen "
        "when publishing; null if it never did. It governs the tickets created from then."
    )
    in_force: bool = Field(description="Whether it is the version in force now.")
    pilot: PilotPublic | None = Field(
        None, description="Its pilot's group, period and outcome, once it was piloted."
    )


class TransitionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(
        "", max_length=NOTE_LENGTH, description="Kept in the history; required to reject."
    )
    effective_at: dt.datetime | None = Field(
        None,
        description="Publish only: when the version takes effect, with a timezone, not in "
        "the past (default: now). The version in force stays so until then.",
    )
    group: PilotGroupCreate | None = Field(
        None, description="Pilot only (required): who the pilot version judges."
    )
    starts_at: dt.datetime | None = Field(
        None, description="Pilot only: when the pilot starts, not in the past (default: now)."
    )
    ends_at: dt.datetime | None = Field(
        None,
        description="Pilot (required) and extend (required): when the pilot ends, with a "
        "timezone; an extension's end is later than the current one.",
    )


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=NOTE_LENGTH)
    clause: str | None = Field(
        None, max_length=CLAUSE_LENGTH, description="The policy item id or path it is about."
    )


class CommentPublic(BaseModel):
    id: int
    number: int = Field(description="The version commented on.")
    author_id: int | None
    author_name: str | None
    clause: str | None
    body: str
    created_at: dt.datetime


class VersionEventPublic(BaseModel):
    id: int
    number: int
    action: str = Field(description="create, edit, or a lifecycle action.")
    from_status: Status | None
    to_status: Status
    actor_id: int | None
    actor_name: str | None
    note: str
    at: dt.datetime


class ChangePublic(BaseModel):
    path: str = Field(description="Where in the policy, items named by id.")
    kind: str = Field(description="added, removed, changed or moved.")
    level: str = Field(description="major (a promise to customers) or minor.")
    old: Any
    new: Any
    text: str
    direction: str | None = Field(description="stronger or weaker for customers (major only).")


class DiffSummaryPublic(BaseModel):
    major: int
    minor: int
    total: int
    text: str


class DiffPublic(BaseModel):
    policy: str
    old: int = Field(description="The version compared against.")
    new: int
    summary: DiffSummaryPublic
    changes: list[ChangePublic]
