"""``/api/decisions``: decide by the policy and keep the record (docs/eligibility.md,
"The API").

Staff (agents too) decide, read the record and record a refund's instants; managers
and admins export it as CSV. Every decision is recorded with who asked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse

from charter import clock
from charter.services import decisions, refunds
from charter.web.deps import CurrentUser, DatabaseDep, Manager
from charter.web.schemas.decisions import (
    ClauseCitedPublic,
    DecisionListPublic,
    DecisionPublic,
    DeliveryDecisionCreate,
    RefundKpiPublic,
    RefundUpdate,
    ReturnDecisionCreate,
    VersionCitedPublic,
)

router = APIRouter(tags=["decisions"])
DecisionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The decision's id.")]
CSV_NAME = "decisions.csv"


def _text(description: str, length: int = 100) -> object:
    return Query(max_length=length, description=description)


Kind = Annotated[str, _text("delivery or return.", 16)]
Outcome = Annotated[str, _text("promised, on_time, late, allowed, refused, needs_approval.", 32)]
ClauseId = Annotated[str, _text("Only those citing this clause id.", 200)]
AskedBy = Annotated[str, _text("Only those asked by this account id.", 10)]
Since = Annotated[str, _text("Asked on or after this UTC date (2026-12-01).", 10)]
Until = Annotated[str, _text("Asked on or before this UTC date.", 10)]
TicketRef = Annotated[str, _text("Only those about this ticket.")]
Refund = Annotated[str, _text("on_time, late or overdue (judged now).", 16)]


def public(found: decisions.Recorded) -> DecisionPublic:
    """The recorded decision as the API shows it."""
    return DecisionPublic(
        id=found.id, kind=found.kind, asked_at=found.asked_at, asked_by=found.asked_by,
        asked_by_name=found.asked_by_name, asked_via=found.asked_via, inputs=found.inputs,
        outcome=found.outcome, outcome_words=found.outcome_words, answer=found.answer,
        clauses=[ClauseCitedPublic(id=c.id, text=c.text) for c in found.clauses],
        version=VersionCitedPublic(id=found.version_id, label=found.version_label,
                                   content_hash=found.content_hash,
                                   basis=found.version_basis),
        ticket_ref=found.ticket_ref, order_ref=found.order_ref, ordered_at=found.ordered_at,
        received_back_at=found.received_back_at, evidence_at=found.evidence_at,
        refund_due_at=found.refund_due_at, refund_paid_at=found.refund_paid_at,
        refund_state=found.refund_state(clock.now()),
    )  # fmt: skip


@router.post(
    "/decisions/delivery",
    status_code=201,
    responses={404: {"description": "No version is in force."},
               422: {"description": "A bad instant, or a region or method the policy "
                     "does not have (the message lists those it has)."}},
)  # fmt: skip
def decide_delivery(
    body: DeliveryDecisionCreate, database: DatabaseDep, user: CurrentUser
) -> DecisionPublic:
    """An order's dispatch-by and delivered-by dates (and, with ``delivered_at``, on
    time or late), citing the delivery clause; recorded."""
    return public(
        decisions.decide_delivery(
            database,
            user,
            ordered_at=body.ordered_at,
            region=body.region,
            method=body.method,
            delivered_at=body.delivered_at,
            ticket_ref=body.ticket_ref,
            order_ref=body.order_ref,
        )  # fmt: skip
    )


@router.post(
    "/decisions/return",
    status_code=201,
    responses={404: {"description": "No version is in force."},
               422: {"description": "A bad instant or price, or a reason or condition the "
                     "policy does not have (the message lists those it has)."}},
)  # fmt: skip
def decide_return(
    body: ReturnDecisionCreate, database: DatabaseDep, user: CurrentUser
) -> DecisionPublic:
    """Whether an item may be returned (allowed, refused, needs_approval), when its
    window ends and the refund's terms, citing the deciding clause first; recorded."""
    return public(
        decisions.decide_return(
            database,
            user,
            ordered_at=body.ordered_at,
            delivered_at=body.delivered_at,
            category=body.category,
            reason=body.reason,
            price=body.price,
            informed_of_right=body.informed_of_right,
            unmet_conditions=tuple(body.unmet_conditions),
            ticket_ref=body.ticket_ref,
            order_ref=body.order_ref,
        )  # fmt: skip
    )


def _filter(
    kind: str, outcome: str, clause: str, asked_by: str, since: str, until: str,
    ticket_ref: str, refund: str,
) -> decisions.Filter:  # fmt: skip
    return decisions.read_filter(
        clock.now(), kind=kind, outcome=outcome, clause=clause, asked_by=asked_by,
        since=since, until=until, ticket_ref=ticket_ref, refund=refund,
    )  # fmt: skip


@router.get("/decisions")
def list_decisions(
    database: DatabaseDep,
    _user: CurrentUser,
    kind: Kind = "",
    outcome: Outcome = "",
    clause: ClauseId = "",
    asked_by: AskedBy = "",
    since: Since = "",
    until: Until = "",
    ticket_ref: TicketRef = "",
    refund: Refund = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DecisionListPublic:
    """The recorded decisions the filters keep, newest first, and the refund figures."""
    keep = _filter(kind, outcome, clause, asked_by, since, until, ticket_ref, refund)
    listing = decisions.decisions(database, keep, page=page, limit=limit)
    kpi = refunds.refund_kpi(database)
    return DecisionListPublic(
        total=listing.total, page=listing.page, limit=listing.limit,
        decisions=[public(d) for d in listing.decisions],
        refunds=RefundKpiPublic(on_time=kpi.on_time, late=kpi.late, overdue=kpi.overdue,
                                share=kpi.share, at=kpi.at),
    )  # fmt: skip


@router.get(
    "/decisions/export.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One row a decision."},
               422: {"description": "A bad filter, or more rows than an export holds."}},
)  # fmt: skip
def export_decisions(
    database: DatabaseDep,
    _user: Manager,
    kind: Kind = "",
    outcome: Outcome = "",
    clause: ClauseId = "",
    asked_by: AskedBy = "",
    since: Since = "",
    until: Until = "",
    ticket_ref: TicketRef = "",
    refund: Refund = "",
) -> StreamingResponse:
    """The decisions the filters keep as CSV, oldest first (columns in
    docs/eligibility.md), streamed; at most ``EXPORT_LIMIT`` rows."""
    keep = _filter(kind, outcome, clause, asked_by, since, until, ticket_ref, refund)
    return StreamingResponse(
        decisions.export_csv(database, keep),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{CSV_NAME}"'},
    )


@router.get("/decisions/{decision_id}", responses={404: {"description": "No such decision."}})
def read_decision(
    decision_id: DecisionId, database: DatabaseDep, _user: CurrentUser
) -> DecisionPublic:
    """One recorded decision."""
    return public(decisions.decision(database, decision_id))


@router.post(
    "/decisions/{decision_id}/refund",
    responses={404: {"description": "No such decision."},
               409: {"description": "A delivery, or a refused return: no refund."},
               422: {"description": "An instant in the future or before the order."}},
)  # fmt: skip
def record_refund(
    decision_id: DecisionId, body: RefundUpdate, database: DatabaseDep, _user: CurrentUser
) -> DecisionPublic:
    """Record when the goods (or evidence of their return) came back and when the refund
    was paid; the due instant follows from the return's refund terms."""
    return public(
        refunds.record_refund(
            database,
            decision_id,
            received_back_at=body.received_back_at,
            evidence_at=body.evidence_at,
            paid_at=body.paid_at,
        )  # fmt: skip
    )
