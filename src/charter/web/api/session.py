"""``/api/session``: sign in with e-mail and password, see who is signed in, sign out.

Signing in sets the session cookie and answers with a CSRF token; every unsafe
request made with that cookie must echo the token in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from charter.services.accounts import Principal
from charter.services.signin import Limit, sign_in
from charter.web.deps import CurrentUser, DatabaseDep, SettingsDep
from charter.web.schemas.session import PrincipalPublic, SessionCreate, SessionPublic
from charter.web.security import csrf_token, end_session, start_session

router = APIRouter(prefix="/session", tags=["session"])
NO_STORE = "no-store"


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
    limit = Limit(settings.login_attempts, settings.login_window)
    who = sign_in(database, body.email, body.password, address=address, limit=limit)
    response.headers["Cache-Control"] = NO_STORE
    return _public(who, start_session(request, who))


@router.get("", responses={401: {"description": "Not signed in."}})
def read_session(request: Request, response: Response, user: CurrentUser) -> SessionPublic:
    """Who is signed in, with the session's CSRF token (null for an API token)."""
    response.headers["Cache-Control"] = NO_STORE
    return _public(user, csrf_token(request) if user.via == "session" else None)


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        401: {"description": "Not signed in."},
        403: {"description": "Missing or wrong X-CSRF-Token header."},
    },
)
def delete_session(request: Request, _user: CurrentUser) -> None:
    """Sign out: the session cookie is cleared."""
    end_session(request)
