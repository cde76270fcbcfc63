"""Building the web app for tests, and credentials for each role."""

from __future__ import annotations

import itertools

from charter.config import Environment, Settings
from charter.services.accounts import Account, create_user
from charter.services.tokens import create_token
from charter.store import Database

SECRET = "test-secret-key-that-is-long-enough-to-use"
PASSWORD = "a long enough password"
_numbers = itertools.count(1)


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": Environment.test,
        "secret_key": SECRET,
        "database_url": database_url,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def make_user(database: Database, role: str, *, email: str | None = None) -> Account:
    address = email or f"{role}{next(_numbers)}@example.com"
    return create_user(database, email=address, name=role.title(), role=role, password=PASSWORD)


def bearer(database: Database, role: str) -> dict[str, str]:
    """Headers that authenticate as a new user of ``role`` with an API token."""
    user = make_user(database, role)
    return {"Authorization": f"Bearer {create_token(database, user.id, 'tests').secret}"}
