"""The complaint pages for staff: ``/complaints`` and ``/complaints/{id}``.

The list shows the open cases (filtered by stage, overdue, or a KPI's month, stage and
measure, all in the URL), with counts that link to lists of exactly that many, and a
form to open a case from a ticket. The case page shows each stage's deadlines in the
calendar's local time with the steps that count them, what is due next, the handler
and the extensions, and the action forms (each with its CSRF token). A refused action
shows the page again with the reason (409 or 422), never a traceback.
"""

from __future__ import annotations

import zoneinfo
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import figures
from charter.errors import CharterError, InvalidInput
from charter.services import complaints
from charter.services.accounts import Principal
from charter.services.complaint_views import MEASURE_WORDS, complaint_list, complaint_page
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.rendering import StaffUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FormText = Annotated[str, Form()]
ACTIONS = ("acknowledge", "respond", "assign", "extend", "escalate", "close")
DONE = {
    "acknowledge": "Acknowledged.", "respond": "Response recorded.",
    "assign": "Handler assigned.", "extend": "Deadline extended.",
    "escalate": "Moved to the next stage.", "close": "Complaint closed.", "open": "Opened.",
}  # fmt: skip


def local(at: Any, zone: str) -> str:
    """``at`` in the calendar's time zone, as figures show instants."""
    return figures.instant(at, zoneinfo.ZoneInfo(zone)) if at is not None else figures.MISSING


@router.get("/complaints", response_class=HTMLResponse)
def complaints_page(request: Request, database: DatabaseDep, who: StaffUser) -> Response:
    """The open complaints, or those a filter picks."""
    return _list(request, database, who, dict(request.query_params))


def _list(request: Request, database: Database, who: Principal, asked: dict[str, str],
          problem: str = "", status: int = 200) -> HTMLResponse:  # fmt: skip
    context: dict[str, Any] = {"listing": None, "problem": problem, "figures": figures,
                               "measures": MEASURE_WORDS, "asked": asked,
                               "local": local}  # fmt: skip
    try:
        context["listing"] = complaint_list(database, asked)
    except InvalidInput as error:
        context["problem"], status = str(error), 422
    return render(request, "complaints/list.html", context, user=who, status=status)


@router.post("/complaints", response_class=HTMLResponse)
def open_page(request: Request, database: DatabaseDep, who: StaffUser,
              ticket: FormText = "", csrf_token: FormText = "") -> Response:  # fmt: skip
    """Open a case from a ticket by hand, then show it."""
    check_csrf(request, csrf_token)
    try:
        case_id = complaints.open_complaint(database, ticket, who)
    except CharterError as error:
        return _list(request, database, who, {}, str(error), status_of(error))
    return RedirectResponse(f"/complaints/{case_id}?done=open", status_code=303)


@router.get("/complaints/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, database: DatabaseDep, who: StaffUser, case_id: CaseId,
              done: str = "") -> Response:  # fmt: skip
    """One case, stage by stage."""
    return _case(request, database, who, case_id, notice=DONE.get(done, ""))


def _case(request: Request, database: Database, who: Principal, case_id: int, *,
          notice: str = "", problem: str = "", status: int = 200) -> HTMLResponse:  # fmt: skip
    page = complaint_page(database, case_id)
    context = {"page": page, "notice": notice, "problem": problem, "local": local,
               "figures": figures}  # fmt: skip
    return render(request, "complaints/case.html", context, user=who, status=status)


@router.post("/complaints/{case_id}/{action}", response_class=HTMLResponse)
def act_page(
    request: Request, database: DatabaseDep, who: StaffUser, case_id: CaseId, action: str,
    csrf_token: FormText = "", handler: FormText = "", deadline: FormText = "",
    days: FormText = "", reason: FormText = "",
) -> Response:  # fmt: skip
    """Take one action on the case, then show it again."""
    check_csrf(request, csrf_token)
    try:
        _act(database, who, case_id, action, handler=handler, deadline=deadline, days=days,
             reason=reason)  # fmt: skip
    except CharterError as error:
        return _case(request, database, who, case_id, problem=str(error),
                     status=status_of(error))  # fmt: skip
    return RedirectResponse(f"/complaints/{case_id}?done={action}", status_code=303)


def _number(value: str, name: str) -> int:
    text = value.strip()
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(f"{name}: choose a whole number",
                           [{"field": name, "problem": "not a number"}])  # fmt: skip
    return int(text)


def _act(database: Database, who: Principal, case_id: int, action: str, *, handler: str,
         deadline: str, days: str, reason: str) -> None:  # fmt: skip
    if action == "acknowledge":
        complaints.acknowledge(database, case_id, who)
    elif action == "respond":
        complaints.respond(database, case_id, who)
    elif action == "assign":
        complaints.assign(database, case_id, _number(handler, "handler"), who)
    elif action == "extend":
        complaints.extend(database, case_id, who, deadline=deadline,
                          days=_number(days, "days"), reason=reason)  # fmt: skip
    elif action == "escalate":
        chosen = _number(handler, "handler") if handler.strip() else None
        complaints.escalate(database, case_id, who, reason=reason, handler_id=chosen)
    elif action == "close":
        complaints.close(database, case_id, who)
    else:
        raise InvalidInput(f"{action[:30]!r} is not an action; use one of {', '.join(ACTIONS)}")
