"""The record of decisions: ``GET /decisions`` (the list, its filters, the refunds
paid on time and an export link for managers) and ``GET /decisions/{id}`` (one
decision as it was answered), for all staff (docs/eligibility.md, "The agents' page").

A bad filter comes back as the page with the message naming the field (422).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from charter import clock
from charter.errors import CharterError, NotFound
from charter.services import decisions, refunds
from charter.services.accounts import Role
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._decision_view import shared
from charter.web.rendering import StaffUser, render

router = APIRouter(include_in_schema=False)
FILTERS = ("kind", "outcome", "clause", "asked_by", "since", "until", "ticket_ref", "refund")
LONGEST = 200


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
    """One decision as it was answered and recorded."""
    if not decision_id.isdigit() or len(decision_id) > 9:
        raise NotFound(f"no decision {decision_id[:20]!r}")
    answer = decisions.decision(database, int(decision_id))
    return render(request, "decisions/one.html", shared(None, answer), user=who)
