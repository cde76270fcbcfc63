"""A return's refund: how it is paid, the restocking fee rounded to the penny, and when
it is due, counted from what the policy names (docs/eligibility.md, "Returns and refunds").

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... returns: {window_days: 14, fees: restocking_fee, restocking_fee: 15%, fee_rounding: down,
...           refund: {method: original_payment, within: 14d}}
... ''').policy
>>> terms = refund_terms(policy, Decimal("19.99"))
>>> terms.fee, terms.amount
(Decimal('2.99'), Decimal('17.00'))
>>> terms.due(evidence_at=dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)).isoformat()
'2026-12-21T23:59:59+00:00'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from charter import clock
from charter.decisions import _return_words as words
from charter.decisions._inputs import require_offset, returns_section, years_around
from charter.decisions.deadlines import Deadline, Limit, deadline
from charter.errors import InvalidInput
from charter.hours import OpeningHours
from charter.policy.clock import opening_hours
from charter.policy.counting import Counting
from charter.policy.schema import Policy

__all__ = ["RefundTerms", "refund_terms"]

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class RefundTerms:
    """How the refund is paid and when it is due."""

    method: str
    fee_share: float
    fee: Decimal | None
    amount: Decimal | None
    within: str
    counts_from: str
    due_by: str
    rule: str
    limit: Limit | None = field(repr=False)
    seconds: int = field(repr=False)
    calendar: OpeningHours = field(compare=False, repr=False)
    counting: Counting = field(compare=False, repr=False)

    def due(
        self, received_back_at: dt.datetime | None = None, evidence_at: dt.datetime | None = None
    ) -> dt.datetime:
        """The instant the refund is due (UTC), counted from what the policy names."""
        return self.due_deadline(received_back_at, evidence_at).ends_utc

    def due_deadline(
        self, received_back_at: dt.datetime | None = None, evidence_at: dt.datetime | None = None
    ) -> Deadline:
        """The refund's deadline with its steps; ``InvalidInput`` names a missing instant."""
        start, name = _refund_start(self.counts_from, received_back_at, evidence_at)
        if self.limit is not None:
            return deadline(start, self.limit, self.calendar, self.counting, anchor_name=name)
        ends = self.calendar.add(start, self.seconds).astimezone(dt.UTC)
        steps = (f"{name} {words.instant(start)}", f"{self.within} later: {words.instant(ends)}")
        return Deadline(start, Limit(0, "d"), self.calendar, start.date(), ends.date(), ends,
                        ends, steps)  # fmt: skip


def refund_terms(
    policy: Policy,
    price: Decimal | None,
    *,
    around: dt.datetime | None = None,
    waive_fee: bool = False,
) -> RefundTerms:
    """The refund of an item costing ``price`` (None: the amount is not known);
    ``around`` (default now) is when the return happens, for the clock's holidays;
    ``waive_fee`` when the return's reason pays no restocking fee."""
    returns = returns_section(policy)
    refund = returns.refund
    charged = returns.fees == "restocking_fee" and not waive_fee
    share = returns.restocking_fee if charged else None
    fee = amount = None
    if price is not None:
        fee = _fee(price, share or 0.0, returns.fee_rounding)
        amount = price - fee
    hours = opening_hours(policy, refund.clock, years=years_around(around or clock.now()))
    try:
        limit: Limit | None = Limit.parse(refund.within)
    except InvalidInput:
        limit = None  # hours or minutes: counted as business time on the clock
    within = refund.within.words(business=refund.clock != "24x7")
    counts = words.COUNTS_FROM[refund.counts_from]
    return RefundTerms(
        method=refund.method,
        fee_share=share or 0.0,
        fee=fee,
        amount=amount,
        within=within,
        counts_from=refund.counts_from,
        due_by=f"within {within} of {counts}",
        rule=words.refund_rule(refund, within, counts),
        limit=limit,
        seconds=refund.within.seconds,
        calendar=hours,
        counting=returns.counting or Counting(),
    )


def _fee(price: Decimal, share: float, rounding: str) -> Decimal:
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_DOWN
    return (price * Decimal(str(share))).quantize(PENNY, rounding=mode)


def _refund_start(
    counts_from: str, received: dt.datetime | None, evidence: dt.datetime | None
) -> tuple[dt.datetime, str]:
    given = [(at, name) for at, name in ((received, "item received back"),
             (evidence, "evidence of return")) if at is not None]  # fmt: skip
    if counts_from == "received":
        given = given[:1] if received is not None else []
    if not given:
        wanted = (
            "received_back_at" if counts_from == "received" else "received_back_at or evidence_at"
        )
        raise InvalidInput(f"the refund's due date needs {wanted}", [{"field": "received"}])
    for at, name in given:
        field_name = "received" if name.startswith("item") else "evidence"
        require_offset(at, field_name, f"the instant of {name}")
    return min(given, key=lambda pair: pair[0])
