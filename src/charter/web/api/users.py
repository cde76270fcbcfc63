"""``/api/users``: accounts. Admins manage all of them; everyone reads and edits their own."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, status

from charter.services.account_access import AccountChanges, change_account, read_account
from charter.services.accounts import Account, create_user, get_user, list_users
from charter.web.deps import Admin, CurrentUser, DatabaseDep
from charter.web.schemas.users import UserCreate, UserPublic, UserUpdate
from charter.web.security import keep_signed_in

router = APIRouter(prefix="/users", tags=["users"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The account's id.")]

DENIED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in."},
    403: {"description": "The role or ownership does not allow it."},
}


def _public(user: Account) -> UserPublic:
    return UserPublic(**asdict(user))


@router.get("", responses=DENIED)
def read_users(database: DatabaseDep, _admin: Admin) -> list[UserPublic]:
    """Every account, oldest first (admin)."""
    return [_public(user) for user in list_users(database)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        **DENIED,
        409: {"description": "An account with this e-mail exists."},
        422: {"description": "A field is not usable (e-mail, name, role, password)."},
    },
)
def create_account(body: UserCreate, database: DatabaseDep, _admin: Admin) -> UserPublic:
    """Open an account (admin)."""
    user = create_user(
        database, email=body.email, name=body.name, role=body.role.value, password=body.password
    )
    return _public(user)


@router.get("/me", responses={401: DENIED[401]})
def read_me(database: DatabaseDep, user: CurrentUser) -> UserPublic:
    """The signed-in account."""
    return _public(get_user(database, user.id))


@router.get("/{user_id}", responses={**DENIED, 404: {"description": "No such account."}})
def read_user(user_id: UserId, database: DatabaseDep, user: CurrentUser) -> UserPublic:
    """One account: an admin reads any, everyone else only their own."""
    return _public(read_account(database, user, user_id))


@router.patch(
    "/{user_id}",
    responses={
        **DENIED,
        404: {"description": "No such account."},
        409: {"description": "The change would leave no active admin."},
        422: {"description": "A field is not usable, or current_password is wrong."},
    },
)
def update_account(
    user_id: UserId, body: UserUpdate, database: DatabaseDep, user: CurrentUser, request: Request
) -> UserPublic:
    """Change an account: an admin any field; everyone else their own name and password.
    A new password ends the account's other sign-ins; the one that changed it stays."""
    changes = AccountChanges(
        name=body.name,
        role=body.role.value if body.role is not None else None,
        active=body.active,
        password=body.password,
        current_password=body.current_password,
    )
    changed = change_account(database, user, user_id, changes)
    if body.password is not None and user.via == "session" and user_id == user.id:
        keep_signed_in(request, database)
    return _public(changed)
