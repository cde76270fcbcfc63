"""Failed sign-ins slow the (account, address) pair and the address, never the account
alone; waits double up to a cap (docs/accounts.md). SQLite and PostgreSQL.

Every expected wait below is worked out by hand from the documented rule with the
default settings: 5 free failures per pair and 50 per address within a day, then
5 s after the latest failure, doubled for each further failure, at most 900 s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from charter.errors import AuthError, RateLimited
from charter.services import _passwords
from charter.services.signin import Limit, sign_in
from charter.store import Database
from charter.web.app import create_app
from support.web import PASSWORD, make_settings, make_user

T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
A, B = "198.51.100.1", "203.0.113.2"
WRONG = "not the password"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its lowest cost: the rules under test do not depend on the cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(_passwords, "_hasher", cheap)
    monkeypatch.setattr(_passwords, "_DUMMY", cheap.hash("no such account"))


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


def fail(database: Database, email: str, address: str, at: dt.datetime) -> None:
    """A wrong password that is checked and refused, not throttled."""
    with pytest.raises(AuthError) as raised:
        sign_in(database, email, WRONG, address=address, now=at)
    assert not isinstance(raised.value, RateLimited), raised.value


def wait_at(database: Database, email: str, address: str, at: dt.datetime) -> int:
    """The Retry-After of an attempt refused for throttling (even with the password)."""
    with pytest.raises(RateLimited) as raised:
        sign_in(database, email, PASSWORD, address=address, now=at)
    assert f"try again in {raised.value.retry_after} seconds" in str(raised.value)
    return raised.value.retry_after


def test_fifty_wrong_passwords_from_one_address_do_not_stop_the_owner_at_another(
    database: Database,
) -> None:
    owner = make_user(database, "manager")
    moment, failures = T0, 0
    while failures < 50:  # the attacker waits out every delay, so all 50 are checked
        try:
            sign_in(database, owner.email, WRONG, address=A, now=moment)
        except RateLimited as refused:
            moment += seconds(refused.retry_after)
        except AuthError:
            failures += 1
    assert wait_at(database, owner.email, A, moment) == 900  # A is held back ...
    who = sign_in(database, owner.email, PASSWORD, address=B, now=moment)
    assert who.id == owner.id  # ... the owner elsewhere is not


def test_each_further_failure_doubles_the_wait_up_to_the_cap(database: Database) -> None:
    ada = make_user(database, "agent")
    for _ in range(5):
        fail(database, ada.email, A, T0)
    moment, waits = T0, []
    for _ in range(10):
        wait = wait_at(database, ada.email, A, moment)
        waits.append(wait)
        assert wait_at(database, ada.email, A, moment + seconds(wait - 1)) == 1
        moment += seconds(wait)
        fail(database, ada.email, A, moment)
    # Failure n (n >= 5) makes the next attempt wait min(900, 5 * 2**(n - 5)) seconds.
    assert waits == [5, 10, 20, 40, 80, 160, 320, 640, 900, 900]


def test_the_wait_counts_from_the_latest_failure(database: Database) -> None:
    ada = make_user(database, "agent")
    for n in range(5):
        fail(database, ada.email, A, T0 + seconds(n))
    assert wait_at(database, ada.email, A, T0 + seconds(4)) == 5
    assert wait_at(database, ada.email, A, T0 + seconds(6.5)) == 3  # 2.5 s left, rounded up
    fail(database, ada.email, A, T0 + seconds(9))


def test_many_accounts_tried_from_one_address_trip_the_address_limit(
    database: Database,
) -> None:
    for n in range(50):  # one wrong password each: no pair reaches its 5
        fail(database, f"guess{n}@example.com", A, T0)
    ada = make_user(database, "agent")
    assert wait_at(database, ada.email, A, T0) == 5
    assert sign_in(database, ada.email, PASSWORD, address=B, now=T0).id == ada.id


def test_a_success_leaves_the_addresss_failures_counted(database: Database) -> None:
    ada = make_user(database, "agent")
    for n in range(45):
        fail(database, f"guess{n}@example.com", A, T0)
    for _ in range(5):  # the pair's 5th failure is the address's 50th
        fail(database, ada.email, A, T0)
    assert wait_at(database, ada.email, A, T0) == 5
    sign_in(database, ada.email, PASSWORD, address=A, now=T0 + seconds(5))
    # Were the address cleared, an attacker could clear it by signing in to their own
    # account. Its 51st failure makes its next attempt wait 5 * 2**(51 - 50) = 10.
    fail(database, "guess99@example.com", A, T0 + seconds(5))
    assert wait_at(database, "guess100@example.com", A, T0 + seconds(5)) == 10


def test_a_success_lets_the_pair_fail_again_without_waiting(database: Database) -> None:
    ada = make_user(database, "agent")
    for _ in range(5):
        fail(database, ada.email, A, T0)
    later = T0 + seconds(5)
    sign_in(database, ada.email, PASSWORD, address=A, now=later)
    for _ in range(5):
        fail(database, ada.email, A, later)
    assert wait_at(database, ada.email, A, later) == 5


def test_failures_older_than_the_window_are_forgotten(database: Database) -> None:
    ada = make_user(database, "agent")
    for _ in range(5):
        fail(database, ada.email, A, T0)
    a_day_later = T0 + seconds(86_400)
    for _ in range(5):  # remembered, the 6th would make the 7th wait 10 s
        fail(database, ada.email, A, a_day_later)
    assert wait_at(database, ada.email, A, a_day_later) == 5


def test_the_limits_follow_the_settings(database: Database) -> None:
    ada = make_user(database, "agent")
    limit = Limit(attempts=2, address_attempts=3, window=60, delay=7, max_delay=10)
    for _ in range(2):
        with pytest.raises(AuthError):
            sign_in(database, ada.email, WRONG, address=A, limit=limit, now=T0)
    with pytest.raises(RateLimited) as raised:
        sign_in(database, ada.email, PASSWORD, address=A, limit=limit, now=T0)
    assert raised.value.retry_after == 7


# Over HTTP ----------------------------------------------------------------------------


@pytest.fixture
def two_addresses(database_url: str, database: Database) -> Iterator[tuple[TestClient, ...]]:
    """Two browsers on the same app, from two client addresses."""
    app = create_app(make_settings(database_url, login_delay=60), database)
    with TestClient(app, client=(A, 1000)) as one, TestClient(app, client=(B, 1000)) as two:
        yield one, two


def test_over_the_api_one_address_is_slowed_and_the_owner_at_another_is_not(
    database: Database, two_addresses: tuple[TestClient, ...]
) -> None:
    attacker, owner_browser = two_addresses
    ada = make_user(database, "agent")
    wrong = {"email": ada.email, "password": WRONG}
    assert [attacker.post("/api/session", json=wrong).status_code for _ in range(5)] == [401] * 5
    right = {"email": ada.email, "password": PASSWORD}
    refused = attacker.post("/api/session", json=right)
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 59 <= retry_after <= 60
    assert f"try again in {retry_after} seconds" in refused.json()["error"]["message"]
    assert owner_browser.post("/api/session", json=right).status_code == 200


def test_the_sign_in_form_gives_the_wait_in_its_message_and_header(
    database: Database, two_addresses: tuple[TestClient, ...]
) -> None:
    attacker, _ = two_addresses
    ada = make_user(database, "agent")
    page = attacker.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    wrong = {"email": ada.email, "password": WRONG, "csrf_token": token}
    assert {attacker.post("/login", data=wrong).status_code for _ in range(5)} == {401}
    refused = attacker.post("/login", data=wrong | {"password": PASSWORD})
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 59 <= retry_after <= 60
    assert f"try again in {retry_after} seconds" in refused.text
