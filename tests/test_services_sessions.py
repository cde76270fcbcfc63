"""Sign-ins kept on the server: signing out ends them, copies of a cookie included;
one browser ends the others; expiry; migration 0007. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator

import pytest
from alembic import command
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from charter.services import _passwords
from charter.services.accounts import Account, Principal, Role
from charter.services.sessions import (
    end_other_sign_ins,
    live_principal,
    start_sign_in,
)
from charter.services.tokens import create_token
from charter.store import Database
from charter.store.models import LoginAttempt, SignIn, User
from charter.web.app import SESSION_COOKIE
from support.web import PASSWORD, make_user

T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
HOUR = 3600


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: the rules under test do not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(_passwords, "_hasher", cheap)


@pytest.fixture
def browsers(client: TestClient) -> Iterator[list[TestClient]]:
    """Three more browsers on the same app, each with its own cookies."""
    with (
        TestClient(client.app, follow_redirects=False) as one,
        TestClient(client.app, follow_redirects=False) as two,
        TestClient(client.app, follow_redirects=False) as three,
    ):
        yield [one, two, three]


def api_sign_in(client: TestClient, account: Account) -> str:
    """Sign ``client`` in over the API; the session's CSRF token."""
    response = client.post("/api/session", json={"email": account.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def form_sign_in(client: TestClient, account: Account) -> None:
    form = {"email": account.email, "password": PASSWORD, "csrf_token": page_token(client)}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


def page_token(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert found is not None
    return found.group(1)


def copied_cookie(client: TestClient) -> dict[str, str]:
    """The session cookie as someone who copied it would send it, from anywhere."""
    value = client.cookies.get(SESSION_COOKIE)
    assert value
    return {"Cookie": f"{SESSION_COOKIE}={value}"}


def who_with(client: TestClient, headers: dict[str, str]) -> int:
    """The status of GET /api/session sent by a fresh client with ``headers``."""
    with TestClient(client.app) as elsewhere:
        return elsewhere.get("/api/session", headers=headers).status_code


# Signing out ends the sign-in on the server -------------------------------------------


def test_a_cookie_copied_before_signing_out_over_the_api_is_refused_after_it(
    client: TestClient, database: Database
) -> None:
    csrf = api_sign_in(client, make_user(database, "agent"))
    copy = copied_cookie(client)
    assert who_with(client, copy) == 200  # the copy works while the sign-in lasts
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert who_with(client, copy) == 401
    with TestClient(client.app) as elsewhere:
        refused = elsewhere.get("/api/users/me", headers=copy)
    assert refused.status_code == 401
    assert "sign in again" in refused.json()["error"]["message"]


def test_a_cookie_copied_before_the_sign_out_form_is_refused_after_it(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    form_sign_in(client, ada)
    copy = copied_cookie(client)
    assert who_with(client, copy) == 200
    out = client.post("/logout", data={"csrf_token": page_token(client)}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/login")
    assert who_with(client, copy) == 401
    with TestClient(client.app) as elsewhere:
        page = elsewhere.get("/login", headers=copy)
    assert page.status_code == 200 and "You are signed in" not in page.text


def test_signing_in_again_after_signing_out_starts_a_new_sign_in(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    csrf = api_sign_in(client, ada)
    old = copied_cookie(client)
    client.delete("/api/session", headers={"X-CSRF-Token": csrf})
    api_sign_in(client, ada)
    assert client.get("/api/session").status_code == 200
    assert who_with(client, old) == 401


# Ending one's other sign-ins ------------------------------------------------------------


def test_ending_other_sign_ins_ends_exactly_the_others(
    client: TestClient, database: Database, browsers: list[TestClient]
) -> None:
    ada, bo = make_user(database, "agent"), make_user(database, "agent")
    csrf = api_sign_in(client, ada)
    laptop, phone, bos_browser = browsers
    api_sign_in(laptop, ada)
    api_sign_in(phone, ada)
    api_sign_in(bos_browser, bo)
    ended = client.delete("/api/session/others", headers={"X-CSRF-Token": csrf})
    assert (ended.status_code, ended.json()) == (200, {"ended": 2})
    assert client.get("/api/users/me").json()["id"] == ada.id
    assert [b.get("/api/session").status_code for b in (laptop, phone)] == [401, 401]
    assert bos_browser.get("/api/users/me").json()["id"] == bo.id
    again = client.delete("/api/session/others", headers={"X-CSRF-Token": csrf})
    assert again.json() == {"ended": 0}


def test_ending_other_sign_ins_needs_the_csrf_token(
    client: TestClient, database: Database, browsers: list[TestClient]
) -> None:
    ada = make_user(database, "agent")
    api_sign_in(client, ada)
    api_sign_in(browsers[0], ada)
    assert client.delete("/api/session/others").status_code == 403
    assert browsers[0].get("/api/session").status_code == 200


def test_an_api_token_ends_every_browser_sign_in_of_its_account(
    client: TestClient, database: Database, browsers: list[TestClient]
) -> None:
    ada = make_user(database, "agent")
    for browser in browsers[:2]:
        api_sign_in(browser, ada)
    bearer = {"Authorization": f"Bearer {create_token(database, ada.id, 'ci').secret}"}
    ended = client.delete("/api/session/others", headers=bearer)
    assert ended.json() == {"ended": 2}
    assert [b.get("/api/session").status_code for b in browsers[:2]] == [401, 401]


def test_the_sign_in_page_ends_the_other_sign_ins_and_says_how_many(
    client: TestClient, database: Database, browsers: list[TestClient]
) -> None:
    ada = make_user(database, "agent")
    here, laptop = browsers[0], browsers[1]
    form_sign_in(here, ada)
    api_sign_in(laptop, ada)
    page = here.get("/login")
    assert "End my other sign-ins" in page.text
    assert 'action="/logout/others"' in page.text
    done = here.post("/logout/others", data={"csrf_token": page_token(here)})
    assert (done.status_code, done.headers["location"]) == (303, "/login?ended=1")
    assert "Ended 1 other sign-in." in here.get(done.headers["location"]).text
    assert laptop.get("/api/session").status_code == 401
    assert here.get("/api/session").status_code == 200


def test_the_other_sign_ins_form_needs_the_sessions_token(
    client: TestClient, database: Database, browsers: list[TestClient]
) -> None:
    ada = make_user(database, "agent")
    here, laptop = browsers[0], browsers[1]
    form_sign_in(here, ada)
    api_sign_in(laptop, ada)
    assert here.post("/logout/others", data={"csrf_token": "forged"}).status_code == 403
    assert laptop.get("/api/session").status_code == 200


# The sign-ins table -----------------------------------------------------------------


def principal_of(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role)


def test_the_table_keeps_only_the_sha256_of_the_cookies_sign_in_id(database: Database) -> None:
    ada = make_user(database, "agent")
    secret = start_sign_in(database, principal_of(ada), max_age=HOUR, user_agent="Firefox\x00")
    assert len(secret) >= 43  # 32 random bytes
    with database.reading() as session:
        row = session.execute(select(SignIn)).scalar_one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in vars(row).values())
    assert row.user_agent == "Firefox"


def test_a_sign_in_older_than_the_maximum_age_counts_as_ended(database: Database) -> None:
    ada = make_user(database, "agent")
    secret = start_sign_in(database, principal_of(ada), max_age=HOUR, now=T0)
    almost = T0 + dt.timedelta(seconds=HOUR - 1)
    assert live_principal(database, secret, max_age=HOUR, now=almost) is not None
    late = T0 + dt.timedelta(seconds=HOUR)
    assert live_principal(database, secret, max_age=HOUR, now=late) is None


def test_expired_sign_ins_are_not_counted_as_ended_by_ending_the_others(
    database: Database,
) -> None:
    ada = make_user(database, "agent")
    start_sign_in(database, principal_of(ada), max_age=HOUR, now=T0)  # expired by then
    later = T0 + dt.timedelta(seconds=2 * HOUR)
    start_sign_in(database, principal_of(ada), max_age=HOUR, now=later - dt.timedelta(hours=3))
    live = start_sign_in(database, principal_of(ada), max_age=HOUR, now=later)
    other = start_sign_in(database, principal_of(ada), max_age=HOUR, now=later)
    assert end_other_sign_ins(database, ada.id, keep=live, max_age=HOUR, now=later) == 1
    assert live_principal(database, other, max_age=HOUR, now=later) is None
    assert live_principal(database, live, max_age=HOUR, now=later) is not None


def test_last_seen_is_written_at_most_once_a_minute(database: Database) -> None:
    ada = make_user(database, "agent")
    secret = start_sign_in(database, principal_of(ada), max_age=HOUR, now=T0)

    def seen_at(moment: dt.datetime) -> dt.datetime:
        live_principal(database, secret, max_age=HOUR, now=moment)
        with database.reading() as session:
            return session.execute(select(SignIn.last_seen_at)).scalar_one()

    assert seen_at(T0 + dt.timedelta(seconds=59)) == T0
    assert seen_at(T0 + dt.timedelta(seconds=60)) == T0 + dt.timedelta(seconds=60)


def test_a_new_sign_in_clears_the_accounts_expired_ones(database: Database) -> None:
    ada, bo = make_user(database, "agent"), make_user(database, "agent")
    start_sign_in(database, principal_of(ada), max_age=HOUR, now=T0)
    start_sign_in(database, principal_of(bo), max_age=HOUR, now=T0)
    start_sign_in(database, principal_of(ada), max_age=HOUR, now=T0 + dt.timedelta(hours=2))
    with database.reading() as session:
        kept = session.execute(select(SignIn.user_id, SignIn.created_at)).all()
    assert sorted(kept) == sorted([(bo.id, T0), (ada.id, T0 + dt.timedelta(hours=2))])


# Migration 0007 ---------------------------------------------------------------------


def test_migration_0007_adds_the_sign_ins_and_removes_them_on_downgrade(
    database: Database,
) -> None:
    config = database._alembic()
    command.downgrade(config, "0006")
    try:
        assert "sign_ins" not in inspect(database.engine).get_table_names()
        with database.transaction() as session:
            session.execute(
                text(
                    "INSERT INTO users (email, name, role, password_hash, active, created_at, "
                    "session_epoch) VALUES ('ada@example.com', 'Ada', 'agent', 'x', :yes, :at, 0)"
                ),
                {"yes": True, "at": T0},
            )
            session.execute(
                text("INSERT INTO login_attempts (key, at) VALUES (:a, :at), (:b, :at)"),
                {"a": "account:ada@example.com", "b": "address:192.0.2.1", "at": T0},
            )
        database.upgrade()
        with database.reading() as session:
            user = session.execute(select(User)).scalar_one()
            keys = session.execute(select(LoginAttempt.key)).scalars().all()
        assert keys == ["address:192.0.2.1"]  # per-account counts are no longer read
        who = Principal(user.id, user.email, user.name, Role(user.role))
        secret = start_sign_in(database, who, max_age=HOUR)
        assert live_principal(database, secret, max_age=HOUR) is not None
        command.downgrade(config, "0006")
        assert "sign_ins" not in inspect(database.engine).get_table_names()
        with database.reading() as session:
            emails = session.execute(text("SELECT email FROM users")).scalars().all()
        assert emails == ["ada@example.com"]
    finally:
        database.upgrade()
