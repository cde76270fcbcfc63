"""The sign-in form: ``GET /login``, ``POST /login``, ``POST /logout``, and
``POST /logout/others``, which ends the account's sign-ins in other browsers.

The form carries the CSRF token of the (not yet signed-in) session, so a page on
another site cannot sign a visitor in or out. After signing in, the browser goes to
``next`` when it is a path on this site other than ``/``, and otherwise to the page
where the person's role works (:func:`charter.services.landing.landing_path`: agents
to the tickets, managers to the dashboard, a waiting review first); never elsewhere.

>>> local_path("/policies?tab=versions"), local_path("https://elsewhere.example/")
('/policies?tab=versions', '/')
>>> local_path("//elsewhere.example/"), local_path("/\\\\elsewhere.example/")
('/', '/')
>>> requested("/tickets?status=open"), requested("/"), requested("https://evil.example/")
('/tickets?status=open', '', '')
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from charter.errors import AuthError, Forbidden, RateLimited
from charter.services.accounts import Principal
from charter.services.landing import landing_path
from charter.services.signin import sign_in
from charter.web.deps import DatabaseDep, SettingsDep
from charter.web.security import (
    check_csrf,
    csrf_token,
    end_other_sessions,
    end_session,
    session_principal,
    signin_limit,
    start_session,
)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")

# The sign-in page is never cached, and never shown inside another site's frame.
HEADERS = {"Cache-Control": "no-store"}  # framing and the CSP: charter.web.headers
EXPIRED = "This form has expired or was not sent from this site. Please sign in again."
WRONG = "Wrong e-mail or password, or the account is disabled."
FormText = Annotated[str | None, Form()]


def local_path(value: str | None) -> str:
    """``value`` when it is a path on this site, else ``/``."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith("//"):
        return "/"
    # Browsers read "\" as "/" and drop tabs and newlines: "/\evil" is "//evil".
    if "\\" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value


def requested(value: str | None) -> str:
    """The page ``next`` asks for, or ``""`` when it asks for none on this site: absent,
    elsewhere, or ``/`` (the public charter, where the staff sign-in link starts)."""
    path = local_path(value)
    return "" if path == "/" else path


def _page(
    request: Request,
    *,
    next_path: str,
    user: Principal | None = None,
    email: str = "",
    message: str = "",
    note: str = "",
    status: int = 200,
    retry_after: int | None = None,
) -> HTMLResponse:
    headers = dict(HEADERS)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    context = {
        "csrf_token": csrf_token(request),
        "next": next_path,
        "user": user,
        "email": email[:254],
        "message": message,
        "note": note,
    }
    return templates.TemplateResponse(
        request, "login.html", context, status_code=status, headers=headers
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    database: DatabaseDep,
    next: str | None = None,
    ended: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
) -> Response:
    """The sign-in form (and sign-out buttons when someone is signed in)."""
    user = session_principal(request, database)
    note = _ended_note(ended) if user is not None and ended is not None else ""
    return _page(request, next_path=requested(next), user=user, note=note)


def _ended_note(ended: int) -> str:
    if ended == 0:
        return "You had no other sign-ins."
    return f"Ended {ended} other sign-in{'s' if ended != 1 else ''}."


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    email: FormText = None,
    password: FormText = None,
    csrf_token: FormText = None,
    next: FormText = None,
) -> Response:
    """Sign in from the form: a redirect on success, the form again with a message if not."""
    target, email = requested(next), email or ""
    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        return _page(request, next_path=target, email=email, message=EXPIRED, status=403)
    address = request.client.host if request.client else "unknown"
    limit = signin_limit(settings)
    try:
        who = sign_in(database, email, password or "", address=address, limit=limit)
    except RateLimited as error:
        message = f"Too many failed sign-ins; try again in {error.retry_after} seconds."
        return _page(
            request,
            next_path=target,
            email=email,
            message=message,
            status=429,
            retry_after=error.retry_after,
        )
    except AuthError:
        return _page(request, next_path=target, email=email, message=WRONG, status=401)
    start_session(request, database, who)
    return RedirectResponse(target or landing_path(database, who), status_code=303)


@router.post("/logout", response_class=HTMLResponse)
def logout(request: Request, database: DatabaseDep, csrf_token: FormText = None) -> Response:
    """Sign out from the form's button, then back to the sign-in form."""
    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        user = session_principal(request, database)
        return _page(request, next_path="/", user=user, message=EXPIRED, status=403)
    end_session(request, database)
    return RedirectResponse("/login", status_code=303)


@router.post("/logout/others", response_class=HTMLResponse)
def logout_others(request: Request, database: DatabaseDep, csrf_token: FormText = None) -> Response:
    """End the account's sign-ins in other browsers; this one stays signed in."""
    user = session_principal(request, database)
    try:
        check_csrf(request, csrf_token)
    except Forbidden:
        return _page(request, next_path="/", user=user, message=EXPIRED, status=403)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    ended = end_other_sessions(request, database, user)
    return RedirectResponse(f"/login?ended={ended}", status_code=303)
