"""Promises about orders: delivery times, returns and refunds.

Complaint handling is in :mod:`charter.policy.complaints`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from charter.policy._base import Clause, Model
from charter.policy.units import DurationField, Id, ShareField


class DayRange(Model):
    """A range of business days, e.g. 2 to 3."""

    min: int = Field(ge=0, description="Fewest business days.")
    max: int = Field(ge=0, description="Most business days; the promise customers rely on.")

    @model_validator(mode="after")
    def _ordered(self) -> DayRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min}); swap them")
        return self


class DeliveryPromise(Model):
    """How long delivery takes for a region and method."""

    id: Id = Field(description="Stable id of the promise.")
    region: str = Field(min_length=1, description="Where it applies (UK mainland, EU).")
    method: str = Field(min_length=1, description="Delivery method (standard, express).")
    handling_days: DayRange = Field(
        description="Business days from order to dispatch (schema.org handlingTime)."
    )
    transit_days: DayRange = Field(
        description="Business days from dispatch to delivery (schema.org transitTime)."
    )
    calendar: Id | None = Field(
        None, description="Calendar whose opening days count as business days (dispatch)."
    )
    cutoff: str | None = Field(
        None,
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Orders placed before this local time (HH:MM) are handled the same day.",
    )
    cost: str | None = Field(None, description="What it costs, in words (free over £40).")


RefundMethod = Literal["original_payment", "store_credit", "exchange", "customer_choice"]
ReturnFees = Literal["free", "customer_pays", "restocking_fee"]
ReturnMethod = Literal["by_mail", "in_store", "kiosk", "pickup"]


class Exclusion(Model):
    """Items that cannot be returned, and why."""

    id: Id = Field(description="Stable id of the exclusion.")
    text: str = Field(min_length=1, description="The exclusion in plain words.")
    categories: list[str] = Field(default_factory=list, description="Product categories it covers.")


class Refund(Model):
    """How and how fast money goes back."""

    method: RefundMethod = Field(description="How refunds are paid.")
    within: DurationField = Field(description="Time from receiving the return to the refund.")
    clock: Id = Field("24x7", description="Calendar the refund time runs on, or 24x7.")


class Returns(Model):
    """The returns and refunds policy."""

    id: Id = Field("returns", description="Stable id of this section.")
    window_days: int = Field(ge=0, description="Calendar days a customer has to return an item.")
    window_starts: Literal["delivery", "purchase"] = Field(
        "delivery", description="What starts the window."
    )
    conditions: list[Clause] = Field(
        default_factory=list, description="Conditions a return must meet."
    )
    exclusions: list[Exclusion] = Field(
        default_factory=list, description="What cannot be returned."
    )
    fees: ReturnFees = Field("free", description="Who pays for the return.")
    restocking_fee: ShareField | None = Field(
        None, description="Share of the price kept when fees is restocking_fee."
    )
    methods: list[ReturnMethod] = Field(
        default_factory=lambda: list[ReturnMethod](["by_mail"]),
        description="How items can be returned.",
    )
    refund: Refund = Field(description="How refunds are paid and how fast.")

    @model_validator(mode="after")
    def _fee_given(self) -> Returns:
        if self.fees == "restocking_fee" and self.restocking_fee is None:
            raise ValueError("fees is restocking_fee but restocking_fee is missing; add e.g. 15%")
        return self
