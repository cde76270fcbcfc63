"""The public charter page: ``GET /`` and ``GET /charter``, no sign-in needed.

``?tz=Area/City`` shows times on the visitor's clock too; a name that is not an
IANA timezone is ignored with a note. Without ``tz``, a small script
(``/static/tz-reload.js``) asks the browser for its timezone and reloads once with
it; the page is complete without the script. With nothing published yet the answer
is a 404 page that says so.

What an anonymous visitor sees is the same for everyone in the same minute, so it is
rendered once per published version, zone and minute and kept in memory (its "open
now" lines are as of the minute). A visitor without a session cookie is answered
from memory on the event loop, with no query and no worker thread, while the live
version was looked up less than ``VERSION_MAX_AGE`` seconds ago; anything else (a
signed-in user, a new minute or zone, the version to look up again) is worked out
on a worker thread. A version published in this process shows at once, one
published by another process (``charter policy publish``) within that many seconds.

Kept pages are keyed on what the page shows, not on the raw ``tz``: its canonical
IANA name (``europe/paris`` is ``Europe/Paris``), and for every unknown or made-up
zone one page with the note. So random ``tz`` values render one page a minute, not
one each. Only the current minute's pages are kept, at most ``PAGES_KEPT`` of them.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from charter.errors import InvalidInput, TooManyRequests
from charter.publish.public_page import visitor_view
from charter.services.lifecycle import operating_version_id, recent_operating_version_id
from charter.services.policy_feedback import RATED_SECTIONS, form_token, rate_section
from charter.services.public_charter import public_charter
from charter.store import Database
from charter.web.deps import DatabaseDep, SettingsDep
from charter.web.rendering import render, signed_in, templates
from charter.web.security import SESSION_COOKIE

router = APIRouter(include_in_schema=False)
CACHE = {"Cache-Control": "public, max-age=60"}  # "open now" may change each minute
VERSION_MAX_AGE = 1.0  # seconds a looked-up live version is trusted without a query
# Rendered visitor pages kept, the oldest dropped first: room for every IANA zone
# (about 600) of a version in one minute, so cycling through zones renders each once a
# minute rather than on every request; at about 40 KB a page, under 40 MB.
PAGES_KEPT = 1024

Visitor = tuple[str | None, bool, bool]  # zone shown, note on an unknown zone, tz script
PageKey = tuple[Database, int, Visitor, dt.datetime]
_pages: dict[PageKey, bytes] = {}  # inserted under _rendering; read without it
_rendering = threading.Lock()


@router.get("/", response_class=HTMLResponse)
@router.get("/charter", response_class=HTMLResponse)
async def charter_page(request: Request, database: DatabaseDep, tz: str | None = None) -> Response:
    """The charter of the published policy, on the business's clock and the visitor's."""
    if SESSION_COOKIE not in request.cookies:
        known = recent_operating_version_id(database, VERSION_MAX_AGE)
        if known is not None and known[0] is not None:
            kept = _pages.get((database, known[0], _visitor(tz), _this_minute()))
            if kept is not None:
                return _visitor_response(kept)
    return await run_in_threadpool(_charter_page, request, database, tz)


def _charter_page(request: Request, database: Database, tz: str | None) -> Response:
    user = signed_in(request, database)
    if user is None:
        version_id = operating_version_id(database, max_age=VERSION_MAX_AGE)
        if version_id is not None:
            form = _feedback_form(request, database)
            html = _visitor_page(database, version_id, tz, _this_minute(), form)
            if html is not None:  # None: retired since the version was looked up
                return _visitor_response(html)
    page = public_charter(database, visitor_tz=tz)
    headers = CACHE if user is None else {"Cache-Control": "private, no-store"}
    if page is None:
        return render(request, "public/unpublished.html", {}, user=user, status=404)
    context = {"page": page, "lang": page.lang, "offer_tz_reload": tz is None,
               "feedback_form": _feedback_form(request, database)}  # fmt: skip
    return render(request, "public/charter.html", context, user=user, headers=headers)


def _feedback_form(request: Request, database: Database) -> dict[str, str] | None:
    """Where the page's rating forms post, with their signed token (none while no
    version is in force)."""
    version_id = operating_version_id(database, max_age=VERSION_MAX_AGE)
    if version_id is None:
        return None
    token = form_token(request.app.state.settings, version_id)
    return {"action": "/charter/feedback", "token": token}


def _visitor(tz: str | None) -> Visitor:
    """What of ``tz`` the page depends on: two visitors with the same get the same page."""
    zone, noted = visitor_view(tz)
    return zone, noted, tz is None


def _this_minute() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def _visitor_response(html: bytes) -> Response:
    return Response(html, media_type="text/html; charset=utf-8", headers=CACHE)


def _visitor_page(
    database: Database, version_id: int, tz: str | None, minute: dt.datetime,
    feedback_form: dict[str, str] | None = None,
) -> bytes | None:  # fmt: skip
    """The page as an anonymous visitor sees it, for one version, zone and minute."""
    key = (database, version_id, _visitor(tz), minute)
    with _rendering:  # when the minute turns, one thread renders; the others wait for it
        kept = _pages.get(key)
        if kept is not None:
            return kept
        page = public_charter(database, now=minute, visitor_tz=tz)
        if page is None:
            return None
        context = {"page": page, "lang": page.lang, "offer_tz_reload": tz is None,
                   "user": None, "csrf_token": "", "path": "/",
                   "feedback_form": feedback_form}  # fmt: skip
        html = templates.env.get_template("public/charter.html").render(context).encode()
        for old in [k for k in _pages if k[3] < minute]:  # never asked for again
            del _pages[old]
        while len(_pages) >= PAGES_KEPT:
            del _pages[next(iter(_pages))]
        _pages[key] = html
        return html


@router.post("/charter/feedback", response_class=HTMLResponse)
async def rate(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=200)] = "",
    section: Annotated[str, Form(max_length=80)] = "",
    clear: Annotated[str | None, Form(max_length=10)] = None,
    fair: Annotated[str | None, Form(max_length=10)] = None,
    comment: Annotated[str | None, Form(max_length=5000)] = None,
    website: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    """A visitor's rating of one section; a thank-you page, or the reason it was not
    taken, each with the way back to the section."""
    address = request.client.host if request.client else "unknown"
    try:
        done = await run_in_threadpool(
            rate_section, database, settings, token=token, section=section, clear=clear,
            fair=fair, comment=comment, honeypot=website, address=address,
        )  # fmt: skip
    except (InvalidInput, TooManyRequests) as error:
        status = 429 if isinstance(error, TooManyRequests) else 422
        headers = (
            {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else {}
        )
        context = {"problem": str(error), "back": _back(section)}
        return render(request, "public/feedback.html", context, status=status, headers=headers)
    context = {"heading": done.heading, "back": _back(done.section)}
    return render(request, "public/feedback.html", context)


def _back(section: str) -> str:
    return f"/charter#{section}" if section in RATED_SECTIONS else "/charter"
