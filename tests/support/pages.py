"""Signing in to the HTML pages as a browser would, and reading what a page shows."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from charter.services.accounts import Account
from charter.store import Database
from support.web import PASSWORD, make_user

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, database: Database, role: str) -> Account:
    """A new account of ``role``, signed in through the form; the client keeps the cookie."""
    user = make_user(database, role)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return user
