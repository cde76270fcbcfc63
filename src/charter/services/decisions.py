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
from decimal import Decimal
from typing import Any

from charter import clock
from charter.decisions import returns
from charter.decisions.delivery import delivery_dates, judge_delivery
from charter.decisions.returns import ReturnRequest
from charter.errors import InvalidInput, NotFound
from charter.policy import Policy
from charter.policy.cache import load_cached
from charter.publish.public_page import page_timezone
from charter.services._decision_rows import (
    EXPORT_LIMIT,
    OUTCOMES,
    REFUND_WORDS,
    CitedClause,
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
    "EXPORT_LIMIT", "OUTCOMES", "REFUND_WORDS", "AskForm", "CitedClause", "Filter", "Listing",
    "Recorded", "ask_form", "decide_delivery", "decide_return", "decision", "decisions",
    "export_csv", "read_filter",
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
class AskForm:
    """What the agents' form offers, from the version in force now: the business's
    timezone (local instants are read in it), the delivery promises' regions and
    methods, and the return categories and reasons."""

    version_label: str
    timezone: str
    deliveries: tuple[tuple[str, str], ...]
    categories: tuple[str, ...] = ()
    reasons: tuple[tuple[str, str], ...] = ()
    conditions: tuple[tuple[str, str], ...] = ()
    has_returns: bool = False


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


def decide_return(
    database: Database,
    who: Principal,
    *,
    ordered_at: dt.datetime,
    delivered_at: dt.datetime | None,
    category: str,
    reason: str,
    price: Decimal | None = None,
    informed_of_right: bool = True,
    unmet_conditions: tuple[str, ...] = (),
    ticket_ref: str | None = None,
    order_ref: str | None = None,
) -> Recorded:
    """Whether an item may be returned (allowed, refused or needs_approval), its window's
    end and the refund's terms, decided and recorded; asked now."""
    refs = check_ref("ticket_ref", ticket_ref), check_ref("order_ref", order_ref)
    now = clock.now()
    request = ReturnRequest(
        ordered_at, delivered_at, category, reason, price, asked_at=now,
        informed_of_right=informed_of_right, unmet_conditions=unmet_conditions,
    )  # fmt: skip
    with database.transaction() as session:
        version = _version(session, ordered_at, now)
        decided = returns.decide_return(version.policy, request, version=version.label)
        answer = {k: v for k, v in decided.as_dict().items() if k not in ("outcome", "clauses")}
        answer["timezone"] = page_timezone(version.policy)  # the zone its instants are shown in
        inputs = {"ordered_at": ordered_at.isoformat(),
                  "delivered_at": delivered_at.isoformat() if delivered_at else None,
                  "category": category, "reason": reason,
                  "price": str(price) if price is not None else None,
                  "informed_of_right": informed_of_right,
                  "unmet_conditions": list(unmet_conditions)}  # fmt: skip
        row = _record(session, who, now, version, "return", inputs, decided.outcome, answer,
                      [(c.id, c.text) for c in decided.clauses], refs, ordered_at)  # fmt: skip
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
    section = policy.returns
    return AskForm(
        version.label,
        page_timezone(policy),
        tuple((p.region, p.method) for p in policy.delivery),
        tuple(returns.return_categories(policy)),
        tuple(returns.return_reasons(policy)),
        tuple((c.id, c.text) for c in section.conditions) if section else (),
        section is not None,
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
