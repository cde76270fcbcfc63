"""Refunds of recorded return decisions: their instants, and how many were paid within
their promised days (docs/eligibility.md, "Refunds paid on time").

The promised days end at the refund's **due instant**: the return's refund terms
(``returns.refund``: within so many days on its clock, counted from the goods
received back or the evidence of their return, whichever the policy names) applied
to the instants recorded, under the version that decided the return. A refund is
paid on time when paid at or before it, late when after it, and overdue while unpaid
past it; a refund without a due instant yet counts in none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from charter import clock
from charter.decisions import returns
from charter.decisions.returns import ReturnRequest
from charter.errors import Conflict, InvalidInput, NotFound
from charter.policy.cache import load_cached
from charter.services._decision_rows import Recorded, recorded
from charter.store import Database
from charter.store import decisions as store

__all__ = ["RefundKpi", "record_refund", "refund_kpi"]


@dataclass(frozen=True)
class RefundKpi:
    """Refunds paid within their promised days, counted from recorded decisions at
    ``at``: paid by the due instant, paid after it, and past it unpaid."""

    on_time: int
    late: int
    overdue: int
    at: dt.datetime

    @property
    def judged(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def share(self) -> float | None:
        """Paid on time over all three; None when there is none."""
        return self.on_time / self.judged if self.judged else None


def record_refund(
    database: Database,
    decision_id: int,
    *,
    received_back_at: dt.datetime | None = None,
    evidence_at: dt.datetime | None = None,
    paid_at: dt.datetime | None = None,
) -> Recorded:
    """Record a return's refund instants (a None keeps what was recorded); the due
    instant follows from the return's refund terms under the version that decided it,
    once the instant they count from is known. ``Conflict`` for a delivery or a refused
    return; ``InvalidInput`` for an instant in the future or before the order."""
    now = clock.now()
    given = {"received_back_at": received_back_at, "evidence_at": evidence_at,
             "paid_at": paid_at}  # fmt: skip
    for field, instant in given.items():
        if instant is not None and instant > now:
            raise InvalidInput(
                f"{field}: {instant.isoformat()} is in the future; record what has happened",
                [{"field": field, "problem": "in the future"}],
            )
    with database.transaction() as session:
        row = store.by_id(session, decision_id, lock=True)
        if row is None:
            raise NotFound(f"no decision {decision_id}")
        _refundable(row)
        for field, instant in given.items():
            if instant is not None and row.ordered_at is not None and instant < row.ordered_at:
                raise InvalidInput(
                    f"{field}: {instant.isoformat()} is before the order "
                    f"({row.ordered_at.isoformat()})",
                    [{"field": field, "problem": "before the order"}],
                )
        row.received_back_at = received_back_at or row.received_back_at
        row.evidence_at = evidence_at or row.evidence_at
        row.refund_paid_at = paid_at or row.refund_paid_at
        row.refund_due_at = _refund_due(session, row)
        session.flush()
        return recorded(row, store.clauses_of(session, [row.id])[row.id])


def _refundable(row: store.Decision) -> None:
    if row.kind != "return":
        raise Conflict(
            f"decision {row.id} is a {row.kind} decision; only a return has a refund to record"
        )
    if row.outcome == "refused":
        raise Conflict(f"decision {row.id} refused the return; a refused return has no refund")


def _refund_due(session: Any, row: store.Decision) -> dt.datetime | None:
    """The refund's due instant by the return's refund terms under the version that
    decided it (decided again from the recorded inputs, as asked then); None while the
    instant it counts from is not known."""
    if row.received_back_at is None and row.evidence_at is None:
        return None
    text = store.version_text(session, row.version_id) if row.version_id else None
    if text is None:
        return row.refund_due_at  # the version is gone: keep what was worked out
    policy = load_cached(text, row.version_label).policy
    asked = row.inputs
    request = ReturnRequest(
        dt.datetime.fromisoformat(asked["ordered_at"]), _instant(asked.get("delivered_at")),
        asked["category"], asked["reason"],
        Decimal(asked["price"]) if asked.get("price") else None, asked_at=row.asked_at,
        informed_of_right=bool(asked.get("informed_of_right", True)),
        unmet_conditions=tuple(asked.get("unmet_conditions") or ()),
    )  # fmt: skip
    terms = returns.decide_return(policy, request).refund
    if terms is None:
        return None
    try:
        return terms.due(row.received_back_at, row.evidence_at)
    except InvalidInput:
        return None  # counted from an instant not recorded yet


def _instant(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def refund_kpi(database: Database, at: dt.datetime | None = None) -> RefundKpi:
    """The refunds paid on time, late, and overdue at ``at`` (default now)."""
    at = at or clock.now()
    with database.reading() as session:
        counts = store.refund_counts(session, at)
    return RefundKpi(counts["on_time"], counts["late"], counts["overdue"], at)
