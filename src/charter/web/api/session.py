"""``/api/session``: sign in with e-mail and password, see who is signed in, sign out.

Signing in sets the session cookie and answers with a CSRF token; every unsafe
request made with that cookie must echo the token in the ``X-CSRF-Token`` header.
Signing out ends the sign-in on the server, so a copy of the cookie stops working
too; ``DELETE /api/session/others`` ends the account's other sign-ins.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from charter.services.accounts import Principal
from charter.services.signin import sign_in
from charter.web.deps import CurrentUser, DatabaseDep, SettingsDep
from charter.web.schemas.session import (
    PrincipalPublic,
    SessionCreate,
    SessionPublic,
    SignInsEnded,
)
from charter.web.security import (
    csrf_token,
    end_other_sessions,
    end_session,
    signin_limit,
    start_session,
)

router = APIRouter(prefix="/session", tags=["session"])
NO_STORE = "no-store"
SIGNED_OUT: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in, or the sign-in has ended."},
    403: {"description": "Missing or wrong X-CSRF-Token header."},
}


def _public(who: Principal, token: str | None) -> SessionPublic:
    user = PrincipalPublic(id=who.id, email=who.email, name=who.name, role=who.role, via=who.via)
    return SessionPublic(user=user, csrf_token=token)


@router.post(
    "",
    responses={
        401: {"description": "Wrong e-mail or password, or the account is disabled."},
        422: {"description": "The body is not an e-mail and a password."},
        429: {"description": "Too many failed sign-ins; see the Retry-After header."},
    },
)
def create_session(
    body: SessionCreate,
    request: Request,
    response: Response,
    database: DatabaseDep,
    settings: SettingsDep,
) -> SessionPublic:
    """Sign in: sets the session cookie and returns the CSRF token to send with it."""
    address = request.client.host if request.client else "unknown"
    limit = signin_limit(settings)
    who = sign_in(database, body.email, body.password, address=address, limit=limit)
    response.headers["Cache-Control"] = NO_STORE
    return _public(who, start_session(request, database, who))


@router.get("", responses={401: {"description": "Not signed in."}})
def read_session(request: Request, response: Response, user: CurrentUser) -> SessionPublic:
    """Who is signed in, with the session's CSRF token (null for an API token)."""
    response.headers["Cache-Control"] = NO_STORE
    return _public(user, csrf_token(request) if user.via == "session" else None)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, responses=SIGNED_OUT)
def delete_session(request: Request, database: DatabaseDep, _user: CurrentUser) -> None:
    """Sign out: the sign-in ends on the server and the session cookie is cleared."""
    end_session(request, database)


@router.delete("/others", responses=SIGNED_OUT)
def delete_other_sessions(
    request: Request, database: DatabaseDep, user: CurrentUser
) -> SignInsEnded:
    """End your other sign-ins (every browser but this one; all of them when called
    with an API token), and say how many were ended."""
    return SignInsEnded(ended=end_other_sessions(request, database, user))
