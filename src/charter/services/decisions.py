"""Decisions asked of the policy, each recorded as it was answered
(docs/eligibility.md, "Every decision is recorded").

A decision is taken under the policy version in force at the ORDER instant, the terms
the customer bought under; when none was in force then (the order came before the
first publication), under the version in force when asked. The answer says which
(``version_basis``: ``order`` or ``current``). Each recorded decision keeps who asked
and how, the inputs, the outcome and the answer's figures, the deciding clauses with
their text, and the version's id, label and content hash; for a return, the refund's
due instant once the goods (or evidence of their return) are back, and its paid
instant when recorded.

Errors: ``InvalidInput`` names the field; ``NotFound`` when nothing is in force or no
such decision exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from charter import clock
from charter.decisions.delivery import delivery_dates, judge_delivery
from charter.errors import Conflict, InvalidInput, NotFound
from charter.policy import Policy
from charter.policy.cache import load_cached
from charter.publish.public_page import page_timezone
from charter.services._decision_rows import (
    EXPORT_LIMIT,
    OUTCOMES,
    REFUND_WORDS,
    Recorded,
    check_ref,
    csv_lines,
    read_filter,
    recorded,
)
from charter.services.accounts import Principal
from charter.store import Database
from charter.store import decisions as store
from charter.store.decisions import Filter
from charter.store.policies import operating_version

__all__ = [
    "EXPORT_LIMIT", "OUTCOMES", "REFUND_WORDS", "AskForm", "Filter", "Listing", "Recorded",
    "RefundKpi", "ask_form", "decide_delivery", "decision", "decisions", "export_csv",
    "read_filter", "record_refund", "refund_kpi",
]  # fmt: skip

PAGE_SIZE = 50
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Listing:
    """One page of the decisions a filter keeps, newest first."""

    decisions: list[Recorded]
    total: int
    page: int
    limit: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


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


@dataclass(frozen=True)
class AskForm:
    """What the agents' form offers, from the version in force now: the business's
    timezone (local instants are read in it), the delivery promises' regions and
    methods, and the return categories and reasons."""

    version_label: str
    timezone: str
    deliveries: tuple[tuple[str, str], ...]
    categories: tuple[str, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Version:
    id: int
    label: str
    content_hash: str
    basis: str
    policy: Policy


def decide_delivery(
    database: Database,
    who: Principal,
    *,
    ordered_at: dt.datetime,
    region: str,
    method: str,
    delivered_at: dt.datetime | None = None,
    ticket_ref: str | None = None,
    order_ref: str | None = None,
) -> Recorded:
    """The dispatch-by and delivered-by dates of an order (and, with ``delivered_at``,
    whether it came on time), decided and recorded. Outcome: ``promised`` without a
    delivery, else ``on_time`` or ``late``."""
    refs = check_ref("ticket_ref", ticket_ref), check_ref("order_ref", order_ref)
    now = clock.now()
    with database.transaction() as session:
        version = _version(session, ordered_at, now)
        if delivered_at is None:
            dates = delivery_dates(
                version.policy, ordered_at, region, method, version=version.label
            )
            outcome, judged = "promised", {}
        else:
            judgement = judge_delivery(
                version.policy, ordered_at, region, method, delivered_at, version=version.label
            )
            dates, outcome = judgement.dates, "on_time" if judgement.on_time else "late"
            judged = {"delivered_on": judgement.delivered_on.isoformat(),
                      "working_days_late": judgement.working_days_late,
                      "verdict": judgement.verdict}  # fmt: skip
        inputs = {"ordered_at": ordered_at.isoformat(), "region": region, "method": method,
                  "delivered_at": delivered_at.isoformat() if delivered_at else None}  # fmt: skip
        answer = {"timezone": dates.timezone, "counted_from": dates.day_zero.isoformat(),
                  "dispatch_by": dates.dispatch_by.isoformat(),
                  "earliest_delivery": dates.earliest.isoformat(),
                  "delivered_by": dates.latest.isoformat(), "notes": list(dates.notes),
                  **judged}  # fmt: skip
        row = _record(session, who, now, version, "delivery", inputs, outcome, answer,
                      [(dates.clause.id, dates.clause.text)], refs, ordered_at)  # fmt: skip
        return recorded(row, store.clauses_of(session, [row.id])[row.id])


def ask_form(database: Database) -> AskForm | None:
    """The form's choices under the version in force now; None when none is."""
    now = clock.now()
    with database.reading() as session:
        found = operating_version(session, now)
        if found is None:
            return None
        version = _version(session, now, now)
    policy = version.policy
    return AskForm(
        version.label,
        page_timezone(policy),
        tuple((p.region, p.method) for p in policy.delivery),
    )


def decision(database: Database, decision_id: int) -> Recorded:
    """One recorded decision; ``NotFound`` when there is none with that id."""
    with database.reading() as session:
        row = store.by_id(session, decision_id)
        if row is None:
            raise NotFound(f"no decision {decision_id}")
        return recorded(row, store.clauses_of(session, [row.id])[row.id])


def decisions(
    database: Database, keep: store.Filter, *, page: int = 1, limit: int = PAGE_SIZE
) -> Listing:
    """The ``page``-th ``limit`` decisions ``keep`` keeps, newest first."""
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput(
            f"page: {page} is not a page number; give 1 to {MAX_PAGE}",
            [{"field": "page", "problem": f"not 1 to {MAX_PAGE}"}],
        )
    with database.reading() as session:
        total = store.count(session, keep)
        rows = store.find(session, keep, limit=limit, offset=(page - 1) * limit)
        clauses = store.clauses_of(session, [r.id for r in rows])
        return Listing([recorded(r, clauses[r.id]) for r in rows], total, page, limit)


def export_csv(database: Database, keep: store.Filter) -> Iterator[str]:
    """The decisions ``keep`` keeps as CSV lines, oldest first (columns in
    docs/eligibility.md). More than ``EXPORT_LIMIT`` is refused before the first line,
    naming the filters that narrow it."""
    with database.reading() as session:
        total = store.count(session, keep)
    if total > EXPORT_LIMIT:
        raise InvalidInput(
            f"the filters keep {total:,} decisions; an export holds at most "
            f"{EXPORT_LIMIT:,}: narrow it with since and until",
            [{"field": "since", "problem": "too many rows"}],
        )
    return _lines(database, keep)


def _lines(database: Database, keep: store.Filter) -> Iterator[str]:
    with database.reading() as session:
        yield from csv_lines(
            [recorded(r, c) for r, c in _with_clauses(session, b)]
            for b in store.in_batches(session, keep)
        )


def _with_clauses(session: Any, batch: list[store.Decision]) -> list[tuple[Any, Any]]:
    clauses = store.clauses_of(session, [r.id for r in batch])
    return [(r, clauses[r.id]) for r in batch]


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
        row.refund_due_at = _refund_due(row)
        session.flush()
        return recorded(row, store.clauses_of(session, [row.id])[row.id])


def _refundable(row: store.Decision) -> None:
    if row.kind != "return":
        raise Conflict(
            f"decision {row.id} is a {row.kind} decision; only a return has a refund to record"
        )
    if row.outcome == "refused":
        raise Conflict(f"decision {row.id} refused the return; a refused return has no refund")


def _refund_due(row: store.Decision) -> dt.datetime | None:
    """The refund's due instant by the terms recorded with the return's answer."""
    return row.refund_due_at


def refund_kpi(database: Database, at: dt.datetime | None = None) -> RefundKpi:
    """The refunds paid on time, late, and overdue at ``at`` (default now)."""
    at = at or clock.now()
    with database.reading() as session:
        counts = store.refund_counts(session, at)
    return RefundKpi(counts["on_time"], counts["late"], counts["overdue"], at)


def _version(session: Any, ordered_at: dt.datetime, now: dt.datetime) -> _Version:
    if ordered_at.tzinfo is None or ordered_at.utcoffset() is None:
        raise InvalidInput(
            f"ordered_at: {ordered_at.isoformat()} has no UTC offset; "
            "write it with one (2026-12-23T15:30+00:00)",
            [{"field": "ordered_at"}],
        )
    basis, found = "order", operating_version(session, ordered_at)
    if found is None:
        basis, found = "current", operating_version(session, now)
    if found is None:
        raise NotFound("no policy version is in force: publish one to decide by it")
    row, slug = found
    label = f"{slug} version {row.number}"
    policy = load_cached(row.text, label).policy
    return _Version(row.id, label, row.content_hash, basis, policy)


def _record(
    session: Any, who: Principal, now: dt.datetime, version: _Version, kind: str,
    inputs: dict[str, Any], outcome: str, answer: dict[str, Any], clauses: list[tuple[str, str]],
    refs: tuple[str | None, str | None], ordered_at: dt.datetime | None,
) -> store.Decision:  # fmt: skip
    row = store.Decision(
        kind=kind, asked_at=now, asked_by=who.id, asked_by_name=who.name[:200],
        asked_via=who.via, inputs=inputs, outcome=outcome, answer=answer,
        version_id=version.id, version_label=version.label,
        content_hash=version.content_hash, version_basis=version.basis,
        ticket_ref=refs[0], order_ref=refs[1],
        ordered_at=ordered_at.astimezone(dt.UTC) if ordered_at else None,
    )  # fmt: skip
    return store.add(session, row, clauses)
