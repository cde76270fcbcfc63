"""The managers' feedback pages: ``GET /feedback/themes`` and ``GET /feedback/sections``,
with the forms that shape the themes (``POST /feedback/themes/rename``, ``/merge``,
``/unmerge``, ``POST /feedback/pins`` and ``/feedback/pins/remove``).

Staff may read both pages; the forms are for managers and admins (no JavaScript, each
with its CSRF token). The period is the URL's query (``from`` and ``to``, UTC days) and
every form keeps it in ``back``. A refused form shows the page again with the
service's message, what was typed kept, and nothing saved.

>>> back_query("from=2026-01-01&to=2026-12-07&evil=1")
'from=2026-01-01&to=2026-12-07'
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import figures
from charter.errors import CharterError, InvalidInput
from charter.services import feedback_themes as themes
from charter.services.accounts import Principal, Role
from charter.services.section_ratings import COMMENTS_SHOWN, section_ratings
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.rendering import ManagerUser, StaffUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query()]
FormText = Annotated[str, Form()]
PERIOD = ("from", "to")
DONE = {
    "renamed": "Renamed the theme.", "merged": "Merged the themes.",
    "unmerged": "Undid the merge: the theme stands on its own again.",
    "pinned": "Pinned the query: matching comments now belong to its clause's theme.",
    "unpinned": "Removed the pin.",
}  # fmt: skip


def back_query(back: str) -> str:
    """The period part of a form's ``back`` query, and nothing else."""
    given = parse_qs(back)
    return urlencode([(k, given[k][0][:10]) for k in PERIOD if given.get(k)])


@router.get("/feedback/themes", response_class=HTMLResponse)
def themes_page(
    request: Request, database: DatabaseDep, who: StaffUser,
    start: Annotated[str | None, Query(alias="from")] = None, to: Text = None, done: Text = None,
) -> Response:  # fmt: skip
    """The themes of the period, with the forms to shape them."""
    notice = DONE.get(done or "", "")
    return themes_view(request, database, who, {"from": start or "", "to": to or ""},
                       notice=notice)  # fmt: skip


def themes_view(
    request: Request, database: Database, who: Principal, chosen: dict[str, str], *,
    notice: str = "", problem: str = "", typed: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The page for the period ``chosen``; ``typed`` keeps a refused form's values."""
    context: dict[str, Any] = {
        "chosen": chosen, "query": urlencode([(k, v) for k, v in chosen.items() if v]),
        "notice": notice, "problem": problem, "typed": typed or {}, "view": None,
        "figures": figures, "can_edit": who.has(Role.admin, Role.manager),
    }  # fmt: skip
    try:
        since, until = themes.period(_day("from", chosen["from"]), _day("to", chosen["to"]))
        view = themes.themes_view(database, None, since, until)
        context.update(
            view=view, last_day=(until - dt.timedelta(days=1)).date(),
            months=_months(view.themes), names={t.key: t.name for t in view.themes},
        )  # fmt: skip
    except CharterError as error:
        context["problem"] = problem or str(error)
        status = status if problem else status_of(error)
    return render(request, "feedback/themes.html", context, user=who, status=status)


def _day(field: str, text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{field}: {text[:20]!r} is not a day; write it as YYYY-MM-DD",
                           [{"field": field, "problem": "not a day"}]) from None  # fmt: skip


def _months(found: list[themes.ThemeSummary]) -> list[str]:
    """Every month any theme has comments in, oldest first: the size table's columns."""
    return sorted({month for t in found for month in t.by_month})


def _done(back: str, what: str) -> RedirectResponse:
    query = back_query(back)
    return RedirectResponse(f"/feedback/themes?{query + '&' if query else ''}done={what}",
                            status_code=303)  # fmt: skip


def _refused(
    request: Request, database: Database, who: Principal, back: str, error: CharterError,
    typed: dict[str, str],
) -> HTMLResponse:  # fmt: skip
    given = parse_qs(back_query(back))
    chosen = {k: given.get(k, [""])[0] for k in PERIOD}
    return themes_view(request, database, who, chosen, problem=str(error), typed=typed,
                       status=status_of(error))  # fmt: skip


@router.post("/feedback/themes/rename", response_class=HTMLResponse)
def rename_form(
    request: Request, database: DatabaseDep, who: ManagerUser, key: FormText = "",
    name: FormText = "", back: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Name a theme."""
    check_csrf(request, csrf_token)
    try:
        themes.rename_theme(database, who, None, key, name)
    except CharterError as error:
        return _refused(request, database, who, back, error, {"rename": key, "name": name})
    return _done(back, "renamed")


@router.post("/feedback/themes/merge", response_class=HTMLResponse)
def merge_form(
    request: Request, database: DatabaseDep, who: ManagerUser, key: FormText = "",
    into: FormText = "", back: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Merge a theme into another."""
    check_csrf(request, csrf_token)
    try:
        if not into:
            raise InvalidInput("into: choose the theme to merge this one into",
                               [{"field": "into", "problem": "not chosen"}])  # fmt: skip
        themes.merge_theme(database, who, None, key, into)
    except CharterError as error:
        return _refused(request, database, who, back, error, {"merge": key})
    return _done(back, "merged")


@router.post("/feedback/themes/unmerge", response_class=HTMLResponse)
def unmerge_form(
    request: Request, database: DatabaseDep, who: ManagerUser, key: FormText = "",
    back: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Undo a merge."""
    check_csrf(request, csrf_token)
    try:
        themes.unmerge_theme(database, who, None, key)
    except CharterError as error:
        return _refused(request, database, who, back, error, {})
    return _done(back, "unmerged")


@router.post("/feedback/pins", response_class=HTMLResponse)
def pin_form(
    request: Request, database: DatabaseDep, who: ManagerUser, clause: FormText = "",
    query: FormText = "", back: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Pin a keyword query to a clause; a query the engine cannot read is shown again
    with what is wrong and where."""
    check_csrf(request, csrf_token)
    try:
        themes.add_pin(database, who, None, clause, query)
    except CharterError as error:
        return _refused(request, database, who, back, error, {"clause": clause, "query": query})
    return _done(back, "pinned")


@router.post("/feedback/pins/remove", response_class=HTMLResponse)
def unpin_form(
    request: Request, database: DatabaseDep, who: ManagerUser, id: FormText = "",  # noqa: A002
    back: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Remove a pin."""
    check_csrf(request, csrf_token)
    try:
        if not id.isdigit() or len(id) > 9:
            raise InvalidInput("choose a pin's Remove button",
                               [{"field": "id", "problem": "not a pin id"}])  # fmt: skip
        themes.remove_pin(database, who, None, int(id))
    except CharterError as error:
        return _refused(request, database, who, back, error, {})
    return _done(back, "unpinned")


@router.get("/feedback/sections", response_class=HTMLResponse)
def sections_page(request: Request, database: DatabaseDep, who: StaffUser) -> Response:
    """The public charter's sections: clear and fair tallies, and their comments."""
    context: dict[str, Any] = {"figures": figures, "shown": COMMENTS_SHOWN, "sections": [],
                               "problem": ""}  # fmt: skip
    status = 200
    try:
        context["sections"] = section_ratings(database)
    except CharterError as error:
        context["problem"], status = str(error), status_of(error)
    return render(request, "feedback/sections.html", context, user=who, status=status)
