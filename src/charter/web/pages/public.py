"""The public charter page: ``GET /`` and ``GET /charter``, no sign-in needed.

``?tz=Area/City`` shows times on the visitor's clock too; a name that is not an
IANA timezone is ignored with a note. Without ``tz``, a small inline script asks
the browser for its timezone and reloads once with it; the page is complete
without the script. What an anonymous visitor sees is rendered once per minute,
published version and zone, and served from memory until the minute turns (its
"open now" lines are as of the minute). With nothing published yet the answer is a 404 page that
says so.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from charter.services.lifecycle import operating_version_id
from charter.services.public_charter import public_charter
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.pages._shared import render, signed_in, templates

router = APIRouter(include_in_schema=False)
CACHE = {"Cache-Control": "public, max-age=60"}  # "open now" may change each minute


@router.get("/", response_class=HTMLResponse)
@router.get("/charter", response_class=HTMLResponse)
def charter_page(request: Request, database: DatabaseDep, tz: str | None = None) -> HTMLResponse:
    """The charter of the published policy, on the business's clock and the visitor's."""
    user = signed_in(request, database)
    if user is None:
        # A visitor's page is the same for everyone in the same minute: render it once.
        version_id = operating_version_id(database)
        if version_id is not None:
            minute = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
            html = _visitor_page(database, version_id, tz, minute)
            return HTMLResponse(html, headers=CACHE)
    page = public_charter(database, visitor_tz=tz)
    headers = CACHE if user is None else {"Cache-Control": "private, no-store"}
    if page is None:
        return render(request, "public/unpublished.html", {}, user=user, status=404)
    context = {"page": page, "lang": page.lang, "offer_tz_reload": tz is None}
    return render(request, "public/charter.html", context, user=user, headers=headers)


@lru_cache(maxsize=256)
def _visitor_page(database: Database, version_id: int, tz: str | None, minute: dt.datetime) -> str:
    """The page as an anonymous visitor sees it, for one version, zone and minute."""
    page = public_charter(database, now=minute, visitor_tz=tz)
    assert page is not None  # the caller found a published version
    context = {"page": page, "lang": page.lang, "offer_tz_reload": tz is None, "user": None,
               "csrf_token": "", "path": "/"}  # fmt: skip
    return templates.env.get_template("public/charter.html").render(context)
