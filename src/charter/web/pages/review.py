"""The review pack: ``GET /review`` (the page), ``GET /review.pdf`` (the same template
printed) and ``POST /review`` (record the review), for managers and admins.

``?draft=N`` picks the draft the pack backtests (default: the newest on its way to
publishing). A bad value, or a refused record, comes back as the page with the
message naming the field (422, or the refusal's status), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter.errors import CharterError, Conflict, Forbidden, InvalidInput, NotFound
from charter.publish.pdf import html_pdf
from charter.publish.templating import STATIC as SHARED_STATIC
from charter.services.accounts import Principal
from charter.services.review import record_review, review_status
from charter.services.review_pack import ReviewPack, day_label, month_label, review_pack
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.rendering import ManagerUser, render, templates
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
PAGE_STYLES = ("charter.css",)
TEMPLATE = "review/review.html"
STATIC = Path(__file__).parent.parent / "static"  # the web's own stylesheets
REFUSALS = (InvalidInput, Conflict, Forbidden, NotFound)


def _number(text: str | None, field: str) -> int | None:
    """A version number from a query or form field; None when empty."""
    value = (text or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise InvalidInput(f"{field}: {value[:20]!r} is not a version number; give a whole "
                           "number such as 3, or leave it empty",
                           [{"field": field, "problem": "not a version number"}])  # fmt: skip
    return int(value)


def _context(database: Database, asked: str | None) -> dict[str, Any]:
    """The pack (or the problem with ``asked``) and the review's standing."""
    problem, pack = "", None
    try:
        pack = review_pack(database, draft=_number(asked, "draft"))
    except InvalidInput as error:
        problem = str(error)
        pack = review_pack(database)
    if pack is not None and pack.draft_problem:
        problem = pack.draft_problem
    return {"pack": pack, "review": review_status(database), "problem": problem,
            "asked_draft": (asked or "")[:20], "month_label": month_label,
            "day_label": day_label}  # fmt: skip


def _status(pack: ReviewPack | None, problem: str) -> int:
    if pack is None:
        return 404
    return 422 if problem else 200


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, database: DatabaseDep, who: ManagerUser) -> HTMLResponse:
    """The review pack of the version in force, and the form to record the review."""
    context = _context(database, request.query_params.get("draft"))
    context["done"] = request.query_params.get("done") == "recorded"
    return render(request, TEMPLATE, context, user=who,
                  status=_status(context["pack"], context["problem"]))  # fmt: skip


@router.get("/review.pdf")
def review_pdf(request: Request, database: DatabaseDep, who: ManagerUser) -> Response:
    """The same pack printed: the page's template with its print stylesheet inlined."""
    context = _context(database, request.query_params.get("draft"))
    if context["pack"] is None:
        raise NotFound("no version is in force: publish one to review it")
    styles = [(SHARED_STATIC / name).read_text("utf-8") for name in PAGE_STYLES]
    styles.append((STATIC / "review.css").read_text("utf-8"))
    html = templates.env.get_template(TEMPLATE).render({
        **context, "export": True, "styles": "\n".join(styles), "user": None,
        "csrf_token": "", "path": "/review",
    })  # fmt: skip
    headers = {"Content-Disposition": 'inline; filename="review-pack.pdf"',
               "Cache-Control": "private, no-store"}  # fmt: skip
    return Response(html_pdf(html), media_type="application/pdf", headers=headers)


@router.post("/review", response_class=HTMLResponse)
def record(
    request: Request,
    database: DatabaseDep,
    who: ManagerUser,
    outcome: FormText = "",
    draft: FormText = "",
    note: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Record the review done today: no change, or the draft that carries its changes."""
    check_csrf(request, csrf_token)
    try:
        if outcome not in ("no_change", "new_draft"):
            raise InvalidInput("outcome: choose “no change” or “a new draft”",
                               [{"field": "outcome", "problem": "missing"}])  # fmt: skip
        record_review(database, who, outcome, draft=_number(draft, "draft"),
                      note=note)  # fmt: skip
    except REFUSALS as error:
        return _refused(request, database, who, error, (outcome, draft, note))
    return RedirectResponse("/review?done=recorded", status_code=303)


def _refused(
    request: Request, database: Database, who: Principal, error: CharterError,
    form: tuple[str, str, str],
) -> HTMLResponse:  # fmt: skip
    context = _context(database, None)
    context.update(record_problem=str(error).splitlines()[0], form=form, done=False)
    return render(request, TEMPLATE, context, user=who, status=status_of(error))
