"""Sign-in sessions and CSRF tokens.

A signed-in browser carries a signed session cookie (Starlette's
``SessionMiddleware``, keyed with ``CHARTER_SECRET_KEY``) holding the user id and a
CSRF token. Every state-changing request authenticated by that cookie must echo
the token: the ``X-CSRF-Token`` header for API calls, the ``csrf_token`` field for
HTML forms. Requests with an API token carry no cookie, so they need no CSRF token.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request

from charter.errors import Forbidden
from charter.services.accounts import Principal
from charter.services.tokens import principal_for_session
from charter.store import Database

SESSION_COOKIE = "charter_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, given: str | None) -> None:
    """Refuse a state-changing request whose CSRF token is missing or wrong."""
    expected = request.session.get("csrf")
    # Compared as bytes: compare_digest refuses non-ASCII text, and a header or form
    # field may hold any.
    if (
        not given
        or not isinstance(expected, str)
        or not secrets.compare_digest(given.encode(errors="replace"), expected.encode())
    ):
        raise Forbidden(
            f"missing or wrong CSRF token: send the {CSRF_HEADER} header (API) or the "
            f"{CSRF_FIELD} form field with the token from GET /api/session"
        )


def start_session(request: Request, who: Principal) -> str:
    """Sign ``who`` in: a fresh session (never reuse one) with a new CSRF token."""
    request.session.clear()
    request.session["user_id"] = who.id
    request.session["epoch"] = who.epoch
    return csrf_token(request)


def session_principal(request: Request, database: Database) -> Principal | None:
    """Whoever the session cookie signs in, if the account is active and the cookie
    was issued since its password last changed (``User.session_epoch``); a cookie
    from before epochs were kept counts as issued under the first."""
    user_id, epoch = request.session.get("user_id"), request.session.get("epoch", 0)
    if not isinstance(user_id, int) or not isinstance(epoch, int):
        return None
    return principal_for_session(database, user_id, epoch)


def keep_signed_in(request: Request, who: Principal) -> None:
    """After ``who`` changed their own password through this session, carry the
    session over to the account's new sign-in generation (the others end)."""
    if request.session.get("user_id") == who.id:
        request.session["epoch"] = who.epoch


def end_session(request: Request) -> None:
    request.session.clear()
