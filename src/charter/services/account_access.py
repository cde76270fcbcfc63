"""Who may read and change which account and token.

An admin reads and changes every account (name, role, active, password). Everyone
else reads and changes only their own account, and only its name and password.
Changing one's own password needs the current one, so a browser left signed in is
not enough to take an account over. Tokens are listed per owner; only an admin may
list everyone's.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> from charter.services.accounts import create_user
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> ada = create_user(db, email="ada@example.com", name="Ada", role="agent",
...                   password="a long password")
>>> me = Principal(ada.id, ada.email, ada.name, ada.role)
>>> change_account(db, me, ada.id, AccountChanges(name="Ada L.")).name
'Ada L.'
>>> change_account(db, me, ada.id, AccountChanges(role="admin"))
Traceback (most recent call last):
...
charter.errors.Forbidden: only an admin may change an account's role or active state
"""

from __future__ import annotations

from dataclasses import dataclass

from charter.errors import Forbidden, InvalidInput
from charter.services._passwords import verify_password
from charter.services.accounts import Account, Principal, Role, get_user, load_user, update_user
from charter.services.tokens import Token, list_tokens
from charter.store import Database


@dataclass(frozen=True)
class AccountChanges:
    """Fields to change; ``None`` leaves one as it is."""

    name: str | None = None
    role: str | None = None
    active: bool | None = None
    password: str | None = None
    current_password: str | None = None


def read_account(database: Database, actor: Principal, user_id: int) -> Account:
    """The account ``user_id``, if ``actor`` is an admin or its owner."""
    if actor.role is not Role.admin and actor.id != user_id:
        raise Forbidden(
            f"you may read only your own account (id {actor.id}); "
            "other accounts need the admin role"
        )
    return get_user(database, user_id)


def change_account(
    database: Database, actor: Principal, user_id: int, changes: AccountChanges
) -> Account:
    """Apply ``changes`` to account ``user_id`` as ``actor`` may."""
    current = read_account(database, actor, user_id)
    if actor.role is not Role.admin:
        _refuse_admin_fields(current, changes)
    if changes.password is not None and user_id == actor.id:
        _check_current_password(database, user_id, changes.current_password)
    return update_user(
        database,
        user_id,
        name=changes.name,
        role=changes.role,
        active=changes.active,
        password=changes.password,
    )


def visible_tokens(database: Database, actor: Principal, *, everyone: bool = False) -> list[Token]:
    """``actor``'s own tokens; everyone's when an admin asks for them."""
    if everyone and actor.role is not Role.admin:
        raise Forbidden("only an admin may list everyone's tokens; leave out all=true")
    return list_tokens(database, None if everyone else actor.id)


def _refuse_admin_fields(current: Account, changes: AccountChanges) -> None:
    # Sending the value an account already has is no change (a form may send it all).
    role_changes = changes.role is not None and changes.role != current.role.value
    active_changes = changes.active is not None and changes.active != current.active
    if role_changes or active_changes:
        raise Forbidden("only an admin may change an account's role or active state")


def _check_current_password(database: Database, user_id: int, given: str | None) -> None:
    with database.reading() as session:
        hashed = load_user(session, user_id).password_hash
    if given is None or not verify_password(hashed, given):
        problem = "missing" if given is None else "wrong"
        raise InvalidInput(
            f"current_password: {problem}; changing your own password needs the current one",
            [{"field": "current_password", "problem": problem}],
        )
