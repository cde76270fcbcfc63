"""The managers' dashboard: ``GET /dashboard`` for admin and manager accounts, and each of
its tables as CSV, ``GET /dashboard/<table>.csv`` with the same query.

The filters live in the URL (``?period=last-28-days&channel=email&every=day``, or the
date picker's ``?from=2026-11-01&to=2026-11-30``), so a view can be bookmarked and
shared; a bad value shows the page with the filter form and a message naming the value
(422), never a traceback or a JSON body.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from charter import figures
from charter.services.accounts import Principal, Role
from charter.services.complaint_views import complaint_board
from charter.services.dashboard import PRESETS, dashboard, preset
from charter.services.dashboard.tables import dashboard_csv
from charter.services.pilots import dashboard_pilot
from charter.services.refunds import refund_kpi
from charter.services.review import review_status
from charter.web.deps import DatabaseDep
from charter.web.rendering import page_user, render

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, page_user(Role.admin, Role.manager)]


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, database: DatabaseDep, who: Manager) -> HTMLResponse:
    """KPIs against targets, trends, compliance by group and the open tickets now."""
    return _page(request, database, who)


@router.get("/dashboard/{table}.csv", response_model=None)
def dashboard_table(request: Request, table: str, database: DatabaseDep, who: Manager) -> Response:
    """One table of the dashboard as CSV, for the same filters as the page's link."""
    asked = dict(request.query_params)
    if dashboard(database, asked).problem:
        return _page(request, database, who)
    found = dashboard_csv(database, table, asked)
    headers = {"Content-Disposition": f'attachment; filename="{found.filename}"',
               "Cache-Control": "private, no-store"}  # fmt: skip
    return Response(found.text, media_type="text/csv; charset=utf-8", headers=headers)


def _page(request: Request, database: DatabaseDep, who: Principal) -> HTMLResponse:
    asked = dict(request.query_params)
    board = dashboard(database, asked)
    context = {"board": board, "asked": asked, "review": review_status(database)}
    context["pilot"] = dashboard_pilot(database)
    context |= {"refunds": refund_kpi(database), "figures": figures}
    context["complaints"] = complaint_board(database)
    context["presets"] = [(name, label, preset(name, board.today)) for name, label in
                          PRESETS.items()]  # fmt: skip
    context["csv_query"] = board.filters.query(preset=None)
    status = 422 if board.problem else 200
    return render(request, "dashboard/dashboard.html", context, user=who, status=status)
