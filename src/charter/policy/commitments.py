"""Promises about orders: delivery times.

Returns and refunds are in :mod:`charter.policy.returns`; complaint handling is in
:mod:`charter.policy.complaints`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from charter.policy._base import Model
from charter.policy.units import Id


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
