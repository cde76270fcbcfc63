"""Accounts, sign-in and API tokens as services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from charter.errors import AuthError, Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from charter.services import _passwords
from charter.services.account_access import (
    AccountChanges,
    change_account,
    read_account,
    visible_tokens,
)
from charter.services.accounts import Account, Principal, create_user, update_user
from charter.services.signin import sign_in
from charter.services.tokens import (
    create_token,
    list_tokens,
    principal_for_token,
    revoke_token,
)
from charter.store import Database
from charter.store.models import ApiToken, User
from support.web import PASSWORD, make_user

T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: the rules under test do not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(_passwords, "_hasher", cheap)


def as_principal(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role)


# Passwords ---------------------------------------------------------------------------


def test_an_account_stores_an_argon2_hash_and_never_the_password(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_passwords, "_hasher", PasswordHasher())  # the real cost
    ada = create_user(
        database, email="ada@example.com", name="Ada", role="manager", password=PASSWORD
    )
    with database.reading() as session:
        row = session.scalars(select(User).where(User.id == ada.id)).one()
    assert row.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in row.password_hash
    assert PasswordHasher().verify(row.password_hash, PASSWORD)


def test_the_right_password_signs_in_and_records_when(database: Database) -> None:
    ada = make_user(database, "manager")
    who = sign_in(database, f"  {ada.email.upper()} ", PASSWORD, address="192.0.2.1", now=T0)
    assert (who.id, who.role, who.via) == (ada.id, "manager", "session")
    with database.reading() as session:
        assert session.get(User, ada.id).last_login_at == T0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "email, password, disable",
    [
        ("owner", "a wrong password", False),
        ("nobody@example.com", PASSWORD, False),
        ("owner", PASSWORD, True),
        ("x" * 300 + "@example.com", PASSWORD, False),
        ("nul\x00@example.com", PASSWORD, False),
    ],
    ids=["wrong password", "unknown e-mail", "disabled account", "too long", "NUL"],
)
def test_sign_in_is_refused_with_one_message(
    database: Database, email: str, password: str, disable: bool
) -> None:
    owner = make_user(database, "agent")
    if disable:
        update_user(database, owner.id, active=False)
    with pytest.raises(AuthError, match="wrong e-mail or password") as raised:
        address = owner.email if email == "owner" else email
        sign_in(database, address, password, address="192.0.2.2", now=T0)
    assert not isinstance(raised.value, RateLimited)


# Accounts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("email", {"email": "not-an-address"}),
        ("email", {"email": "a" * 250 + "@example.com"}),
        ("email", {"email": "nul\x00@example.com"}),
        ("name", {"name": "  "}),
        ("name", {"name": "n" * 201}),
        ("name", {"name": "line\nbreak"}),
        ("role", {"role": "owner"}),
        ("password", {"password": "short"}),
        ("password", {"password": "surrogate \ud800 in it"}),
    ],
)
def test_unusable_account_fields_are_refused_by_name(
    database: Database, field: str, overrides: dict[str, Any]
) -> None:
    values = {"email": "ok@example.com", "name": "Ok", "role": "agent", "password": PASSWORD}
    with pytest.raises(InvalidInput) as raised:
        create_user(database, **(values | overrides))
    assert raised.value.details[0]["field"] == field
    assert str(raised.value).startswith(f"{field}:")


def test_an_e_mail_is_taken_whatever_its_case(database: Database) -> None:
    values = {"name": "Ada", "role": "agent", "password": PASSWORD}
    create_user(database, email="ada@example.com", **values)
    with pytest.raises(Conflict, match="already exists"):
        create_user(database, email=" ADA@Example.com ", **values)


@pytest.mark.parametrize("change", [{"role": "manager"}, {"active": False}])
def test_the_last_active_admin_cannot_be_demoted_or_disabled(
    database: Database, change: dict[str, Any]
) -> None:
    admin = make_user(database, "admin")
    spare = make_user(database, "admin")
    update_user(database, spare.id, active=False)  # a disabled admin does not count
    with pytest.raises(Conflict, match="last active admin"):
        update_user(database, admin.id, **change)
    update_user(database, spare.id, active=True)
    changed = update_user(database, admin.id, **change)
    assert (changed.role.value, changed.active) != ("admin", True)


def test_a_user_reads_their_own_account_and_no_other(database: Database) -> None:
    agent, other, admin = (make_user(database, r) for r in ("agent", "agent", "admin"))
    assert read_account(database, as_principal(agent), agent.id).email == agent.email
    with pytest.raises(Forbidden):
        read_account(database, as_principal(agent), other.id)
    assert read_account(database, as_principal(admin), other.id).email == other.email


@pytest.mark.parametrize("changes", [AccountChanges(role="admin"), AccountChanges(active=False)])
def test_only_an_admin_changes_roles_and_active_state(
    database: Database, changes: AccountChanges
) -> None:
    agent = make_user(database, "agent")
    with pytest.raises(Forbidden):
        change_account(database, as_principal(agent), agent.id, changes)
    admin = make_user(database, "admin")
    changed = change_account(database, as_principal(admin), agent.id, changes)
    assert (changed.role.value, changed.active) != ("agent", True)


@pytest.mark.parametrize("current", [None, "not my password"])
def test_changing_ones_own_password_needs_the_current_one(
    database: Database, current: str | None
) -> None:
    agent = make_user(database, "agent")
    me = as_principal(agent)
    changes = AccountChanges(password="a brand new password", current_password=current)
    with pytest.raises(InvalidInput, match="current_password"):
        change_account(database, me, agent.id, changes)
    right = AccountChanges(password="a brand new password", current_password=PASSWORD)
    change_account(database, me, agent.id, right)
    assert sign_in(database, agent.email, "a brand new password", address="192.0.2.90").id == me.id


def test_an_admin_resets_another_password_without_knowing_it(database: Database) -> None:
    agent, admin = make_user(database, "agent"), make_user(database, "admin")
    changes = AccountChanges(password="reset by the admin")
    change_account(database, as_principal(admin), agent.id, changes)
    assert sign_in(database, agent.email, "reset by the admin", address="192.0.2.91").id == agent.id


# Tokens ------------------------------------------------------------------------------


def test_a_token_secret_is_shown_once_and_stored_only_as_its_sha256(database: Database) -> None:
    ada = make_user(database, "agent")
    created = create_token(database, ada.id, "nightly import")
    with database.reading() as session:
        row = session.scalars(select(ApiToken).where(ApiToken.id == created.token.id)).one()
        stored = [str(value) for value in row.__dict__.values()]
    assert row.token_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert not any(created.secret in value for value in stored)
    listed = list_tokens(database, ada.id)
    assert [t.id for t in listed] == [created.token.id]
    assert not any(created.secret in str(value) for value in vars(listed[0]).values())
    assert principal_for_token(database, created.secret).id == ada.id


def test_a_revoked_token_is_refused_at_once(database: Database) -> None:
    ada = make_user(database, "agent")
    created = create_token(database, ada.id, "ci")
    revoked = revoke_token(database, created.token.id, as_principal(ada))
    assert revoked.revoked_at is not None
    with pytest.raises(AuthError):
        principal_for_token(database, created.secret)


def test_a_disabled_accounts_token_is_refused(database: Database) -> None:
    ada, _admin = make_user(database, "agent"), make_user(database, "admin")
    created = create_token(database, ada.id, "ci")
    update_user(database, ada.id, active=False)
    with pytest.raises(AuthError):
        principal_for_token(database, created.secret)


def test_only_the_owner_or_an_admin_revokes_a_token(database: Database) -> None:
    owner, other, admin = (make_user(database, r) for r in ("agent", "manager", "admin"))
    created = create_token(database, owner.id, "ci")
    # Someone else's token is as good as missing: the same error a wrong id gets.
    with pytest.raises(NotFound) as not_theirs:
        revoke_token(database, created.token.id, as_principal(other))
    with pytest.raises(NotFound) as missing:
        revoke_token(database, 4000, as_principal(other))
    assert str(not_theirs.value) == f"no API token with id {created.token.id}"
    assert str(missing.value) == "no API token with id 4000"
    assert principal_for_token(database, created.secret).id == owner.id
    revoke_token(database, created.token.id, as_principal(admin))
    with pytest.raises(AuthError):
        principal_for_token(database, created.secret)


def test_everyones_tokens_are_listed_for_admins_only(database: Database) -> None:
    agent, admin = make_user(database, "agent"), make_user(database, "admin")
    mine = create_token(database, agent.id, "mine").token.id
    theirs = create_token(database, admin.id, "theirs").token.id
    assert [t.id for t in visible_tokens(database, as_principal(agent))] == [mine]
    with pytest.raises(Forbidden):
        visible_tokens(database, as_principal(agent), everyone=True)
    everyone = visible_tokens(database, as_principal(admin), everyone=True)
    assert {mine, theirs} <= {t.id for t in everyone}


@pytest.mark.parametrize("name", ["", "   ", "n" * 201, "tab\tname"])
def test_a_token_needs_a_usable_name(database: Database, name: str) -> None:
    ada = make_user(database, "agent")
    with pytest.raises(InvalidInput, match="name"):
        create_token(database, ada.id, name)
