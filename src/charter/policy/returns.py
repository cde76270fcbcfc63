"""The returns and refunds policy: the window, its exclusions, conditions, reasons and
per-category rules, the order they are checked in, and how the refund is paid.

Every setting has a default, so a policy written before one existed loads unchanged
and means what it meant: a window in calendar days from delivery, checked exclusions
first, then the window, then the conditions; a restocking fee rounded half up to the
penny; a refund due counted from the earlier of the item received back or evidence
of its return; twelve months added when the customer was not told of the right to
withdraw (EU Directive 2011/83 art. 10, UK CCR 2013 reg. 31). ``docs/eligibility.md``
says how ``charter.decisions.returns`` applies them.

>>> r = Returns.model_validate({"window_days": 30,
...     "refund": {"method": "original_payment", "within": "14d"}})
>>> r.window_unit, r.window_starts, r.check_order, r.fee_rounding
('days', 'delivery', ['exclusions', 'window', 'conditions'], 'half_up')
>>> r.refund.counts_from
'earlier_of_received_or_evidence'
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from charter.policy._base import Clause, Model
from charter.policy.counting import Counting
from charter.policy.units import DurationField, Id, ShareField

RefundMethod = Literal["original_payment", "store_credit", "exchange", "customer_choice"]
ReturnFees = Literal["free", "customer_pays", "restocking_fee"]
ReturnMethod = Literal["by_mail", "in_store", "kiosk", "pickup"]
ReturnCheck = Literal["exclusions", "window", "conditions"]
ReturnAnchor = Literal["delivery", "last_delivery", "purchase"]
WindowUnit = Literal["days", "working_days"]
FeeRounding = Literal["half_up", "down"]
RefundCountsFrom = Literal["earlier_of_received_or_evidence", "received"]

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]

CHECK_ORDER: tuple[ReturnCheck, ...] = ("exclusions", "window", "conditions")


class Exclusion(Model):
    """Items that cannot be returned, and why."""

    id: Id = Field(description="Stable id of the exclusion.")
    text: str = Field(min_length=1, description="The exclusion in plain words.")
    categories: list[str] = Field(default_factory=list, description="Product categories it covers.")


class ReturnReason(Model):
    """Why a customer returns an item (changed mind, faulty, wrong item)."""

    id: Id = Field(description="Stable id of the reason, as agents and forms give it.")
    text: str = Field(min_length=1, description="The reason in plain words.")
    needs_approval: bool = Field(
        False, description="Whether a return for this reason needs a manager's approval; no."
    )
    bypasses_window: bool = Field(
        False,
        description=(
            "Whether the return window does not apply to this reason (faulty goods: the "
            "statutory rights outlast it); no by default."
        ),
    )
    bypasses_exclusions: bool = Field(
        False,
        description=(
            'Whether the exclusions do not apply to this reason ("cannot be returned unless '
            'faulty"); no by default.'
        ),
    )
    waives_fees: bool = Field(
        False,
        description=(
            "Whether a return for this reason pays no restocking fee (faulty goods, or our "
            "mistake: UK and EU law allow no deduction then); no by default."
        ),
    )


class CategoryRule(Model):
    """A rule of its own for one product category: another window, or approval."""

    id: Id = Field(description="Stable id of the rule, cited by decisions.")
    category: str = Field(min_length=1, description="The product category it applies to.")
    text: str | None = Field(None, description="The rule in plain words, if it needs saying.")
    window_days: int | None = Field(
        None,
        ge=0,
        description="The window for this category, in the section's unit; the section's own "
        "by default.",
    )
    needs_approval: bool = Field(
        False, description="Whether every return in this category needs approval; no."
    )


class Refund(Model):
    """How and how fast money goes back."""

    method: RefundMethod = Field(description="How refunds are paid.")
    within: DurationField = Field(
        description="Time from the return (see counts_from) to the refund."
    )
    clock: Id = Field("24x7", description="Calendar the refund time runs on, or 24x7.")
    counts_from: RefundCountsFrom = Field(
        "earlier_of_received_or_evidence",
        description=(
            "What the refund time counts from: the earlier of receiving the item back or "
            "evidence that it was sent back (earlier_of_received_or_evidence, the default, "
            "as EU Directive 2011/83 art. 13(3) allows), or receiving it (received)."
        ),
    )


class Returns(Model):
    """The returns and refunds policy."""

    id: Id = Field("returns", description="Stable id of this section.")
    window_days: int = Field(
        ge=0, description="How long a customer has to return an item, in window_unit."
    )
    window_unit: WindowUnit = Field(
        "days",
        description=(
            "What the window counts: calendar days (days, the default) or the working days "
            "of the calendar named by calendar (working_days)."
        ),
    )
    window_starts: ReturnAnchor = Field(
        "delivery",
        description=(
            "What starts the window: the item's delivery (delivery, the default), the last "
            "delivery of an order sent in parts (last_delivery, EU 2011/83 art. 9), or the "
            "purchase."
        ),
    )
    calendar: Id | None = Field(
        None,
        description=(
            "Calendar whose working days a working_days window counts and whose closed days "
            "a window in days may move off; none (every day counts, UTC) by default."
        ),
    )
    counting: Counting | None = Field(
        None,
        description=(
            "How the window's days are counted: the anchor as day 0, a window ending on a "
            "closed day moving to the next working day, the end of the day (defaults: "
            "docs/complaints.md)."
        ),
    )
    not_informed_extension: bool = Field(
        True,
        description=(
            "Whether 12 months are added to the window when the customer was not told of the "
            "right to return (EU 2011/83 art. 10, UK CCR 2013 reg. 31); yes by default."
        ),
    )
    check_order: list[ReturnCheck] = Field(
        default_factory=lambda: list(CHECK_ORDER),
        description=(
            "The order the checks run in; the first that fails decides (default: "
            "exclusions, window, conditions)."
        ),
    )
    reasons: list[ReturnReason] = Field(
        default_factory=list, description="Reasons a customer may give; any by default."
    )
    categories: list[CategoryRule] = Field(
        default_factory=list, description="Rules of their own for product categories."
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
    fee_rounding: FeeRounding = Field(
        "half_up",
        description=(
            "How the restocking fee is rounded to the penny: half up (half_up, the default) "
            "or down, in the customer's favour (down)."
        ),
    )
    countries: list[Country] = Field(
        default_factory=list,
        description="Countries the policy applies to (ISO 3166 codes: GB, IE); none by default.",
    )
    return_country: Country | None = Field(
        None, description="Country items are sent back to (ISO 3166 code); not said by default."
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

    @model_validator(mode="after")
    def _working_days_need_a_calendar(self) -> Returns:
        if self.window_unit == "working_days" and self.calendar is None:
            raise ValueError(
                "window_unit is working_days but no calendar says which days work; "
                "add calendar: <a calendar id>"
            )
        return self

    @model_validator(mode="after")
    def _each_check_once(self) -> Returns:
        if sorted(self.check_order) != sorted(CHECK_ORDER):
            raise ValueError(
                f"check_order {self.check_order} must name exclusions, window and conditions "
                "once each, in the order they are checked"
            )
        return self

    def reason(self, reason_id: str) -> ReturnReason | None:
        """The reason with this id, or None."""
        return next((r for r in self.reasons if r.id == reason_id), None)

    def category_rule(self, category: str) -> CategoryRule | None:
        """The first rule for ``category`` (compared without case), or None."""
        wanted = category.strip().casefold()
        return next((c for c in self.categories if c.category.casefold() == wanted), None)
