"""Dependencies shared by routes, declared once as ``Annotated`` aliases.

``CurrentUser`` is whoever sent the request: a bearer API token, else the sign-in
cookie (with its CSRF token on state-changing methods); anonymous requests get a
401. ``Manager`` and ``Admin`` narrow it to roles and answer 403 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from charter.config import Settings
from charter.errors import AuthError, Forbidden
from charter.services.accounts import Principal, Role
from charter.services.tokens import principal_for_token
from charter.store import Database
from charter.web.security import (
    CSRF_HEADER,
    SAFE_METHODS,
    check_csrf,
    has_sign_in,
    session_principal,
)

bearer = HTTPBearer(auto_error=False, description="An API token from POST /api/tokens.")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


SettingsDep = Annotated[Settings, Depends(_settings)]
DatabaseDep = Annotated[Database, Depends(_database)]


def current_user(
    request: Request,
    database: DatabaseDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is not None:
        return principal_for_token(database, credentials.credentials)
    if not has_sign_in(request):
        raise AuthError(
            "sign in first (POST /api/session), or send an API token as "
            "'Authorization: Bearer <token>'"
        )
    who = session_principal(request, database)
    if who is None:
        request.session.clear()
        raise AuthError(
            "this sign-in has ended: it was signed out or expired, the account is "
            "disabled or gone, or its password was changed since; sign in again"
        )
    if request.method not in SAFE_METHODS:
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return who


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets through only the given roles."""
    allowed = " or ".join(role.value for role in roles)

    def dependency(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise Forbidden(f"this needs the {allowed} role; you are signed in as {user.role}")
        return user

    return dependency


Manager = Annotated[Principal, Depends(require(Role.admin, Role.manager))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
