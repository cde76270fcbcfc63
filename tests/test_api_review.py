"""``/api/review`` on the example policy: reviewed every 6 months, next on Thursday
1 April 2027 with 30 days' warning, owned by the service manager."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.store import Database
from support.api import assert_error_body, ok, signed_in
from support.seed import publish_example
from support.ticket_store import rows


@pytest.fixture
def manager(database: Database, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    publish_example(database)
    headers = signed_in(database, "manager")
    moment = dt.datetime(2027, 3, 20, 10, tzinfo=dt.UTC)  # inside the warning period
    monkeypatch.setattr(clock, "now", lambda: moment)
    return headers


def test_the_review_on_20_march_is_in_warning_with_12_days_left(
    client: TestClient, manager: dict[str, str]
) -> None:
    found = ok(client.get("/api/review", headers=manager))
    assert (found["next_review"], found["warn_from"], found["state"], found["days_left"]) == (
        "2027-04-01", "2027-03-02", "warning", 12
    )  # fmt: skip
    assert (found["owner"], found["owner_name"]) == ("service-manager", "Customer service manager")
    assert found["last_reviewed_on"] is None


def test_recording_no_change_moves_the_next_review_to_1_october(
    client: TestClient, database: Database, manager: dict[str, str]
) -> None:
    found = ok(client.post("/api/review", json={"outcome": "no_change", "note": "Still right"},
                           headers=manager), 201)  # fmt: skip
    assert (found["next_review"], found["state"], found["last_outcome"]) == (
        "2027-10-01", "upcoming", "no_change"
    )  # fmt: skip
    assert rows(database, "SELECT outcome, note FROM policy_reviews") == [
        ("no_change", "Still right")
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"outcome": "new_draft"}, 422, "invalid_input"),  # names no draft
        ({"outcome": "new_draft", "draft": 1}, 409, "conflict"),  # version 1 is published
        ({"outcome": "skipped"}, 422, "invalid_input"),
        ({"outcome": "no_change", "extra": 1}, 422, "invalid_input"),
        ({"outcome": "no_change", "note": "x" * 2001}, 422, "invalid_input"),
    ],
)
def test_a_review_that_cannot_be_recorded_says_why_and_records_nothing(
    client: TestClient, database: Database, manager: dict[str, str],
    body: dict[str, object], status: int, code: str,
) -> None:  # fmt: skip
    answer = client.post("/api/review", json=body, headers=manager)
    assert answer.status_code == status, answer.text
    assert_error_body(answer.json(), status, code)
    assert rows(database, "SELECT count(*) FROM policy_reviews") == [(0,)]


def test_without_a_policy_in_force_there_is_no_review(
    client: TestClient, database: Database
) -> None:
    answer = client.get("/api/review", headers=signed_in(database, "manager"))
    assert answer.status_code == 404
    assert_error_body(answer.json(), 404, "not_found")
