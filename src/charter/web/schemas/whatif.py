"""The live what-if: one promise tried on the last twelve months of stored tickets."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WhatIfMonth(BaseModel):
    month: str = Field(description="Calendar month of creation, 2026-03.")
    share_now: float | None = Field(description="Met / decided under today's target.")
    share_then: float | None = Field(description="Met / decided under the proposed one.")


class WhatIfPublic(BaseModel):
    policy: str
    version: int
    rule_id: str
    metric: str
    tickets: int = Field(description="Tickets the rule governs, created in the window.")
    within_now: str
    within_then: str
    attainment_now: float | None = Field(description="Today's promised share, 0-1.")
    attainment_then: float | None
    met_now: int
    decided_now: int = Field(description="Met + breached; running clocks are left out.")
    met_then: int
    decided_then: int
    share_now: float | None
    share_then: float | None
    change: float | None = Field(description="share_then - share_now as shown (0.1 %).")
    kept_now: bool | None
    kept_then: bool | None
    headline: str = Field(description="74.1 % → 81.3 %, +7.2 points")
    detail: str = Field(description="Both counts in words.")
    verdict: str = Field(description="Whether the promised share would have been kept.")
    by_month: list[WhatIfMonth]
    reading_newer: bool = Field(
        description="Changed tickets are being read: these are the last figures read."
    )
