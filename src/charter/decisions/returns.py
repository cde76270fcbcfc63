"""Return and refund decisions: allowed, refused or needing approval, citing the clause
of the ``returns`` section that decided, with the window's end and the refund's terms.

How a request is decided (docs/eligibility.md, "Returns and refunds"):

- The reason must be one of the policy's reasons when it lists any; a category rule
  (``returns.categories``) may give the category another window or ask for approval.
- The checks run in the policy's ``check_order`` (exclusions, window, conditions by
  default); the first that fails refuses the return and its clause is cited first.
  A reason may bypass the exclusions or the window (faulty goods).
- The window counts calendar days, or working days of the section's calendar, from
  its anchor (the item's delivery, the last delivery of a split order, or the
  purchase) by the section's counting conventions, through ``deadlines.deadline``; 12
  months are added when the customer was not told of the right (EU 2011/83 art. 10).
- When every check passes, a category rule or reason needing approval makes the
  answer ``needs_approval``; otherwise ``allowed``. Either way the refund's terms come
  with it: method, restocking fee rounded to the penny, and when it is due.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... returns: {window_days: 14, refund: {method: original_payment, within: 14d}}
... ''').policy
>>> at = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
>>> d = decide_return(policy, ReturnRequest(at, at, "toys", "changed_mind", asked_at=at))
>>> d.outcome, d.window_ends_utc.isoformat()
('allowed', '2026-12-15T23:59:59+00:00')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from charter import clock
from charter.decisions import _return_checks as checks
from charter.decisions import _return_words as words
from charter.decisions._inputs import require_offset, returns_section, years_around
from charter.decisions.clause import Clause
from charter.decisions.deadlines import Deadline, Limit, deadline
from charter.decisions.refund import RefundTerms, refund_terms
from charter.errors import InvalidInput
from charter.policy.clock import opening_hours
from charter.policy.counting import Counting
from charter.policy.returns import CategoryRule, Returns
from charter.policy.schema import Policy

__all__ = [
    "RefundTerms",
    "refund_terms",
    "ReturnDecision",
    "ReturnRequest",
    "decide_return",
    "return_categories",
    "return_reasons",
]

Outcome = Literal["allowed", "refused", "needs_approval"]


@dataclass(frozen=True)
class ReturnRequest:
    """What an agent knows when a customer asks to return an item.

    ``delivered_at`` is the order's last delivery for an order sent in parts (EU
    2011/83 art. 9); ``item_delivered_at`` this item's own, when it came earlier and
    the policy's window starts at the item's delivery.
    """

    ordered_at: dt.datetime
    delivered_at: dt.datetime | None
    category: str
    reason: str
    price: Decimal | None = None
    asked_at: dt.datetime | None = None
    informed_of_right: bool = True
    unmet_conditions: tuple[str, ...] = ()
    item_delivered_at: dt.datetime | None = None


@dataclass(frozen=True)
class ReturnDecision:
    """The answer to a return request, the clauses that decided it first."""

    outcome: Outcome
    window_ends_utc: dt.datetime | None
    window_ends_local: dt.datetime | None
    refund: RefundTerms | None
    clauses: tuple[Clause, ...]
    steps: tuple[str, ...]

    @property
    def clause(self) -> Clause:
        """The deciding clause."""
        return self.clauses[0]

    def as_dict(self) -> dict[str, Any]:
        """The decision as JSON values: instants in ISO 8601, amounts as strings."""
        refund = self.refund
        return {
            "outcome": self.outcome,
            "window_ends_utc": _iso(self.window_ends_utc),
            "window_ends_local": _iso(self.window_ends_local),
            "refund": None if refund is None else {
                "method": refund.method,
                "fee_share": refund.fee_share,
                "fee": _money(refund.fee),
                "amount": _money(refund.amount),
                "due_by": refund.due_by,
                "rule": refund.rule,
            },
            "clauses": [
                {"id": c.id, "text": c.text, **({"version": c.version} if c.version else {})}
                for c in self.clauses
            ],
            "steps": list(self.steps),
        }  # fmt: skip


def return_reasons(policy: Policy) -> list[tuple[str, str]]:
    """The policy's return reasons as ``(id, words)``, in its order; empty when any goes."""
    returns = policy.returns
    return [] if returns is None else [(r.id, r.text) for r in returns.reasons]


def return_categories(policy: Policy) -> list[str]:
    """Every product category the returns section names, in order, without repeats."""
    returns = policy.returns
    if returns is None:
        return []
    named = [c for e in returns.exclusions for c in e.categories]
    named += [rule.category for rule in returns.categories]
    return list(dict.fromkeys(named))


def decide_return(
    policy: Policy, request: ReturnRequest, *, version: str | None = None
) -> ReturnDecision:
    """Whether ``request`` may be returned under ``policy``, and on what terms.

    Raises ``InvalidInput`` whose detail names the field: ``ordered``, ``delivered``,
    ``asked``, ``category``, ``reason``, ``price``, ``unmet`` (conditions) or ``policy``.
    """
    returns = returns_section(policy)
    asked = _check(request)
    reason = checks.reason_of(returns, request.reason)
    rule = returns.category_rule(request.category)
    unmet = checks.unmet_of(returns, request.unmet_conditions)
    steps: list[str] = [words.asked(request.category, request.reason, asked)]
    window, window_clause, has_window = _window(policy, returns, rule, request, version, steps)
    failed: list[Clause] = []
    for check in returns.check_order:
        if check == "exclusions":
            failed = checks.excluded(returns, request.category, reason, version, steps)
        elif check == "window":
            failed = checks.outside(window, has_window, window_clause, asked, reason, steps)
        else:
            failed = checks.unmet_conditions(returns, unmet, version, steps)
        if failed:
            break
    ends = window.ends_utc if window else None
    local = window.ends_local if window else None
    if failed:
        steps.append(f"refused: {failed[0].id} decides")
        return ReturnDecision("refused", ends, local, None, tuple(failed), tuple(steps))
    approval = checks.approval(returns, rule, reason, version)
    cited = [*approval, window_clause] + (
        [checks.reason_clause(returns, reason, version)] if reason else []
    )
    outcome: Outcome = "needs_approval" if approval else "allowed"
    steps.append(words.outcome(outcome, approval))
    waived = False
    if reason is not None and reason.waives_fees and returns.fees == "restocking_fee":
        waived = True
        steps.append(f"no restocking fee: a return because {reason.text!r} pays none")
    refund = refund_terms(policy, request.price, around=request.ordered_at, waive_fee=waived)
    return ReturnDecision(outcome, ends, local, refund, tuple(dict.fromkeys(cited)), tuple(steps))


def _iso(instant: dt.datetime | None) -> str | None:
    return None if instant is None else instant.isoformat()


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _check(request: ReturnRequest) -> dt.datetime:
    require_offset(request.ordered_at, "ordered", "the order instant")
    for instant, name in (
        (request.delivered_at, "delivered"),
        (request.item_delivered_at, "delivered"),
    ):
        if instant is None:
            continue
        require_offset(instant, name, "the delivery instant")
        if instant < request.ordered_at:
            raise InvalidInput(
                f"the delivery ({instant.isoformat()}) is before the order "
                f"({request.ordered_at.isoformat()})",
                [{"field": name}],
            )
    asked = request.asked_at if request.asked_at is not None else clock.now()
    require_offset(asked, "asked", "the instant the customer asked")
    if asked < request.ordered_at:
        raise InvalidInput(
            f"the request ({asked.isoformat()}) is before the order "
            f"({request.ordered_at.isoformat()})",
            [{"field": "asked"}],
        )
    if not request.category.strip():
        raise InvalidInput("the item's category is empty; give its product category",
                           [{"field": "category"}])  # fmt: skip
    if request.price is not None and (not request.price.is_finite() or request.price < 0):
        raise InvalidInput(f"the price {request.price} is not an amount of money; give e.g. 19.99",
                           [{"field": "price"}])  # fmt: skip
    return asked


def _window(
    policy: Policy,
    returns: Returns,
    rule: CategoryRule | None,
    request: ReturnRequest,
    version: str | None,
    steps: list[str],
) -> tuple[Deadline | None, Clause, bool]:
    days = returns.window_days
    clause = Clause("returns", words.window_text(returns, days), version)
    if rule is not None and rule.window_days is not None:
        days = rule.window_days
        clause = Clause(f"returns.categories.{rule.id}", words.rule_text(returns, rule), version)
    anchor, name = _anchor(returns, request)
    if anchor is None:
        steps.append("not delivered yet: the window has not begun, so it has not ended")
        return None, clause, days > 0
    if days == 0:
        steps.append(f"{clause.id}: no return window")
        return None, clause, False
    unit = "wd" if returns.window_unit == "working_days" else "d"
    calendar = returns.calendar or "24x7"
    hours = opening_hours(policy, calendar, years=years_around(anchor))
    counted = deadline(anchor, Limit(days, unit), hours, returns.counting or Counting(),
                       anchor_name=name)  # fmt: skip
    steps.extend(counted.steps)
    if not request.informed_of_right and returns.not_informed_extension:
        counted = _art10(counted, steps)
    return counted, clause, True


def _anchor(returns: Returns, request: ReturnRequest) -> tuple[dt.datetime | None, str]:
    if returns.window_starts == "purchase":
        return request.ordered_at, "ordered"
    if returns.window_starts == "delivery" and request.item_delivered_at is not None:
        return request.item_delivered_at, "delivered"
    name = "last item delivered" if returns.window_starts == "last_delivery" else "delivered"
    return request.delivered_at, name


def _art10(window: Deadline, steps: list[str]) -> Deadline:
    end = _plus_year(window.end_day)
    zone = window.ends_local.tzinfo
    ends = dt.datetime.combine(end, dt.time(23, 59, 59), zone)
    steps.append(words.art10(end, ends))
    return Deadline(window.anchor, window.limit, window.calendar, window.first_counted_day, end,
                    ends.astimezone(dt.UTC), ends, window.steps)  # fmt: skip


def _plus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the period ends on the last day of that month
        return dt.date(day.year + 1, 2, 28)
