"""API tokens for integrations: shown once, stored as a hash, revocable.

A token is 32 random bytes, so a fast hash (SHA-256) is enough to make a stolen
table useless; Argon2 is kept for passwords, which people choose.

>>> secret = new_secret()
>>> secret.startswith(PREFIX), len(digest(secret))
(True, 64)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import AuthError, InvalidInput, NotFound
from charter.services.accounts import Principal, Role, clean_name, load_user, principal
from charter.store import Database
from charter.store import accounts as accounts_store

if TYPE_CHECKING:
    from charter.store.models import ApiToken

PREFIX = "chr_"
SHOWN = 12  # characters of the token kept in clear, to tell tokens apart


@dataclass(frozen=True)
class Token:
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``secret`` is shown this once and never stored."""

    token: Token
    secret: str


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _token(row: ApiToken) -> Token:
    return Token(
        row.id,
        row.user_id,
        row.name,
        row.prefix,
        row.created_at,
        row.last_used_at,
        row.revoked_at,
    )


def create_token(database: Database, user_id: int, name: str) -> NewToken:
    if not name.strip():
        raise InvalidInput(
            "name: give the token a name (what uses it)",
            [{"field": "name", "problem": "must not be empty"}],
        )
    named = clean_name(name)
    secret = new_secret()
    with database.transaction() as session:
        load_user(session, user_id)
        row = accounts_store.add_token(
            session, user_id, name=named, prefix=secret[:SHOWN], digest=digest(secret)
        )
        return NewToken(_token(row), secret)


def list_tokens(database: Database, user_id: int | None = None) -> list[Token]:
    """Tokens of one user, or of everyone."""
    with database.reading() as session:
        return [_token(row) for row in accounts_store.tokens_of(session, user_id)]


def revoke_token(database: Database, token_id: int, actor: Principal) -> Token:
    """Revoke a token; its owner or an admin may. Revoking twice is harmless.

    Someone else's token is answered as one that does not exist, so ids cannot be
    probed for whose tokens there are."""
    with database.transaction() as session:
        row = accounts_store.token_by_id(session, token_id)
        if row is None or (row.user_id != actor.id and actor.role is not Role.admin):
            raise NotFound(f"no API token with id {token_id}")
        if row.revoked_at is None:
            row.revoked_at = clock.now()
        return _token(row)


def principal_for_token(database: Database, secret: str) -> Principal:
    """Who a bearer token speaks for; refused when unknown, revoked or disabled."""
    with database.transaction() as session:
        found = accounts_store.token_by_hash(session, digest(secret))
        if found is None or found[0].revoked_at is not None or not found[1].active:
            raise AuthError("the API token is unknown, revoked, or its account is disabled")
        row, user = found
        now = clock.now()
        if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
            row.last_used_at = now  # at most once a minute: reads stay cheap
        return principal(user, "token")
