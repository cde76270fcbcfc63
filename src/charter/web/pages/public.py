"""The public charter page: ``GET /`` and ``GET /charter``, no sign-in needed.

``?tz=Area/City`` shows times on the visitor's clock too; a name that is not an
IANA timezone is ignored with a note. Without ``tz``, a small inline script asks
the browser for its timezone and reloads once with it; the page is complete
without the script. With nothing published yet the answer is a 404 page that
says so.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.services.public_charter import public_charter
from charter.web.deps import DatabaseDep
from charter.web.pages._shared import render, signed_in

router = APIRouter(include_in_schema=False)
CACHE = {"Cache-Control": "public, max-age=60"}  # "open now" may change each minute


@router.get("/", response_class=HTMLResponse)
@router.get("/charter", response_class=HTMLResponse)
def charter_page(request: Request, database: DatabaseDep, tz: str | None = None) -> HTMLResponse:
    """The charter of the published policy, on the business's clock and the visitor's."""
    page = public_charter(database, visitor_tz=tz)
    user = signed_in(request, database)
    headers = CACHE if user is None else {"Cache-Control": "private, no-store"}
    if page is None:
        return render(request, "public/unpublished.html", {}, user=user, status=404)
    context = {"page": page, "lang": page.lang, "offer_tz_reload": tz is None}
    return render(request, "public/charter.html", context, user=user, headers=headers)
