"""Decisions asked of the policy: the questions, the recorded answers, the listing and
the refund's instants (docs/eligibility.md, "The API")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

REF = Field(None, max_length=100, description="The helpdesk ticket or order it is about.")


class DeliveryDecisionCreate(BaseModel):
    """An order's delivery promise; with ``delivered_at``, whether it came on time."""

    model_config = ConfigDict(extra="forbid")

    ordered_at: AwareDatetime = Field(description="When the order was placed, with its offset.")
    region: str = Field(min_length=1, max_length=100, description="The delivery region.")
    method: str = Field(min_length=1, max_length=100, description="The delivery method.")
    delivered_at: AwareDatetime | None = Field(None, description="When it was delivered.")
    ticket_ref: str | None = REF
    order_ref: str | None = REF


class ReturnDecisionCreate(BaseModel):
    """Whether an item may be returned, and on what terms."""

    model_config = ConfigDict(extra="forbid")

    ordered_at: AwareDatetime = Field(description="When the order was placed, with its offset.")
    delivered_at: AwareDatetime | None = Field(
        None, description="When it was delivered (an order in parts: its last delivery)."
    )
    category: str = Field(min_length=1, max_length=100, description="The product category.")
    reason: str = Field(min_length=1, max_length=100, description="One of the policy's reasons.")
    price: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="The item's price (19.99)."
    )
    informed_of_right: bool = Field(
        True, description="Whether the customer was told of the right to return."
    )
    unmet_conditions: list[str] = Field(
        default_factory=list, max_length=20, description="Ids of return conditions not met."
    )
    ticket_ref: str | None = REF
    order_ref: str | None = REF


class RefundUpdate(BaseModel):
    """Instants of a return's refund; a field left out keeps what was recorded."""

    model_config = ConfigDict(extra="forbid")

    received_back_at: AwareDatetime | None = Field(None, description="Goods received back.")
    evidence_at: AwareDatetime | None = Field(None, description="Evidence of return given.")
    paid_at: AwareDatetime | None = Field(None, description="The refund was paid.")


class ClauseCitedPublic(BaseModel):
    id: str
    text: str


class VersionCitedPublic(BaseModel):
    id: int | None = Field(description="The version's id (null once it was deleted).")
    label: str = Field(description="The policy's slug and the version's number.")
    content_hash: str = Field(description="SHA-256 of the version's text.")
    basis: str = Field(description="order: in force at the order instant; current: in "
                       "force when asked, as none was at the order.")  # fmt: skip


class DecisionPublic(BaseModel):
    id: int
    kind: str = Field(description="delivery | return")
    asked_at: dt.datetime
    asked_by: int | None = Field(description="The account that asked.")
    asked_by_name: str
    asked_via: str = Field(description="session | token | cli")
    inputs: dict[str, Any]
    outcome: str = Field(
        description="delivery: promised | on_time | late; return: allowed | refused | "
        "needs_approval"
    )
    outcome_words: str
    answer: dict[str, Any] = Field(description="The answer's dates, refund and notes.")
    clauses: list[ClauseCitedPublic] = Field(description="The deciding clause first.")
    version: VersionCitedPublic
    ticket_ref: str | None
    order_ref: str | None
    ordered_at: dt.datetime | None
    received_back_at: dt.datetime | None
    evidence_at: dt.datetime | None
    refund_due_at: dt.datetime | None
    refund_paid_at: dt.datetime | None
    refund_state: str | None = Field(description="on_time | late | overdue, or null.")


class RefundKpiPublic(BaseModel):
    on_time: int = Field(description="Paid at or before the due instant.")
    late: int = Field(description="Paid after the due instant.")
    overdue: int = Field(description="Past the due instant, unpaid.")
    share: float | None = Field(description="on_time / (on_time + late + overdue).")
    at: dt.datetime


class DecisionListPublic(BaseModel):
    total: int
    page: int
    limit: int
    decisions: list[DecisionPublic]
    refunds: RefundKpiPublic
