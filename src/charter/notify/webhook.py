"""Signed outgoing webhooks in the Standard Webhooks form.

Each request is a ``POST`` of a JSON body with three headers: ``webhook-id`` (the
message's id, the same on every try, so a receiver can drop a repeat),
``webhook-timestamp`` (seconds since the epoch when this try was sent) and
``webhook-signature`` (``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``
under the endpoint's secret). A receiver verifies them with any Standard Webhooks
library, or by hand as ``docs/notifications.md`` shows.

Only ``http(s)`` endpoints are accepted; a redirect is not followed (it is a failure
that says where it pointed); an answer in the 2xx range is a delivery. ``408``, ``429``
and 5xx answers, time-outs and refused connections may pass on a later try (with the
receiver's ``Retry-After`` when it sends one); any other answer will not.

>>> endpoint = WebhookEndpoint(url="https://hooks.acme.example/charter",
...     secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
>>> at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
>>> headers = signed_headers(endpoint, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", at, b'{"test": 1}')
>>> headers["webhook-timestamp"], headers["webhook-signature"][:3]
('1772442000', 'v1,')
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import Message
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from standardwebhooks import Webhook

from charter import clock
from charter.notify.delivery import Delivery
from charter.notify.notice import Notice
from charter.policy.links import http_link_problem

USER_AGENT = "Charter-Webhooks/1"
RETRY_STATUSES = frozenset({408, 429})
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_SHOWN = 200  # characters of a receiver's answer kept in a failure's reason


class WebhookEndpoint(BaseModel):
    """Where signed webhooks go, and the secret they are signed with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(description="The receiver's `https://` (or `http://`) address.")
    secret: SecretStr = Field(
        description="The signing secret shared with the receiver, `whsec_` and base64 "
        "(at least 24 bytes), as Standard Webhooks writes it."
    )
    timeout: Annotated[float, Field(gt=0)] = Field(
        10, description="Seconds to wait for the receiver's answer before giving up."
    )

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        problem = http_link_problem(value)
        if problem is not None:
            raise ValueError(f"webhook url: {problem}; write https://… or http://…")
        return value

    @field_validator("secret")
    @classmethod
    def _usable_secret(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value().removeprefix("whsec_")
        if not _BASE64.fullmatch(raw):
            raise ValueError(
                "webhook secret is not base64 after its whsec_ prefix; generate one with "
                "python -c 'import base64, secrets; "
                'print("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())\''
            )
        key = base64.b64decode(raw + "==")  # as the verifier reads it: padding optional
        if len(key) < 24:
            raise ValueError(f"webhook secret holds {len(key)} bytes; use at least 24")
        return value


def signed_headers(
    endpoint: WebhookEndpoint, message_id: str, at: dt.datetime, body: bytes
) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body`` sent as ``message_id`` at ``at``."""
    signer = Webhook(endpoint.secret.get_secret_value())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signer.sign(message_id, at, body),
    }


def payload(notice: Notice, at: dt.datetime, kind: str = "escalation.fired") -> bytes:
    """The JSON body for ``notice``: ``type``, ``timestamp`` and ``data``, as Standard
    Webhooks suggests; ``data`` holds the notice's figures and the same words the
    e-mail shows."""
    data: dict[str, Any] = {
        "ticket": {"id": notice.ticket_id, "subject": notice.subject, "url": notice.ticket_href},
        "rule": notice.rule_id,
        "metric": notice.metric,
        "target": {"within": str(notice.target.within), "clock": notice.target.clock},
        "promise": notice.promise,
        "clause": {"id": notice.clause_id, "url": notice.clause_url},
        "level": notice.level,
        "threshold": notice.threshold,
        "due_at": notice.due_at.astimezone(dt.UTC).isoformat(),
        "left_seconds": notice.left_seconds,
        "standing": notice.standing,
        "headline": notice.headline,
    }
    body = {"type": kind, "timestamp": at.astimezone(dt.UTC).isoformat(), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def send_webhook(
    endpoint: WebhookEndpoint, message_id: str, body: bytes, at: dt.datetime | None = None
) -> Delivery:
    """POST ``body`` signed as ``message_id`` (at ``at``, default now); what happened,
    never an exception for a failure on the way."""
    sent_at = at if at is not None else clock.now()
    headers = {
        **signed_headers(endpoint, message_id, sent_at, body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
    request = urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=endpoint.timeout) as response:
            return Delivery.ok(f"HTTP {response.status} from {_host(endpoint)}", response.status)
    except urllib.error.HTTPError as error:
        return _answered(endpoint, error)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Delivery.failed(f"could not reach {_host(endpoint)}: {reason}", retry=True)


def _answered(endpoint: WebhookEndpoint, error: urllib.error.HTTPError) -> Delivery:
    status = error.code
    text = _excerpt(error)
    where = error.headers.get("location") if 300 <= status < 400 else None
    reason = f"HTTP {status} from {_host(endpoint)}" + (
        f": redirects to {where} (not followed; give the final address)" if where else ""
    ) + (f": {text}" if text else "")  # fmt: skip
    retry = status in RETRY_STATUSES or status >= 500
    return Delivery.failed(
        reason, status=status, retry=retry, retry_after=_retry_after(error.headers)
    )


def _excerpt(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(_SHOWN + 1)
    except OSError:
        return ""
    text = " ".join(raw.decode("utf-8", "replace").split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _retry_after(headers: Message | Mapping[str, str]) -> float | None:
    """Seconds from a ``Retry-After`` header given in seconds (an HTTP date is ignored)."""
    value = headers.get("retry-after")
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def _host(endpoint: WebhookEndpoint) -> str:
    return endpoint.url.split("//", 1)[-1].split("/", 1)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the receiver's answer, not a place to resend a signed body to."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
