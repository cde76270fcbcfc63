"""Calling the JSON API in tests: the error body every refusal carries, API-token
headers for a new account of a role, and a status check that returns the JSON."""

from __future__ import annotations

import itertools
from typing import Any

from charter.services.tokens import create_token
from charter.store import Database
from charter.store.models import User

POLICIES = "/api/policies"
_people = itertools.count(1)


def assert_error_body(body: Any, status: int, code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert (error["status"], error["code"]) == (status, code)
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)


def signed_in(database: Database, role: str) -> dict[str, str]:
    """API-token headers of a new account of ``role`` (stored directly: hashing is not tested)."""
    number = next(_people)
    with database.transaction() as session:
        user = User(
            email=f"api{number}@example.com", name=f"A{number}", role=role, password_hash=""
        )
        session.add(user)
        session.flush()
        user_id = user.id
    return {"Authorization": f"Bearer {create_token(database, user_id, 'tests').secret}"}


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()
