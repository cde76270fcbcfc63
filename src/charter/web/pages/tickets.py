"""The tickets pages for staff: ``GET /tickets`` and ``GET /tickets/{id}``.

The list shows the stored tickets newest first, each metric's SLA status and due
time, filtered by ``sla_status``, ``channel`` and ``team`` in the URL and paginated
(``page``, ``per_page``); the pagination links keep the filters. A filter that
cannot be used shows the form again with a message naming it. The ticket page shows
the ticket's columns, its events in order, each metric's clock and the rule that
applied, linked to its clause in the handbook, and what happened to its clocks,
escalations and messages (``charter.services.ticket_audit``, as the API gives it).

>>> query_string({"sla_status": "breached", "channel": "", "team": "tier 1"}, page=2)
'sla_status=breached&team=tier+1&page=2'
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from charter.errors import InvalidInput, NotFound
from charter.services.accounts import Principal
from charter.services.dashboard import parse_period
from charter.services.ticket_audit import ticket_audit
from charter.services.ticket_queries import MAX_PER_PAGE
from charter.services.ticket_views import TicketList, ticket_list, ticket_view
from charter.web.deps import DatabaseDep
from charter.web.pages._tickets_display import HELPERS, STATUS_WORDS, Times
from charter.web.rendering import render, staff_page

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query()]
Staff = Annotated[Principal, Depends(staff_page())]  # any signed-in staff role
PER_PAGE = 50
LONGEST = 64  # the longest channel or team name the store holds
LAST_PAGE = 1_000_000  # as in the API: further than anyone pages, and no overflow
_NUMBER = re.compile(r"[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@router.get("/tickets", response_class=HTMLResponse)
def tickets_page(
    request: Request,
    database: DatabaseDep,
    who: Staff,
    sla_status: Text = None,
    channel: Text = None,
    team: Text = None,
    priority: Text = None,
    worst: Text = None,
    state: Text = None,
    period: Text = None,
    page: Text = None,
    per_page: Text = None,
) -> Response:
    """Stored tickets, newest first, with each metric's SLA status and due time."""
    form = {"sla_status": sla_status or "", "channel": channel or "", "team": team or ""}
    narrower = {"priority": priority, "worst": worst, "state": state, "period": period}
    form |= {key: value.strip() for key, value in narrower.items() if value and value.strip()}
    context: dict[str, Any] = {"form": form, "statuses": STATUS_WORDS, **HELPERS}
    context |= {"filtered": any(form.values()), "narrowed": narrowed_words(form)}
    try:
        size = _number("per_page", per_page, PER_PAGE)
        if size != PER_PAGE:
            form["per_page"] = str(size)
        listed = ticket_list(
            database,
            sla_status=form["sla_status"] or None,
            channel=_name("channel", channel),
            team=_name("team", team),
            page=_number("page", page, 1),
            per_page=size,
            **_narrower(form),
        )
    except InvalidInput as error:
        context.update(problem=str(error), times=Times("UTC"))
        return render(request, "tickets/list.html", context, user=who, status=422)
    context.update(_listing(listed, form))
    return render(request, "tickets/list.html", context, user=who)


@router.get("/tickets/{ticket_id}", response_class=HTMLResponse)
def ticket_page(request: Request, ticket_id: str, database: DatabaseDep, who: Staff) -> Response:
    """One ticket: its columns, its events in order, each metric's clock, the rule, and
    its audit trail."""
    if not _NUMBER.fullmatch(ticket_id):
        shown = ticket_id if len(ticket_id) <= 40 else ticket_id[:40] + "…"
        raise NotFound(
            f"ticket {shown!r} not found: ticket ids are whole numbers (Charter's own, "
            "shown in the ticket list)"
        )
    view = ticket_view(database, int(ticket_id))
    trail = ticket_audit(database, int(ticket_id))
    context = {"view": view, "ticket": view.ticket, "times": Times(view.timezone), **HELPERS}
    context["trail"] = trail
    return render(request, "tickets/ticket.html", context, user=who)


def _narrower(form: dict[str, str]) -> dict[str, Any]:
    """The dashboard's filters a card's link carries: priority, the worst SLA status,
    open tickets only, the period the tickets were created in (as the dashboard writes
    it: 2026-11, 2026-W45, 2026-Q4, 2026)."""
    state = form.get("state")
    if state not in (None, "open"):
        raise InvalidInput(
            f"state {_shown(state)!r} is not a ticket state to list; use open (not solved) "
            "or leave it out for every ticket",
            [{"field": "state", "problem": "not open"}],
        )
    chosen = parse_period(form["period"]) if form.get("period") else None
    return {
        "priority": _name("priority", form.get("priority")),
        "worst": form.get("worst"),
        "open_only": state == "open",
        "days": (chosen.start, chosen.end) if chosen else None,
    }


def narrowed_words(form: dict[str, str]) -> str:
    """The filters beyond the form's fields, in words, for the list's summary."""
    words = []
    if form.get("state") == "open":
        words.append("open tickets (not solved)")
    if form.get("worst"):
        words.append(f"whose worst SLA status is {STATUS_WORDS.get(form['worst'], form['worst'])}")
    if form.get("priority"):
        words.append(f"priority {form['priority']}")
    if form.get("period"):
        words.append(f"created in {form['period']} (whole UTC days)")
    return ", ".join(words)


def _shown(value: str | None) -> str:
    text = value or ""
    return text if len(text) <= 20 else text[:20] + "…"


def query_string(form: dict[str, str], **extra: int) -> str:
    """The URL query of ``form``'s non-empty fields, then ``extra`` (such as ``page``)."""
    kept = [(key, value) for key, value in form.items() if value]
    return urlencode(kept + [(key, str(value)) for key, value in extra.items()])


def _listing(listed: TicketList, form: dict[str, str]) -> dict[str, Any]:
    """What the list template needs besides the form: rows, columns, links, clocks."""
    found = listed.page
    last = max(found.pages, 1)
    page = found.page
    links = {
        "first": _link(form, 1) if page > 1 else None,
        "previous": _link(form, min(page - 1, last)) if page > 1 else None,
        "next": _link(form, page + 1) if page < found.pages else None,
        "last": _link(form, last) if page != last and found.pages else None,
    }
    return {"listed": listed, "found": found, "links": links, "times": Times(listed.timezone)}


def _link(form: dict[str, str], page: int) -> str:
    return f"/tickets?{query_string(form, page=page)}"


def _number(field: str, value: str | None, default: int) -> int:
    """A page number or size from the URL; ``InvalidInput`` naming the field otherwise."""
    if value is None or not value.strip():
        return default
    if not _NUMBER.fullmatch(value.strip()):
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise InvalidInput(
            f"{field} {shown!r} is not a whole number; "
            + ("pages are numbered from 1" if field == "page" else f"ask for 1 to {MAX_PER_PAGE}"),
            [{"field": field, "problem": "not a whole number"}],
        )
    number = int(value)
    if field == "page" and number > LAST_PAGE:
        raise InvalidInput(
            f"page {number} is beyond page {LAST_PAGE:,}; narrow the list with the filters",
            [{"field": field, "problem": f"above {LAST_PAGE}"}],
        )
    return number


def _name(field: str, value: str | None) -> str | None:
    """A channel or team to filter by (None for any); ``InvalidInput`` when unusable."""
    if value is None or not value.strip():
        return None
    if len(value) > LONGEST or _CONTROL.search(value):
        raise InvalidInput(
            f"the {field} filter must be at most {LONGEST} characters with no control "
            "characters; type the name as the helpdesk writes it",
            [{"field": field, "problem": "too long or not printable"}],
        )
    return value.strip()
