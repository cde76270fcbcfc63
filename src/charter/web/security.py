"""Sign-in sessions and CSRF tokens.

A signed-in browser carries a signed session cookie (Starlette's
``SessionMiddleware``, keyed with ``CHARTER_SECRET_KEY``) holding a random sign-in id
and a CSRF token. The sign-in id counts only while its row on the server is live
(``charter.services.sessions``): signing out ends the row, so a copy of the cookie
is refused afterwards. Every state-changing request authenticated by that cookie must echo
the token: the ``X-CSRF-Token`` header for API calls, the ``csrf_token`` field for
HTML forms. Requests with an API token carry no cookie, so they need no CSRF token.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request

from charter.config import Settings
from charter.errors import Forbidden
from charter.services.accounts import Principal
from charter.services.sessions import (
    end_other_sign_ins,
    end_sign_in,
    live_principal,
    renew_sign_in,
    start_sign_in,
)
from charter.services.signin import Limit
from charter.store import Database

SESSION_COOKIE = "charter_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SIGN_IN = "sign_in"  # the cookie's key for the random sign-in id


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


def signin_limit(settings: Settings) -> Limit:
    """How failed sign-ins are slowed, from the settings."""
    return Limit(
        attempts=settings.login_attempts,
        address_attempts=settings.login_address_attempts,
        window=settings.login_window,
        delay=settings.login_delay,
        max_delay=settings.login_max_delay,
    )


def _max_age(request: Request) -> int:
    settings: Settings = request.app.state.settings
    return settings.session_max_age


def _secret(request: Request) -> str | None:
    secret = request.session.get(SIGN_IN)
    return secret if isinstance(secret, str) else None


def has_sign_in(request: Request) -> bool:
    """Whether the cookie names a sign-in at all (live or not)."""
    return _secret(request) is not None


def start_session(request: Request, database: Database, who: Principal) -> str:
    """Sign ``who`` in: a fresh session (never reuse one) with a new sign-in on the
    server and a new CSRF token."""
    request.session.clear()
    agent = request.headers.get("user-agent", "")
    request.session[SIGN_IN] = start_sign_in(
        database, who, max_age=_max_age(request), user_agent=agent
    )
    return csrf_token(request)


def session_principal(request: Request, database: Database) -> Principal | None:
    """Whoever the session cookie signs in, if its sign-in is live: not ended or
    expired, its account active and its password unchanged since."""
    secret = _secret(request)
    if secret is None:
        return None
    return live_principal(database, secret, max_age=_max_age(request))


def keep_signed_in(request: Request, database: Database) -> None:
    """After the account changed its own password through this session, carry the
    session over to the account's new sign-in generation (the others end)."""
    secret = _secret(request)
    if secret is not None:
        renew_sign_in(database, secret)


def end_session(request: Request, database: Database) -> None:
    """Sign out: the sign-in ends on the server, and the cookie is cleared."""
    secret = _secret(request)
    if secret is not None:
        end_sign_in(database, secret)
    request.session.clear()


def end_other_sessions(request: Request, database: Database, who: Principal) -> int:
    """End ``who``'s live sign-ins but this request's own (all of them when the
    request came with an API token); how many."""
    keep = _secret(request) if who.via == "session" else None
    return end_other_sign_ins(database, who.id, keep=keep, max_age=_max_age(request))
