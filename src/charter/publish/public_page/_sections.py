"""Delivery, returns and refunds, and feedback, in plain words (complaints: ``_complaints``).

>>> day_range(0, 1), day_range(2, 3), day_range(1, 1), day_range(0, 0)
('same working day to 1 working day', '2–3 working days', '1 working day', 'same working day')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from charter import figures
from charter.policy.commitments import DayRange, DeliveryPromise
from charter.policy.counting import Counting
from charter.policy.returns import CategoryRule, ReturnReason
from charter.policy.schema import Policy
from charter.publish.public_page._time import date_words
from charter.publish.public_page._words import listing, within

RETURN_METHODS = {"by_mail": "by post", "in_store": "in one of our shops",
                  "kiosk": "at a return kiosk", "pickup": "by asking us to collect it"}  # fmt: skip
ANCHORS = {"delivery": "its delivery", "last_delivery": "the last delivery of your order",
           "purchase": "its purchase"}  # fmt: skip
REFUND_FROM = {
    "earlier_of_received_or_evidence": "receiving the item back or your proof that you sent "
    "it, whichever comes first",
    "received": "receiving the item back",
}
REFUNDS = {
    "original_payment": "to your original payment method",
    "store_credit": "as store credit",
    "exchange": "as an exchange for another item",
    "customer_choice": "to your original payment method, as store credit or as an exchange, "
    "as you choose",
}


@dataclass(frozen=True)
class Item:
    """A cited piece of text: its clause id and its words."""

    anchor: str
    text: str


@dataclass(frozen=True)
class DeliveryRow:
    anchor: str
    region: str
    method: str
    dispatch: str
    transit: str
    total: str
    cutoff: str | None
    cost: str | None


@dataclass(frozen=True)
class ReturnsView:
    anchor: str
    sentences: list[str]
    conditions: list[Item]
    exclusions: list[Item]
    reasons: list[Item] = field(default_factory=list)
    categories: list[Item] = field(default_factory=list)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def day_range(low: int, high: int) -> str:
    """A range of working days in words."""
    if high == 0:
        return "same working day"
    if low == high:
        return _plural(high, "working day")
    if low == 0:
        return f"same working day to {_plural(high, 'working day')}"
    return f"{low}–{high} working days"


def delivery_rows(policy: Policy) -> list[DeliveryRow]:
    return [_delivery(policy, d) for d in policy.delivery]


def _delivery(policy: Policy, promise: DeliveryPromise) -> DeliveryRow:
    total = DayRange(
        min=promise.handling_days.min + promise.transit_days.min,
        max=promise.handling_days.max + promise.transit_days.max,
    )
    cutoff = None
    if promise.cutoff is not None:
        calendar = policy.calendar(promise.calendar) if promise.calendar else None
        zone = f" ({calendar.timezone} time)" if calendar else ""
        cutoff = f"Order before {promise.cutoff}{zone} for dispatch the same working day"
    return DeliveryRow(
        anchor=f"delivery.{promise.id}",
        region=promise.region,
        method=promise.method,
        dispatch=day_range(promise.handling_days.min, promise.handling_days.max),
        transit=day_range(promise.transit_days.min, promise.transit_days.max),
        total=day_range(total.min, total.max),
        cutoff=cutoff,
        cost=promise.cost,
    )


def returns_view(policy: Policy) -> ReturnsView | None:
    returns = policy.returns
    if returns is None:
        return None
    sentences = []
    if returns.window_days:
        sentences.append(f"You can return an item within {_window(policy, returns.window_days)} "
                         f"of {ANCHORS[returns.window_starts]}.")  # fmt: skip
        sentences.extend(_window_rules(policy))
    else:
        sentences.append("We do not take back items you have changed your mind about.")
    fee = figures.share(returns.restocking_fee or 0)
    sentences.append({
        "free": "Returns are free.",
        "customer_pays": "You pay the cost of sending an item back.",
        "restocking_fee": f"We keep a restocking fee of {fee} of the price.",
    }[returns.fees])  # fmt: skip
    methods = [RETURN_METHODS[m] for m in returns.methods]
    sentences.append(f"You can return an item {listing(methods, 'or')}.")
    refund = returns.refund
    time = within(refund.within, refund.clock)
    counted_from = REFUND_FROM[refund.counts_from]
    sentences.append(f"We refund you {REFUNDS[refund.method]} within {time} of {counted_from}.")
    return ReturnsView(
        anchor=returns.id,
        sentences=sentences,
        conditions=[Item(f"{returns.id}.conditions.{c.id}", c.text) for c in returns.conditions],
        exclusions=[Item(f"{returns.id}.exclusions.{e.id}", e.text) for e in returns.exclusions],
        reasons=[
            Item(f"{returns.id}.reasons.{r.id}", _reason(r, returns.fees)) for r in returns.reasons
        ],  # fmt: skip
        categories=[
            Item(f"{returns.id}.categories.{c.id}", _category(policy, c))
            for c in returns.categories
        ],
    )


def _window(policy: Policy, days: int) -> str:
    """``30 days`` or ``20 working days (by our Warehouse calendar)``."""
    returns = policy.returns
    assert returns is not None
    if returns.window_unit == "days":
        return _plural(days, "day")
    calendar = policy.calendar(returns.calendar or "")
    name = calendar.name or calendar.id if calendar else returns.calendar
    return f"{_plural(days, 'working day')} (by our {name} calendar)"


def _window_rules(policy: Policy) -> list[str]:
    returns = policy.returns
    assert returns is not None
    counting = returns.counting or Counting()
    said = []
    if returns.window_starts == "last_delivery":
        said.append("For an order sent in parts, the time counts from the last parcel.")
    if returns.calendar and returns.window_unit == "days":
        if counting.closed_day_end == "next_working_day":
            said.append("If the last day is a day we are closed, you have until the next day "
                        "we are open.")  # fmt: skip
    return said


def _reason(reason: ReturnReason, fees: str) -> str:
    notes = []
    if reason.bypasses_window:
        notes.append("at any time, not only within the return window")
    if reason.bypasses_exclusions:
        notes.append("even for items we otherwise cannot take back")
    if reason.waives_fees and fees == "restocking_fee":
        notes.append("with no restocking fee")
    if reason.needs_approval:
        notes.append("once we have approved it")
    return reason.text + (f" We take it back {listing(notes, 'and')}." if notes else "")


def _category(policy: Policy, rule: CategoryRule) -> str:
    parts = [rule.text] if rule.text else []
    if rule.window_days is not None:
        window = _window(policy, rule.window_days) if rule.window_days else "no return window"
        parts.append(f"{rule.category.capitalize()}: {window}.")
    if rule.needs_approval and not rule.text:
        parts.append(f"Returns of {rule.category} need our approval first.")
    return " ".join(parts)


def feedback(policy: Policy) -> list[str]:
    """How to tell the business what you think, and when the charter is next reviewed."""
    ways = [f"{c.name or c.channel}: {c.address}" for c in policy.contact_points]
    sentences = ["Tell us what you think of this charter and of our service, good or bad."]
    if ways:
        sentences.append(f"Write or talk to us on any channel: {listing(ways)}.")
    if policy.review is not None:
        review = policy.review
        sentences.append(
            f"We review this charter every {review.cadence_months} months; the next review is "
            f"on {date_words(review.next_review)}, and what you tell us is part of it."
        )
    return sentences
