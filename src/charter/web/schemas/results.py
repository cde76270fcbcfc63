"""Schemas of KPI reports and backtests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from charter.services.lifecycle import SLUG_LENGTH, SLUG_PATTERN


class KpiReportPublic(BaseModel):
    policy: str = Field(description="Slug of the policy whose published version applies.")
    version: int
    period: str
    now: dt.datetime = Field(description="The instant the figures stand at.")
    tickets: int
    kpis: list[dict[str, Any]] = Field(description="One row per period, group, KPI, statistic.")
    targets: list[dict[str, Any]] = Field(description="Each KPI target against its value.")


class BacktestCreate(BaseModel):
    policy: str = Field(
        min_length=1, max_length=SLUG_LENGTH, pattern=SLUG_PATTERN, description="The policy's slug."
    )
    version: int = Field(ge=1, le=2**31 - 1, description="The version to replay.")
    against: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Another version to run side by side."
    )


class BacktestPublic(BaseModel):
    id: int
    policy: str
    versions: list[int]
    created_at: dt.datetime
    user_id: int | None
    tickets: int
    result: dict[str, Any] = Field(
        description="promises, attainment, breaches, worst tickets (and side_by_side)."
    )
