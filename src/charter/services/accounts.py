"""Accounts: staff who sign in, with one role each.

Roles: ``admin`` (accounts and everything else), ``manager`` (policies, imports,
results), ``agent`` (reads, comments). Public pages need no account.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> ada = create_user(db, email="Ada@Example.com", name="Ada", role="manager",
...                   password="a long password")
>>> ada.email, ada.role.value, ada.active
('ada@example.com', 'manager', True)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from charter.errors import Conflict, InvalidInput, NotFound
from charter.services._passwords import check_password, hash_password
from charter.store import Database
from charter.store import accounts as accounts_store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from charter.store.models import User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EMAIL_LENGTH = 254  # the longest address SMTP allows, and the column's size
NAME_LENGTH = 200
# Control characters and lone surrogates cannot be stored (PostgreSQL refuses NUL,
# UTF-8 refuses surrogates) and have no place in a name or an address.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class Role(StrEnum):
    admin = "admin"
    manager = "manager"
    agent = "agent"


@dataclass(frozen=True)
class Principal:
    """Who is making a request, and how they proved it."""

    id: int
    email: str
    name: str
    role: Role
    via: Literal["session", "token", "cli"] = "session"
    epoch: int = 0  # the account's sign-in generation (``User.session_epoch``)

    def has(self, *roles: Role) -> bool:
        return self.role in roles


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    name: str
    role: Role
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None


def account(user: User) -> Account:
    return Account(
        user.id,
        user.email,
        user.name,
        Role(user.role),
        user.active,
        user.created_at,
        user.last_login_at,
    )


def principal(user: User, via: Literal["session", "token", "cli"]) -> Principal:
    return Principal(user.id, user.email, user.name, Role(user.role), via, user.session_epoch)


def normal_email(email: str) -> str:
    cleaned = email.strip().lower()
    if len(cleaned) > EMAIL_LENGTH or UNPRINTABLE.search(cleaned) or not EMAIL.match(cleaned):
        raise InvalidInput(
            f"email: {email[:80]!r} is not an e-mail address",
            [{"field": "email", "problem": "not an e-mail address"}],
        )
    return cleaned


def clean_name(value: str, field: str = "name", limit: int = NAME_LENGTH) -> str:
    """``value`` without surrounding spaces; refused when empty, too long or unprintable.

    >>> clean_name("  Ada Lovelace ")
    'Ada Lovelace'
    """
    cleaned = value.strip()
    problem = None
    if not cleaned:
        problem = "must not be empty"
    elif len(cleaned) > limit:
        problem = f"longer than {limit} characters"
    elif UNPRINTABLE.search(cleaned):
        problem = "contains control characters"
    if problem:
        raise InvalidInput(f"{field}: {problem}", [{"field": field, "problem": problem}])
    return cleaned


def role_of(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput(
            f"role: {value!r} is not a role; choose one of {choices}",
            [{"field": "role", "problem": f"not one of {choices}"}],
        ) from None


def create_user(database: Database, *, email: str, name: str, role: str, password: str) -> Account:
    """A new active account; the e-mail must be new."""
    address, chosen, named = normal_email(email), role_of(role), clean_name(name)
    check_password(password)
    with database.transaction() as session:
        if accounts_store.user_by_email(session, address) is not None:
            raise Conflict(f"an account for {address} already exists; sign in or choose another")
        user = accounts_store.add_user(
            session,
            email=address,
            name=named,
            role=chosen.value,
            password_hash=hash_password(password),
        )
        return account(user)


def list_users(database: Database) -> list[Account]:
    with database.reading() as session:
        return [account(u) for u in accounts_store.all_users(session)]


def get_user(database: Database, user_id: int) -> Account:
    with database.reading() as session:
        return account(load_user(session, user_id))


def find_user(database: Database, email: str) -> Account:
    wanted = email.strip().lower()
    with database.reading() as session:
        printable = not UNPRINTABLE.search(wanted)
        user = accounts_store.user_by_email(session, wanted) if printable else None
        if user is None:
            raise NotFound(f"no account for {email.strip()!r}; `charter user list` shows them")
        return account(user)


def update_user(
    database: Database,
    user_id: int,
    *,
    name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> Account:
    """Change an account; ``None`` leaves a field as it is."""
    if password is not None:
        check_password(password)
    named = clean_name(name) if name is not None else None
    chosen = role_of(role) if role is not None else None
    with database.transaction() as session:
        accounts_store.hold_accounts(session)
        user = load_user(session, user_id)
        was_admin = user.role == Role.admin and user.active
        if named is not None:
            user.name = named
        if chosen is not None:
            user.role = chosen.value
        if active is False and user.active:
            user.session_epoch += 1  # its sign-ins stay ended if it is enabled again
        if active is not None:
            user.active = active
        if password is not None:
            user.password_hash = hash_password(password)
            user.session_epoch += 1  # every browser signed in with the old one is out
        if was_admin:
            _keep_an_admin(session, user)
        return account(user)


def load_user(session: Session, user_id: int) -> User:
    user = accounts_store.user_by_id(session, user_id)
    if user is None:
        raise NotFound(f"no account with id {user_id}")
    return user


def _keep_an_admin(session: Session, changed: User) -> None:
    """Refuse a change that takes away the last active admin."""
    session.flush()
    if not accounts_store.count_active_admins(session):
        raise Conflict(
            f"{changed.email} is the last active admin; make another account admin first"
        )
