"""The tickets pages for staff: ``GET /tickets``, its CSV export and saved views, and
``GET /tickets/{id}``.

The list shows the stored tickets unsolved first, soonest next due first, one compact
row each; every column header sorts by it (again: the other way). The filters, the
search, the sort, the zone times are shown in and the page all live in the URL
(``_tickets_form``), so a list can be bookmarked, saved by name (``POST
/tickets/views``), exported as CSV (``GET /tickets/export.csv``) and returned to from a
ticket (its links carry the list's query in ``back``). A filter that cannot be used
shows the form again with a message naming it. The ticket page shows the ticket's
columns, its events in order, each metric's clock and the rule that applied, linked
to its clause in the handbook, and what happened to its clocks, escalations and
messages (``charter.services.ticket_audit``, as the API gives it).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from charter import clock
from charter.errors import CharterError, InvalidInput, NotFound
from charter.services import saved_views
from charter.services.accounts import Principal
from charter.services.ticket_audit import ticket_audit
from charter.services.ticket_export import export_csv
from charter.services.ticket_queries import SORTS, ticket_filter
from charter.services.ticket_views import (
    TicketList,
    own_names,
    ticket_choices,
    ticket_list,
    ticket_view,
)
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages import _tickets_form as forms
from charter.web.pages._tickets_display import HELPERS, STATUS_WORDS, Times, narrowed_words
from charter.web.rendering import render, staff_page
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, Depends(staff_page())]  # any signed-in staff role
FormText = Annotated[str, Form()]
_NUMBER = re.compile(r"[0-9]{1,19}")


@router.get("/tickets", response_class=HTMLResponse)
def tickets_page(request: Request, database: DatabaseDep, who: Staff) -> Response:
    """Stored tickets, unsolved and soonest due first, filtered, sorted and paged as the
    URL says."""
    return _list_page(request, database, who, dict(request.query_params))


def _list_page(
    request: Request, database: Any, who: Principal, params: dict[str, str],
    problem: str | None = None, status: int = 200,
) -> Response:  # fmt: skip
    form = forms.read_form(params)
    context = _form_context(database, who, form)
    try:
        arguments = forms.list_arguments(form, own_names(who.email, who.name))
        page = forms.number("page", params.get("page"), 1, 1, forms.LAST_PAGE)
        listed = ticket_list(database, page=page, **arguments)
        zone = forms.viewer_zone(form, listed.timezone)
    except InvalidInput as error:
        context.update(problem=str(error), times=Times("UTC"))
        return render(request, "tickets/list.html", context, user=who, status=422)
    context.update(_listing(listed, form, zone), problem=problem)
    return render(request, "tickets/list.html", context, user=who, status=status)


@router.get("/tickets/export.csv")
def tickets_csv(request: Request, database: DatabaseDep, who: Staff) -> Response:
    """Exactly the tickets the list's filters keep, in its order, as CSV (streamed)."""
    form = forms.read_form(dict(request.query_params))
    try:
        arguments = forms.list_arguments(form, own_names(who.email, who.name))
        order, descending = arguments.pop("order"), arguments.pop("descending")
        del arguments["per_page"]
        lines = export_csv(database, ticket_filter(**arguments), order=order,
                           descending=descending)  # fmt: skip
    except InvalidInput as error:
        return _list_page(request, database, who, form, problem=str(error), status=422)
    headers = {"Content-Disposition": 'attachment; filename="tickets.csv"'}
    return StreamingResponse(lines, media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/tickets/views", response_class=HTMLResponse)
def save_view_page(
    request: Request, database: DatabaseDep, who: Staff, name: FormText = "",
    query: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Save the list's query under a name for the signed-in person, then open it."""
    check_csrf(request, csrf_token)
    kept = forms.back_query(query)
    try:
        saved_views.save_view(database, who.id, name, kept)
    except CharterError as error:
        params = dict(forms.read_form(dict(parse_qsl(kept))))
        return _list_page(request, database, who, params, str(error), status_of(error))
    return RedirectResponse(f"/tickets?{kept}" if kept else "/tickets", status_code=303)


@router.post("/tickets/views/{view_id}/delete", response_class=HTMLResponse)
def delete_view_page(
    request: Request, database: DatabaseDep, who: Staff, view_id: str, query: FormText = "",
    csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Delete one of the signed-in person's saved views, then show the list again."""
    check_csrf(request, csrf_token)
    kept = forms.back_query(query)
    if not _NUMBER.fullmatch(view_id):
        raise NotFound(f"saved view {view_id[:20]!r} not found: view ids are whole numbers")
    saved_views.delete_view(database, who.id, int(view_id))
    return RedirectResponse(f"/tickets?{kept}" if kept else "/tickets", status_code=303)


@router.get("/tickets/{ticket_id}", response_class=HTMLResponse)
def ticket_page(
    request: Request, ticket_id: str, database: DatabaseDep, who: Staff, back: str = ""
) -> Response:
    """One ticket: its columns, its events in order, each metric's clock, the rule, and
    its audit trail; its "back" link returns to the list it was opened from."""
    if not _NUMBER.fullmatch(ticket_id):
        shown = ticket_id if len(ticket_id) <= 40 else ticket_id[:40] + "…"
        raise NotFound(
            f"ticket {shown!r} not found: ticket ids are whole numbers (Charter's own, "
            "shown in the ticket list)"
        )
    view = ticket_view(database, int(ticket_id))
    trail = ticket_audit(database, int(ticket_id))
    context = {"view": view, "ticket": view.ticket, "times": Times(view.timezone), **HELPERS}
    context |= {"trail": trail, "back": forms.back_query(back)}
    return render(request, "tickets/ticket.html", context, user=who)


def _form_context(database: Any, who: Principal, form: dict[str, str]) -> dict[str, Any]:
    """What the filter form needs: the values, the choices, the person's saved views."""
    return {
        "form": form, "statuses": STATUS_WORDS, "states": forms.STATUSES,
        "choices": _choices(database, clock.now().replace(second=0, microsecond=0)),
        "views": saved_views.views_of(database, who.id),
        "filtered": any(k not in ("sort", "tz", "per_page") for k in form),
        "narrowed": narrowed_words(form), "query": forms.query_string(form), **HELPERS,
    }  # fmt: skip


@lru_cache(maxsize=8)
def _choices(database: Any, minute: dt.datetime) -> dict[str, list[Any]]:
    """The filters' values, read once a minute: each is a pass over every ticket."""
    return ticket_choices(database)


def _listing(listed: TicketList, form: dict[str, str], zone: str) -> dict[str, Any]:
    """What the list template needs besides the form: rows, links, sorting, clocks."""
    found = listed.page
    last = max(found.pages, 1)
    page = found.page
    links = {
        "first": _link(form, 1) if page > 1 else None,
        "previous": _link(form, min(page - 1, last)) if page > 1 else None,
        "next": _link(form, page + 1) if page < found.pages else None,
        "last": _link(form, last) if page != last and found.pages else None,
    }
    here = forms.query_string(form, page=page) if page > 1 else forms.query_string(form)
    return {
        "listed": listed, "found": found, "links": links, "times": Times(zone),
        "business": listed.timezone, "back": urlencode({"back": here}) if here else "",
        "sorts": {key: forms.sort_link(form, key) for key in SORTS},
        "export": forms.query_string({k: v for k, v in form.items() if k != "per_page"}),
    }  # fmt: skip


def _link(form: dict[str, str], page: int) -> str:
    return f"/tickets?{forms.query_string(form, page=page)}"
