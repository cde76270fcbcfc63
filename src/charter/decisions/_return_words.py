"""The returns rules in plain words, as decisions cite them and the public page shows them.

>>> from charter.policy.returns import Returns
>>> r = Returns.model_validate({"window_days": 30, "window_starts": "last_delivery",
...     "refund": {"method": "original_payment", "within": "14d"}})
>>> window_text(r, 30)
'Items can be returned within 30 days of the last delivery of the order.'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sized
from typing import TYPE_CHECKING

from charter import figures

if TYPE_CHECKING:
    from charter.policy.returns import CategoryRule, Refund, ReturnReason, Returns

ANCHORS = {
    "delivery": "delivery",
    "last_delivery": "the last delivery of the order",
    "purchase": "purchase",
}
COUNTS_FROM = {
    "earlier_of_received_or_evidence": "the earlier of receiving the item back or evidence of "
    "its return",
    "received": "receiving the item back",
}
METHODS = {
    "original_payment": "to the original payment method",
    "store_credit": "as store credit",
    "exchange": "as an exchange",
    "customer_choice": "as the customer chooses",
}


def window_length(returns: Returns, days: int) -> str:
    """``30 days``, ``20 working days (warehouse calendar)``."""
    if returns.window_unit == "working_days":
        return f"{_plural(days, 'working day')} (calendar {returns.calendar})"
    return _plural(days, "day")


def window_text(returns: Returns, days: int) -> str:
    """The window in one sentence."""
    if days == 0:
        return "No return window: items are returned only for a reason the window does not bind."
    return (
        f"Items can be returned within {window_length(returns, days)} of "
        f"{ANCHORS[returns.window_starts]}."
    )


def rule_text(returns: Returns, rule: CategoryRule) -> str:
    """A category rule in words, its own text first."""
    parts = [rule.text] if rule.text else []
    if rule.window_days is not None:
        parts.append(f"{rule.category}: {window_text(returns, rule.window_days)}")
    if rule.needs_approval:
        parts.append(f"Returns of {rule.category} need approval.")
    return " ".join(parts)


def reason_text(reason: ReturnReason, fees: str = "free") -> str:
    """A reason in words with what it changes (``fees``: the section's)."""
    notes = []
    if reason.bypasses_window:
        notes.append("not bound by the return window")
    if reason.bypasses_exclusions:
        notes.append("not bound by the exclusions")
    if reason.waives_fees and fees == "restocking_fee":
        notes.append("no restocking fee")
    if reason.needs_approval:
        notes.append("needs approval")
    return reason.text + (f" ({'; '.join(notes)})" if notes else "")


def refund_rule(refund: Refund, within: str, counts: str) -> str:
    """``Refunded to the original payment method within 14 days of ...``."""
    return f"Refunded {METHODS[refund.method]} within {within} of {counts}."


def asked(category: str, reason: str, at: dt.datetime) -> str:
    return f"asked {instant(at)} to return {category} ({reason})"


def outcome(result: str, approval: Sized) -> str:
    if result == "needs_approval":
        return f"every check passes; {len(approval)} rule(s) ask for approval"
    return "every check passes: the return is allowed"


def art10(end: dt.date, ends: dt.datetime) -> str:
    return (
        "the customer was not told of the right to return: 12 months are added "
        f"(EU 2011/83 art. 10), to {instant(ends)}"
    )


def instant(at: dt.datetime) -> str:
    return figures.instant(at, seconds=True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
