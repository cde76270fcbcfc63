"""The policy's review: where it stands, and recording one."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReviewStatusPublic(BaseModel):
    slug: str
    version: int = Field(description="The version in force.")
    next_review: dt.date
    warn_from: dt.date = Field(description="The first day of the warning period.")
    state: Literal["upcoming", "warning", "overdue"]
    days_left: int = Field(description="Days to the review date; negative once overdue.")
    owner: str = Field(description="The owner's staff role id.")
    owner_name: str
    cadence_months: int
    last_reviewed_on: dt.date | None
    last_outcome: str | None = Field(description="no_change | new_draft")


class ReviewCreate(BaseModel):
    """``{"outcome": "no_change"}``, or ``{"outcome": "new_draft", "draft": 4}``."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["no_change", "new_draft"]
    draft: int | None = Field(None, ge=1, le=2**31 - 1, description="The draft's number.")
    note: str = Field("", max_length=2000, description="What the review found.")
