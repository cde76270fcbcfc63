"""The managers' dashboard: ``GET /dashboard`` for admin and manager accounts.

The filters live in the URL (``?period=2026-10&channel=email&team=tier-1&every=day``),
so a view can be bookmarked and shared; a bad value shows the page with the filter
form and a message naming the value (422), never a traceback.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter import figures
from charter.services.accounts import Principal, Role
from charter.services.complaint_views import complaint_board
from charter.services.dashboard import dashboard
from charter.services.pilots import dashboard_pilot
from charter.services.refunds import refund_kpi
from charter.services.review import review_status
from charter.web.deps import DatabaseDep
from charter.web.rendering import page_user, render

router = APIRouter(include_in_schema=False)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    database: DatabaseDep,
    who: Annotated[Principal, page_user(Role.admin, Role.manager)],
) -> HTMLResponse:
    """KPIs against targets, trends, compliance by group and the open tickets now."""
    asked = dict(request.query_params)
    board = dashboard(database, asked)
    context = {"board": board, "asked": asked, "review": review_status(database)}
    context["pilot"] = dashboard_pilot(database)
    context |= {"refunds": refund_kpi(database), "figures": figures}
    context["complaints"] = complaint_board(database)
    status = 422 if board.problem else 200
    return render(request, "dashboard/dashboard.html", context, user=who, status=status)
