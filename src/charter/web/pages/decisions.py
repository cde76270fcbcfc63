"""The record of decisions: ``GET /decisions`` (the list, its filters, the refunds
paid on time and an export link for managers), ``GET /decisions/{id}`` (one decision
as it was answered) and ``POST /decisions/{id}/refund`` (a return's refund instants),
for all staff (docs/eligibility.md, "The agents' page").

A bad filter comes back as the page with the message naming the field (422).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import clock
from charter.errors import CharterError, NotFound
from charter.services import decisions, refunds
from charter.services.accounts import Role
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._decision_view import shared
from charter.web.pages._policy_view import effective_instant
from charter.web.rendering import StaffUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FILTERS = ("kind", "outcome", "clause", "asked_by", "since", "until", "ticket_ref", "refund")
LONGEST = 200
FormText = Annotated[str, Form()]


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(request: Request, database: DatabaseDep, who: StaffUser) -> Response:
    """The decisions the filters keep, newest first, fifty a page."""
    asked = {name: request.query_params.get(name, "")[:LONGEST] for name in FILTERS}
    kept = {name: value for name, value in asked.items() if value}
    context: dict[str, Any] = {
        "asked": asked, "listing": None, "problem": "", "query": urlencode(kept),
        "kpi": refunds.refund_kpi(database), "outcomes": decisions.OUTCOMES,
        "can_export": who.role in (Role.admin, Role.manager), **shared(None, None),
    }  # fmt: skip
    status = 200
    page = request.query_params.get("page", "1")
    try:
        keep = decisions.read_filter(clock.now(), **asked)
        number = int(page) if page.isdigit() and len(page) < 8 else 0
        context["listing"] = decisions.decisions(database, keep, page=number)
    except CharterError as error:
        context["problem"], status = str(error), status_of(error)
    return render(request, "decisions/list.html", context, user=who, status=status)


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def decision_page(
    request: Request, database: DatabaseDep, who: StaffUser, decision_id: str
) -> Response:
    """One decision as it was answered and recorded; a return's refund form."""
    answer = decisions.decision(database, _id(decision_id))
    context = shared(None, answer) | {"recorded": request.query_params.get("done") == "refund"}
    return render(request, "decisions/one.html", context, user=who)


@router.post("/decisions/{decision_id}/refund", response_class=HTMLResponse)
def record_refund(
    request: Request,
    database: DatabaseDep,
    who: StaffUser,
    decision_id: str,
    received_back: FormText = "",
    evidence: FormText = "",
    paid: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Record a return's refund instants, typed in the zone the decision shows them in."""
    check_csrf(request, csrf_token)
    number = _id(decision_id)
    answer = decisions.decision(database, number)
    zone = str(answer.answer.get("timezone") or "UTC")
    sent = {"received_back": received_back[:LONGEST], "evidence": evidence[:LONGEST],
            "paid": paid[:LONGEST]}  # fmt: skip
    try:
        instants = {name: effective_instant(text, zone, name) if text.strip() else None
                    for name, text in sent.items()}  # fmt: skip
        refunds.record_refund(
            database, number, received_back_at=instants["received_back"],
            evidence_at=instants["evidence"], paid_at=instants["paid"],
        )  # fmt: skip
    except CharterError as error:
        context = shared(None, answer) | {"problem": str(error), "sent": sent}
        return render(request, "decisions/one.html", context, user=who, status=status_of(error))
    return RedirectResponse(f"/decisions/{number}?done=refund", status_code=303)


def _id(text: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise NotFound(f"no decision {text[:20]!r}")
    return int(text)
