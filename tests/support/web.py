"""Building the web app for tests, and credentials for each role."""

from __future__ import annotations

import itertools
from functools import cache

from charter.config import Environment, Settings
from charter.services.accounts import Account, account, hash_password
from charter.services.tokens import create_token
from charter.store import Database
from charter.store.models import User

SECRET = "test-secret-key-that-is-long-enough-to-use"
PASSWORD = "a long enough password"
_numbers = itertools.count(1)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": Environment.test,
        "secret_key": SECRET,
        "database_url": database_url,
        # A worker's tick renders real PDFs (seconds each) once a version is in force;
        # the tests that follow it turn it on (test_services_documents.py).
        "worker_documents": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_user(database: Database, role: str, *, email: str | None = None) -> Account:
    """A new active account whose password is ``PASSWORD``.

    Hashing with Argon2 takes most of a second on a busy machine, so the hash of
    ``PASSWORD`` is made once; ``create_user`` itself is tested in test_services_accounts.py.
    """
    address = email or f"{role}{next(_numbers)}@example.com"
    with database.transaction() as session:
        user = User(email=address, name=role.title(), role=role, password_hash=_password_hash())
        session.add(user)
        session.flush()
        return account(user)


def bearer(database: Database, role: str) -> dict[str, str]:
    """Headers that authenticate as a new user of ``role`` with an API token."""
    user = make_user(database, role)
    return {"Authorization": f"Bearer {create_token(database, user.id, 'tests').secret}"}
