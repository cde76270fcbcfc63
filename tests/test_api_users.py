"""Accounts over the JSON API: the session, users and tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from charter.services import _passwords
from charter.services.accounts import Account, update_user
from charter.services.tokens import create_token
from charter.store import Database
from charter.web.app import SESSION_COOKIE
from support.api import assert_error_body
from support.web import PASSWORD, make_user


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: the rules under test do not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(_passwords, "_hasher", cheap)


def sign_in(client: TestClient, account: Account, password: str = PASSWORD) -> str:
    """Sign ``client`` in with its cookie; the session's CSRF token."""
    response = client.post("/api/session", json={"email": account.email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def token_headers(database: Database, account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(database, account.id, 'tests').secret}"}


# The session -------------------------------------------------------------------------


def test_signing_in_sets_a_cookie_that_carries_the_account(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "manager")
    response = client.post("/api/session", json={"email": ada.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    expected = {"id": ada.id, "email": ada.email, "name": ada.name, "role": "manager"}
    assert body["user"] == expected | {"via": "session"}
    assert SESSION_COOKIE in response.cookies
    assert PASSWORD not in response.headers["set-cookie"]
    now = client.get("/api/session").json()
    assert (now["user"]["id"], now["csrf_token"]) == (ada.id, body["csrf_token"])
    assert client.get("/api/users/me").json()["email"] == ada.email


@pytest.mark.parametrize("case", ["wrong password", "unknown e-mail", "disabled account"])
def test_bad_credentials_are_a_401_and_sign_no_one_in(
    client: TestClient, database: Database, case: str
) -> None:
    ada = make_user(database, "agent")
    email, password = ada.email, PASSWORD
    if case == "wrong password":
        password = "not the password"
    elif case == "unknown e-mail":
        email = "nobody@example.com"
    else:
        update_user(database, ada.id, active=False)
    response = client.post("/api/session", json={"email": email, "password": password})
    assert response.status_code == 401
    assert_error_body(response.json(), 401, "unauthenticated")
    assert client.get("/api/session").status_code == 401


def test_an_anonymous_session_is_a_401(client: TestClient) -> None:
    response = client.get("/api/session")
    assert response.status_code == 401
    assert_error_body(response.json(), 401, "unauthenticated")


def test_too_many_failures_are_a_429_with_retry_after(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    wrong = {"email": ada.email, "password": "not the password"}
    assert [client.post("/api/session", json=wrong).status_code for _ in range(5)] == [401] * 5
    response = client.post("/api/session", json={"email": ada.email, "password": PASSWORD})
    assert response.status_code == 429
    assert_error_body(response.json(), 429, "rate_limited")
    assert 0 < int(response.headers["Retry-After"]) <= 900
    assert client.get("/api/session").status_code == 401


@pytest.mark.parametrize("header", [{}, {"X-CSRF-Token": "wrong"}])
def test_signing_out_with_the_cookie_needs_the_csrf_token(
    client: TestClient, database: Database, header: dict[str, str]
) -> None:
    csrf = sign_in(client, make_user(database, "agent"))
    refused = client.delete("/api/session", headers=header)
    assert refused.status_code == 403
    assert_error_body(refused.json(), 403, "forbidden")
    assert client.get("/api/session").status_code == 200
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/session").status_code == 401


def test_a_cookie_patch_needs_the_csrf_token_and_a_bearer_patch_does_not(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    csrf = sign_in(client, ada)
    refused = client.patch(f"/api/users/{ada.id}", json={"name": "Forged"})
    assert refused.status_code == 403
    assert client.get("/api/users/me").json()["name"] == ada.name
    ok = client.patch(f"/api/users/{ada.id}", json={"name": "Ada"}, headers={"X-CSRF-Token": csrf})
    assert (ok.status_code, ok.json()["name"]) == (200, "Ada")
    client.cookies.clear()
    headers = token_headers(database, ada)
    by_token = client.patch(f"/api/users/{ada.id}", json={"name": "Ada L."}, headers=headers)
    assert (by_token.status_code, by_token.json()["name"]) == (200, "Ada L.")
    assert client.get("/api/session", headers=headers).json()["csrf_token"] is None


# Users -------------------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [("admin", 200), ("manager", 403), ("agent", 403)])
def test_only_admins_list_accounts(
    client: TestClient, database: Database, role: str, status: int
) -> None:
    response = client.get("/api/users", headers=token_headers(database, make_user(database, role)))
    assert response.status_code == status
    if status == 200:
        assert len(response.json()) == 1


def test_an_admin_opens_an_account_that_can_sign_in(client: TestClient, database: Database) -> None:
    headers = token_headers(database, make_user(database, "admin"))
    new = {"email": "Bo@Example.com", "name": "Bo", "role": "manager", "password": PASSWORD}
    created = client.post("/api/users", json=new, headers=headers)
    assert created.status_code == 201
    assert created.json()["email"] == "bo@example.com"
    assert "password" not in created.text and PASSWORD not in created.text
    again = client.post("/api/users", json=new, headers=headers)
    assert again.status_code == 409
    assert_error_body(again.json(), 409, "conflict")
    client.post("/api/session", json={"email": "bo@example.com", "password": PASSWORD})
    assert client.get("/api/users/me").json()["role"] == "manager"


@pytest.mark.parametrize(
    "change",
    [
        {"email": "not-an-address"},
        {"role": "owner"},
        {"password": "short"},
        {"name": ""},
        {"name": "x" * 201},
        {"is_admin": True},
    ],
)
def test_an_unusable_new_account_is_a_422(
    client: TestClient, database: Database, change: dict[str, object]
) -> None:
    headers = token_headers(database, make_user(database, "admin"))
    new = {"email": "bo@example.com", "name": "Bo", "role": "agent", "password": PASSWORD}
    response = client.post("/api/users", json=new | change, headers=headers)
    assert response.status_code == 422
    assert_error_body(response.json(), 422, "invalid_input")


def test_a_user_cannot_read_another_account(client: TestClient, database: Database) -> None:
    ada, bo = make_user(database, "manager"), make_user(database, "agent")
    headers = token_headers(database, ada)
    assert client.get(f"/api/users/{ada.id}", headers=headers).json()["email"] == ada.email
    refused = client.get(f"/api/users/{bo.id}", headers=headers)
    assert refused.status_code == 403
    assert bo.email not in refused.text
    admin = token_headers(database, make_user(database, "admin"))
    assert client.get(f"/api/users/{bo.id}", headers=admin).json()["email"] == bo.email
    assert client.get("/api/users/4000", headers=admin).status_code == 404


@pytest.mark.parametrize("user_id", ["0", "-1", "2147483648", "99999999999999999999", "me2"])
def test_an_impossible_account_id_is_a_422(
    client: TestClient, database: Database, user_id: str
) -> None:
    admin = token_headers(database, make_user(database, "admin"))
    assert client.get(f"/api/users/{user_id}", headers=admin).status_code == 422


@pytest.mark.parametrize("change", [{"role": "admin"}, {"active": False}])
def test_a_user_may_not_change_their_own_role_or_state(
    client: TestClient, database: Database, change: dict[str, object]
) -> None:
    ada = make_user(database, "agent")
    response = client.patch(
        f"/api/users/{ada.id}", json=change, headers=token_headers(database, ada)
    )
    assert response.status_code == 403
    assert (
        client.get("/api/users/me", headers=token_headers(database, ada)).json()["role"] == "agent"
    )


def test_changing_ones_own_password_over_the_api_needs_the_current_one(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    headers, path = token_headers(database, ada), f"/api/users/{ada.id}"
    missing = client.patch(path, json={"password": "a new long password"}, headers=headers)
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "current_password"
    change = {"password": "a new long password", "current_password": PASSWORD}
    assert client.patch(path, json=change, headers=headers).status_code == 200
    sign_in(client, ada, "a new long password")


def test_a_new_password_ends_the_accounts_other_sign_ins_but_not_this_one(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    with TestClient(client.app) as laptop:  # a second browser signed in as the same person
        sign_in(laptop, ada)
        csrf = sign_in(client, ada)
        change = {"password": "a new long password", "current_password": PASSWORD}
        path = f"/api/users/{ada.id}"
        changed = client.patch(path, json=change, headers={"X-CSRF-Token": csrf})
        assert changed.status_code == 200, changed.text
        assert client.get("/api/users/me").json()["email"] == ada.email  # still signed in
        refused = laptop.get("/api/users/me")
        assert refused.status_code == 401
        assert "password was changed" in refused.json()["error"]["message"]
        sign_in(laptop, ada, "a new long password")
        assert laptop.get("/api/users/me").status_code == 200


def test_an_admin_resetting_or_disabling_an_account_ends_its_sign_ins_for_good(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    admin, path = token_headers(database, make_user(database, "admin")), f"/api/users/{ada.id}"
    sign_in(client, ada)
    reset = client.patch(path, json={"password": "set by the admin"}, headers=admin)
    assert reset.status_code == 200
    assert client.get("/api/users/me").status_code == 401
    sign_in(client, ada, "set by the admin")
    for active in (False, True):  # enabled again, the old sign-in does not come back
        assert client.patch(path, json={"active": active}, headers=admin).status_code == 200
    assert client.get("/api/users/me").status_code == 401
    sign_in(client, ada, "set by the admin")
    assert client.get("/api/users/me").status_code == 200


def test_disabling_an_account_refuses_its_token_at_once(
    client: TestClient, database: Database
) -> None:
    ada = make_user(database, "agent")
    headers = token_headers(database, ada)
    assert client.get("/api/users/me", headers=headers).status_code == 200
    admin = token_headers(database, make_user(database, "admin"))
    changed = client.patch(f"/api/users/{ada.id}", json={"active": False}, headers=admin)
    assert (changed.status_code, changed.json()["active"]) == (200, False)
    assert client.get("/api/users/me", headers=headers).status_code == 401


def test_the_last_admin_cannot_step_down(client: TestClient, database: Database) -> None:
    admin = make_user(database, "admin")
    headers = token_headers(database, admin)
    response = client.patch(f"/api/users/{admin.id}", json={"role": "agent"}, headers=headers)
    assert response.status_code == 409
    assert client.get("/api/users/me", headers=headers).json()["role"] == "admin"


# Tokens ------------------------------------------------------------------------------


def test_a_new_token_secret_is_shown_once_and_works(client: TestClient, database: Database) -> None:
    ada = make_user(database, "agent")
    sign_in(client, ada)
    csrf = client.get("/api/session").json()["csrf_token"]
    created = client.post("/api/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    secret = created.json()["secret"]
    listed = client.get("/api/tokens")
    assert [t["id"] for t in listed.json()] == [created.json()["id"]]
    assert secret not in listed.text and "secret" not in listed.json()[0]
    client.cookies.clear()
    me = client.get("/api/users/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["id"] == ada.id


@pytest.mark.parametrize("role, status", [("admin", 200), ("manager", 403), ("agent", 403)])
def test_only_admins_list_everyones_tokens(
    client: TestClient, database: Database, role: str, status: int
) -> None:
    other = create_token(database, make_user(database, "agent").id, "other").token
    response = client.get(
        "/api/tokens",
        params={"all": "true"},
        headers=token_headers(database, make_user(database, role)),
    )
    assert response.status_code == status
    if status == 200:
        assert other.id in [t["id"] for t in response.json()]


def test_a_revoked_token_stops_working_at_once(client: TestClient, database: Database) -> None:
    ada, bo = make_user(database, "agent"), make_user(database, "agent")
    created = create_token(database, ada.id, "ci")
    headers = {"Authorization": f"Bearer {created.secret}"}
    path = f"/api/tokens/{created.token.id}"
    refused = client.delete(path, headers=token_headers(database, bo))
    assert refused.status_code == 404
    assert client.get("/api/users/me", headers=headers).status_code == 200
    revoked = client.delete(path, headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    after = client.get("/api/users/me", headers=headers)
    assert after.status_code == 401
    assert_error_body(after.json(), 401, "unauthenticated")


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_revoking_someone_elses_token_answers_exactly_as_a_missing_one(
    client: TestClient, database: Database, role: str
) -> None:
    owner = make_user(database, "agent")
    theirs = create_token(database, owner.id, "ci")
    headers = token_headers(database, make_user(database, role))
    missing_id = theirs.token.id + 1000
    answers = {
        token_id: client.delete(f"/api/tokens/{token_id}", headers=headers)
        for token_id in (theirs.token.id, missing_id)
    }
    for token_id, answer in answers.items():
        assert answer.status_code == 404
        assert answer.json() == {
            "error": {
                "status": 404,
                "code": "not_found",
                "message": f"no API token with id {token_id}",
                "details": [],
            }
        }
    same_headers = [{k: v for k, v in a.headers.items() if k != "content-length"}
                    for a in answers.values()]  # fmt: skip
    assert same_headers[0] == same_headers[1]
    still = {"Authorization": f"Bearer {theirs.secret}"}
    assert client.get("/api/users/me", headers=still).status_code == 200


def test_an_admin_revokes_anyones_token(client: TestClient, database: Database) -> None:
    theirs = create_token(database, make_user(database, "manager").id, "ci")
    admin = token_headers(database, make_user(database, "admin"))
    revoked = client.delete(f"/api/tokens/{theirs.token.id}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    gone = client.get("/api/users/me", headers={"Authorization": f"Bearer {theirs.secret}"})
    assert gone.status_code == 401


def test_revoking_a_missing_token_is_a_404(client: TestClient, database: Database) -> None:
    admin = token_headers(database, make_user(database, "admin"))
    response = client.delete("/api/tokens/4000", headers=admin)
    assert response.status_code == 404
    assert_error_body(response.json(), 404, "not_found")


def test_every_account_route_documents_its_refusals(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/users", "/api/users/me", "/api/users/{user_id}", "/api/tokens"):
        for method, operation in paths[path].items():
            assert "401" in operation["responses"], (method, path)
    assert "429" in paths["/api/session"]["post"]["responses"]
