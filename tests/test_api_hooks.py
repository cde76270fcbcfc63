"""POST /api/hooks/zendesk and /api/hooks/freshdesk: a genuine, fresh, new webhook call
queues a sync of its tickets (202); anything else is refused naming what is wrong, and
leaves nothing stored.

The clock is fixed at 2026-03-02 09:01:00 UTC; the window is the default 300 s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.store import Database
from charter.web.app import create_app
from support.api import assert_error_body
from support.hooks import (
    FRESHDESK_SECRET,
    ZENDESK_SECRET,
    freshdesk_signed_headers,
    freshdesk_simple,
    queued,
    seen_signatures,
    zendesk_event,
    zendesk_headers,
    zendesk_trigger,
)
from support.web import make_settings

NOW = dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC)
ZENDESK, FRESHDESK = "/api/hooks/zendesk", "/api/hooks/freshdesk"
STAMP = "2026-03-02T09:00:00Z"  # 60 s before NOW: inside the 300-second window


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def hook_client(database_url: str, database: Database, **overrides: Any) -> TestClient:
    values: dict[str, Any] = {
        "zendesk_webhook_secret": ZENDESK_SECRET,
        "freshdesk_webhook_secret": FRESHDESK_SECRET,
        **overrides,
    }
    return TestClient(create_app(make_settings(database_url, **values), database))


@pytest.fixture
def hooks(database_url: str, database: Database, frozen: None) -> Iterator[TestClient]:
    with hook_client(database_url, database) as client:
        yield client


def test_zendesk_trigger_call_signed_with_the_secret_is_accepted_and_queues_its_ticket(
    hooks: TestClient, database: Database
) -> None:
    body = zendesk_trigger("101")
    response = hooks.post(ZENDESK, content=body, headers=zendesk_headers(STAMP, body))
    assert response.status_code == 202, response.text
    assert response.json() == {"helpdesk": "zendesk", "queued": ["101"]}
    assert queued(database) == {("zendesk", "101"): NOW}


def test_zendesk_signature_is_base64_hmac_sha256_of_timestamp_then_body(
    database_url: str, database: Database, frozen: None
) -> None:
    """The signature Zendesk would send, computed outside Python: printf '%s'
    '2026-03-02T09:00:00Z{"ticket": {"id": 101}}' | openssl dgst -sha256 -hmac s3cret
    -binary | base64 gives TD2D838MvDlulmLa5ASZX/fVyZZ4JD8qGmqpIT6wTTo=."""
    body = b'{"ticket": {"id": 101}}'
    headers = {"X-Zendesk-Webhook-Signature": "TD2D838MvDlulmLa5ASZX/fVyZZ4JD8qGmqpIT6wTTo=",
               "X-Zendesk-Webhook-Signature-Timestamp": STAMP}  # fmt: skip
    with hook_client(database_url, database, zendesk_webhook_secret="s3cret") as client:
        response = client.post(ZENDESK, content=body, headers=headers)
    assert response.status_code == 202, response.text
    assert queued(database) == {("zendesk", "101"): NOW}


def test_zendesk_ticket_event_webhook_queues_the_ticket_in_its_detail(
    hooks: TestClient, database: Database
) -> None:
    body = zendesk_event("35436")
    response = hooks.post(ZENDESK, content=body, headers=zendesk_headers(STAMP, body))
    assert response.status_code == 202, response.text
    assert list(queued(database)) == [("zendesk", "35436")]


def test_freshdesk_rule_with_the_shared_secret_header_queues_its_ticket(
    hooks: TestClient, database: Database
) -> None:
    headers = {"X-Charter-Webhook-Secret": FRESHDESK_SECRET, "Content-Type": "application/json"}
    response = hooks.post(FRESHDESK, content=freshdesk_simple(7), headers=headers)
    assert response.status_code == 202, response.text
    assert response.json() == {"helpdesk": "freshdesk", "queued": ["7"]}
    assert queued(database) == {("freshdesk", "7"): NOW}


def test_freshdesk_call_signed_like_zendesks_is_accepted(
    hooks: TestClient, database: Database
) -> None:
    body = freshdesk_simple("8")
    response = hooks.post(FRESHDESK, content=body, headers=freshdesk_signed_headers(STAMP, body))
    assert response.status_code == 202, response.text
    assert list(queued(database)) == [("freshdesk", "8")]


@pytest.mark.parametrize(
    "stamp, accepted",
    [
        ("2026-03-02T08:56:00Z", True),  # 09:01:00 - 08:56:00 = 300 s: on the edge, inside
        ("2026-03-02T08:55:59Z", False),  # 301 s old
        ("2026-03-02T09:06:00Z", True),  # 300 s ahead (a sender's clock running fast)
        ("2026-03-02T09:06:01Z", False),  # 301 s ahead
        ("1772442000", True),  # epoch seconds: 2026-03-02 09:00:00 UTC, 60 s old
    ],
)
def test_zendesk_call_whose_timestamp_is_outside_the_window_is_refused(
    hooks: TestClient, database: Database, stamp: str, accepted: bool
) -> None:
    body = zendesk_trigger(101)
    response = hooks.post(ZENDESK, content=body, headers=zendesk_headers(stamp, body))
    if accepted:
        assert response.status_code == 202, response.text
        return
    assert response.status_code == 401
    assert_error_body(response.json(), 401, "unauthenticated")
    message = response.json()["error"]["message"]
    assert "301 s from now, outside the 300-second window (CHARTER_WEBHOOK_WINDOW)" in message
    assert queued(database) == {} and seen_signatures(database) == 0


def refusals() -> list[Any]:
    good = zendesk_trigger(101)
    wrong = zendesk_headers(STAMP, good, secret="not-the-secret")
    unsigned = {"Content-Type": "application/json"}
    bad_json = b'{"ticket": {"id": 101}'
    no_ticket = b'{"ticket": {"status": "open"}}'
    user_event = zendesk_event("5", kind="zen:event-type:user.created")
    not_an_id = zendesk_trigger("abc")
    superscript = zendesk_trigger("²")  # a digit to str.isdigit, not to int(): once a 500
    return [
        pytest.param(ZENDESK, good, wrong, 401, "X-Zendesk-Webhook-Signature does not match",
                     id="wrong-signature"),
        pytest.param(ZENDESK, good, unsigned, 401, "no X-Zendesk-Webhook-Signature and no "
                     "X-Zendesk-Webhook-Signature-Timestamp", id="unsigned"),
        pytest.param(ZENDESK, bad_json, zendesk_headers(STAMP, bad_json), 422,
                     "the body is not JSON: Expecting ',' delimiter at line 1, column 23",
                     id="bad-json"),
        pytest.param(ZENDESK, no_ticket, zendesk_headers(STAMP, no_ticket), 422,
                     "the body names no ticket: ticket.id is missing", id="no-ticket"),
        pytest.param(ZENDESK, user_event, zendesk_headers(STAMP, user_event), 422,
                     "'zen:event-type:user.created' is not a ticket event", id="user-event"),
        pytest.param(ZENDESK, not_an_id, zendesk_headers(STAMP, not_an_id), 422,
                     "ticket.id 'abc' is not a ticket id", id="not-an-id"),
        pytest.param(ZENDESK, superscript, zendesk_headers(STAMP, superscript), 422,
                     "ticket.id '²' is not a ticket id", id="superscript-digit"),
        pytest.param(FRESHDESK, freshdesk_simple(7), {"X-Charter-Webhook-Secret": "guess"}, 401,
                     "X-Charter-Webhook-Secret does not match CHARTER_FRESHDESK_WEBHOOK_SECRET",
                     id="freshdesk-wrong-secret"),
        pytest.param(FRESHDESK, freshdesk_simple(7), unsigned, 401,
                     "neither X-Charter-Webhook-Secret nor X-Charter-Webhook-Signature",
                     id="freshdesk-unsigned"),
    ]  # fmt: skip


@pytest.mark.parametrize("path, body, headers, status, says", refusals())
def test_a_refused_call_names_what_is_wrong_and_stores_nothing(
    hooks: TestClient, database: Database, path: str, body: bytes, headers: dict[str, str],
    status: int, says: str,
) -> None:  # fmt: skip
    response = hooks.post(path, content=body, headers=headers)
    assert response.status_code == status, response.text
    assert_error_body(response.json(), status, response.json()["error"]["code"])
    assert says in response.json()["error"]["message"]
    assert queued(database) == {} and seen_signatures(database) == 0


def test_a_replayed_zendesk_call_is_refused_and_queues_nothing_more(
    database_url: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = zendesk_trigger(101)
    headers = zendesk_headers(STAMP, body)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    with hook_client(database_url, database) as client:
        assert client.post(ZENDESK, content=body, headers=headers).status_code == 202
        # The same call again 2 minutes later: its timestamp (09:00) is 180 s old, inside
        # the window, so only the remembered signature tells it is a replay.
        monkeypatch.setattr(clock, "now", lambda: NOW + dt.timedelta(minutes=2))
        response = client.post(ZENDESK, content=body, headers=headers)
    assert response.status_code == 401
    assert "accepted before (same signature): a replay" in response.json()["error"]["message"]
    assert queued(database) == {("zendesk", "101"): NOW}  # not asked for again at 09:03


def test_signatures_older_than_two_windows_are_forgotten(
    database_url: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signature seen at 09:01 may come back while its timestamp is in the window; a
    timestamp may lead the clock by 300 s, so it is kept 600 s. A call at 09:11:01
    (601 s later) prunes it; one at 09:10:59 (599 s) does not."""
    first = zendesk_trigger(101)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    with hook_client(database_url, database) as client:
        client.post(ZENDESK, content=first, headers=zendesk_headers(STAMP, first))
        for moment, kept in (("09:10:59", 2), ("09:11:01", 2)):
            at = dt.datetime.fromisoformat(f"2026-03-02T{moment}+00:00")
            monkeypatch.setattr(clock, "now", lambda at=at: at)
            body = zendesk_trigger(102)
            stamp = at.strftime("%Y-%m-%dT%H:%M:%SZ")
            assert client.post(ZENDESK, content=body,
                               headers=zendesk_headers(stamp, body)).status_code == 202  # fmt: skip
            assert seen_signatures(database) == kept
    # 09:10:59: the first signature (599 s old) and the new one -> 2; 09:11:01: the first
    # is pruned (601 s old), the 09:10:59 one kept, the new one added -> 2.


def test_a_burst_of_calls_for_one_ticket_queues_it_once(
    database_url: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    with hook_client(database_url, database) as client:
        for second in range(5):  # five changes to ticket 101, 09:00:00 to 09:00:04
            at = NOW + dt.timedelta(seconds=second)
            monkeypatch.setattr(clock, "now", lambda at=at: at)
            body = zendesk_trigger(101)
            stamp = f"2026-03-02T09:00:0{second}Z"
            response = client.post(ZENDESK, content=body, headers=zendesk_headers(stamp, body))
            assert response.status_code == 202, response.text
    # One request, asked for last at the fifth call (09:01:04).
    assert queued(database) == {("zendesk", "101"): NOW + dt.timedelta(seconds=4)}
    assert seen_signatures(database) == 5


def test_a_body_over_the_webhook_cap_is_refused_413_naming_the_setting(
    database_url: str, database: Database, frozen: None
) -> None:
    body = zendesk_trigger(101)  # {"ticket": {"id": 101, "status": "open"}}: 41 bytes
    assert len(body) == 41
    with hook_client(database_url, database, webhook_max_bytes=40) as client:
        response = client.post(ZENDESK, content=body, headers=zendesk_headers(STAMP, body))
        chunked = client.post(ZENDESK, content=iter([body[:20], body[20:]]),
                              headers=zendesk_headers(STAMP, body))  # fmt: skip
    for refused in (response, chunked):
        assert refused.status_code == 413
        assert_error_body(refused.json(), 413, "too_large")
        assert "40 bytes" in refused.json()["error"]["message"]
        assert "CHARTER_WEBHOOK_MAX_BYTES" in refused.json()["error"]["message"]
    assert queued(database) == {}


@pytest.mark.parametrize(
    "path, setting", [(ZENDESK, "CHARTER_ZENDESK_WEBHOOK_SECRET"),
                      (FRESHDESK, "CHARTER_FRESHDESK_WEBHOOK_SECRET")],
)  # fmt: skip
def test_a_helpdesk_without_a_webhook_secret_is_refused_naming_the_setting(
    database_url: str, database: Database, frozen: None, path: str, setting: str
) -> None:
    body = zendesk_trigger(101)
    with TestClient(create_app(make_settings(database_url), database)) as client:
        response = client.post(path, content=body, headers=zendesk_headers(STAMP, body))
    assert response.status_code == 503
    assert_error_body(response.json(), 503, "not_configured")
    assert f"{setting} is not set" in response.json()["error"]["message"]
    assert queued(database) == {}
