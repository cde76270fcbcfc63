"""Signed webhooks in the Standard Webhooks form, POSTed to a loopback HTTP server that
checks them with the standardwebhooks library's own verifier."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pydantic import ValidationError
from standardwebhooks import Webhook, WebhookVerificationError

from charter import clock
from charter.notify import WebhookEndpoint, payload, send_webhook, signed_headers
from support.notices import make_notice
from support.smtp import HOST, free_port

SECRET = "whsec_" + base64.b64encode(b"charter-test-signing-key-32-byte").decode()
MESSAGE_ID = "msg_4211_first_response_1"


@dataclass
class Receiver:
    url: str
    answer: tuple[int, dict[str, str]] = (204, {})
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@contextmanager
def receiver(status: int = 204, headers: dict[str, str] | None = None) -> Iterator[Receiver]:
    """A loopback HTTP server that records each POST and answers ``status``."""
    box = Receiver(f"http://{HOST}:0/hooks/charter", (status, headers or {}))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
            body = self.rfile.read(int(self.headers["content-length"]))
            box.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            code, extra = box.answer
            self.send_response(code)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("content-length", "17")
            self.end_headers()
            self.wfile.write(b"receiver answered")

        def log_message(self, *args: object) -> None:  # quiet
            pass

    server = ThreadingHTTPServer((HOST, 0), Handler)
    box.url = f"http://{HOST}:{server.server_address[1]}/hooks/charter"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()


def endpoint(url: str) -> WebhookEndpoint:
    return WebhookEndpoint(url=url, secret=SECRET, timeout=5)


def test_escalation_for_ticket_4211_verifies_with_the_standard_webhooks_verifier() -> None:
    body = payload(make_notice(), clock.now())
    with receiver() as box:
        result = send_webhook(endpoint(box.url), MESSAGE_ID, body)
    assert result.delivered, result.reason
    assert result.status == 204
    [(headers, received)] = box.requests
    assert headers["webhook-id"] == MESSAGE_ID
    assert headers["content-type"] == "application/json"
    data = Webhook(SECRET).verify(received, headers)
    assert data["type"] == "escalation.fired"
    assert data["data"]["ticket"] == {
        "id": "4211",
        "subject": "Parcel lost in Zürich",
        "url": "https://acme.zendesk.example/agent/tickets/4211",
    }
    assert data["data"]["clause"]["id"] == "service_levels.rules.sl-email-high"
    assert data["data"]["target"] == {"within": "4h", "clock": "uk-support"}
    assert data["data"]["standing"] == "1 h 30 min left"
    assert data["data"]["due_at"] == "2026-03-02T13:00:00+00:00"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body: body.replace(b'"4211"', b'"4212"'),  # another ticket
        lambda body: body + b" ",  # one byte more
    ],
)
def test_a_tampered_body_is_refused_by_the_verifier(tamper: object) -> None:
    body = payload(make_notice(), clock.now())
    with receiver() as box:
        send_webhook(endpoint(box.url), MESSAGE_ID, body)
    [(headers, received)] = box.requests
    assert callable(tamper)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(SECRET).verify(tamper(received), headers)


def test_a_signature_under_another_secret_is_refused() -> None:
    other = "whsec_" + base64.b64encode(b"another-secret-of-thirty-two-by!").decode()
    body = payload(make_notice(), clock.now())
    headers = signed_headers(endpoint("https://hooks.acme.example/"), MESSAGE_ID, clock.now(), body)
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(body, headers)


def test_the_signature_is_hmac_sha256_of_id_timestamp_and_body_worked_by_hand() -> None:
    import hashlib
    import hmac

    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 1,772,442,000 s after the epoch
    headers = signed_headers(endpoint("https://hooks.acme.example/"), "msg_1", at, b'{"a":1}')
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    digest = hmac.new(key, b'msg_1.1772442000.{"a":1}', hashlib.sha256).digest()
    assert headers == {
        "webhook-id": "msg_1",
        "webhook-timestamp": "1772442000",
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


@pytest.mark.parametrize(
    ("status", "headers", "retry", "retry_after"),
    [
        (503, {"Retry-After": "120"}, True, 120.0),  # the receiver asks for two minutes
        (429, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}, True, None),  # a date: ignored
        (500, {}, True, None),
        (408, {}, True, None),
        (404, {}, False, None),  # the address is wrong: no retry fixes it
        (401, {}, False, None),
    ],
)
def test_a_refusing_receiver_is_a_failure_saying_its_status(
    status: int, headers: dict[str, str], retry: bool, retry_after: float | None
) -> None:
    with receiver(status, headers) as box:
        result = send_webhook(endpoint(box.url), MESSAGE_ID, b"{}")
    assert not result.delivered
    assert result.status == status
    assert result.retry is retry
    assert result.retry_after == retry_after
    assert result.reason == f"HTTP {status} from {box.url.split('/')[2]}: receiver answered"


@pytest.mark.parametrize("status", [302, 307, 308])
def test_a_redirect_is_not_followed_and_says_where_it_pointed(status: int) -> None:
    with receiver() as box:
        moved = box.url + "/moved"  # urllib on its own would resend there (as a GET for 302)
        box.answer = (status, {"Location": moved})
        result = send_webhook(endpoint(box.url), MESSAGE_ID, b"{}")
    assert not result.delivered and not result.retry
    assert result.status == status
    assert f"redirects to {moved} (not followed" in result.reason
    assert len(box.requests) == 1


def test_a_receiver_that_is_down_is_a_failure_a_later_try_may_pass() -> None:
    result = send_webhook(endpoint(f"http://{HOST}:{free_port()}/hook"), MESSAGE_ID, b"{}")
    assert not result.delivered and result.retry and result.status is None
    assert result.reason.startswith(f"could not reach {HOST}:")
    assert "refused" in result.reason.lower()


def test_a_receiver_slower_than_the_timeout_is_a_failure_a_later_try_may_pass() -> None:
    import socket

    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind((HOST, 0))
        silent.listen()
        url = f"http://{HOST}:{silent.getsockname()[1]}/hook"
        slow = WebhookEndpoint(url=url, secret=SECRET, timeout=0.3)
        result = send_webhook(slow, MESSAGE_ID, b"{}")
    assert not result.delivered and result.retry
    assert "timed out" in result.reason


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"url": "javascript:alert(1)", "secret": SECRET}, "is not an http\\(s\\) web address"),
        ({"url": "file:///etc/passwd", "secret": SECRET}, "is not an http\\(s\\) web address"),
        ({"url": "https://h.example/", "secret": "whsec_not base64!"}, "not base64"),
        ({"url": "https://h.example/", "secret": "whsec_c2hvcnQ="}, "5 bytes; use at least 24"),
    ],
)  # fmt: skip
def test_an_unusable_endpoint_is_refused_saying_why(values: dict[str, str], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        WebhookEndpoint.model_validate(values)


def test_a_ticket_link_that_is_not_http_is_left_out_of_the_payload() -> None:
    body = payload(make_notice(ticket_url="javascript:alert(1)"), clock.now())
    assert json.loads(body)["data"]["ticket"]["url"] is None


def test_the_payload_is_json_keeping_non_ascii_text_as_written() -> None:
    body = payload(make_notice(), dt.datetime(2026, 3, 2, 11, 30, tzinfo=dt.UTC))
    assert "Zürich".encode() in body
    assert json.loads(body)["timestamp"] == "2026-03-02T11:30:00+00:00"
