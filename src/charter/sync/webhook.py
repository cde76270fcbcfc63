"""Inbound helpdesk webhooks: is a call genuine, fresh and new, and which tickets it names.

Zendesk signs each webhook call as its documentation says: the header
``X-Zendesk-Webhook-Signature`` is ``base64(HMAC-SHA256(secret, timestamp + body))``,
where ``timestamp`` is the header ``X-Zendesk-Webhook-Signature-Timestamp``
(``2026-03-02T09:00:00Z``) and ``body`` the raw bytes. A call whose timestamp is more
than ``window`` seconds from now, either way, is refused; so is a wrong signature
(compared in constant time). Remembering signatures to refuse a replay inside the
window is the service's work (the store keeps them).

Freshdesk's automation rules sign nothing. Its calls carry either the same signature
in ``X-Charter-Webhook-Signature`` and ``X-Charter-Webhook-Timestamp`` (a relay or
app that can compute it), or the shared secret itself in ``X-Charter-Webhook-Secret``,
a custom header the rule sets (docs/sync.md says why that is sound over HTTPS).

>>> body = b'{"ticket": {"id": 101}}'
>>> signature = sign("s3cret", "2026-03-02T09:00:00Z", body)
>>> signature
'TD2D838MvDlulmLa5ASZX/fVyZZ4JD8qGmqpIT6wTTo='
>>> import datetime as dt
>>> now = dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC)
>>> headers = {ZENDESK_SIGNATURE.lower(): signature,
...            ZENDESK_TIMESTAMP.lower(): "2026-03-02T09:00:00Z"}
>>> verify_zendesk("s3cret", headers, body, now, 300) == signature
True
>>> zendesk_ticket_ids(body)
['101']
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from charter.errors import AuthError, InvalidInput
from charter.excerpt import excerpt

ZENDESK_SIGNATURE = "X-Zendesk-Webhook-Signature"
ZENDESK_TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"
CHARTER_SIGNATURE = "X-Charter-Webhook-Signature"
CHARTER_TIMESTAMP = "X-Charter-Webhook-Timestamp"
CHARTER_SECRET = "X-Charter-Webhook-Secret"
TICKET_EVENT = "zen:event-type:ticket."  # Zendesk's ticket event types start so
MAX_IDS = 100  # ticket ids one call may name
Headers = Mapping[str, str]  # names in lower case, as ASGI gives them


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``base64(HMAC-SHA256(secret, timestamp + body))``, Zendesk's signature."""
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_zendesk(
    secret: str, headers: Headers, body: bytes, now: dt.datetime, window: int
) -> str:
    """The call's signature when it is Zendesk's and fresh; ``AuthError`` saying why not."""
    setting = "CHARTER_ZENDESK_WEBHOOK_SECRET"
    return _verify(secret, headers, body, now, window, (ZENDESK_SIGNATURE, ZENDESK_TIMESTAMP),
                   setting)  # fmt: skip


def verify_freshdesk(
    secret: str, headers: Headers, body: bytes, now: dt.datetime, window: int
) -> str | None:
    """The call's signature when it is signed, None when it carries the shared secret;
    ``AuthError`` when it is neither, or stale, or wrong."""
    setting = "CHARTER_FRESHDESK_WEBHOOK_SECRET"
    if CHARTER_SIGNATURE.lower() in headers:
        names = (CHARTER_SIGNATURE, CHARTER_TIMESTAMP)
        return _verify(secret, headers, body, now, window, names, setting)
    given = headers.get(CHARTER_SECRET.lower())
    if given is None:
        raise AuthError(
            f"the call has neither {CHARTER_SECRET} nor {CHARTER_SIGNATURE}; add the header "
            f"{CHARTER_SECRET} with the value of {setting} to the automation rule's webhook"
        )
    if not hmac.compare_digest(given.encode(), secret.encode()):
        raise AuthError(f"{CHARTER_SECRET} does not match {setting}")
    return None


def _verify(
    secret: str, headers: Headers, body: bytes, now: dt.datetime, window: int,
    names: tuple[str, str], setting: str,
) -> str:  # fmt: skip
    signature_name, timestamp_name = names
    signature = headers.get(signature_name.lower())
    timestamp = headers.get(timestamp_name.lower())
    missing = [n for n, v in ((signature_name, signature), (timestamp_name, timestamp)) if not v]
    if missing or signature is None or timestamp is None:
        raise AuthError(f"the call is not signed: no {' and no '.join(missing)} header")
    lag = abs((now - _instant(timestamp, timestamp_name)).total_seconds())
    if lag > window:
        raise AuthError(
            f"{timestamp_name} {excerpt(timestamp, 40)} is {lag:,.0f} s from now, outside the "
            f"{window}-second window (CHARTER_WEBHOOK_WINDOW): a late or replayed call, or "
            "a clock that is off"
        )
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise AuthError(
            f"{signature_name} does not match the body and timestamp; check that {setting} "
            "is the webhook's signing secret"
        )
    return signature


def _instant(value: str, name: str) -> dt.datetime:
    """An ISO 8601 instant (``2026-03-02T09:00:00Z``) or epoch seconds."""
    try:
        if value.strip().isdigit():
            return dt.datetime.fromtimestamp(int(value), dt.UTC)
        instant = dt.datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError):
        raise AuthError(
            f"{name} {excerpt(value, 40)} is not an instant (e.g. 2026-03-02T09:00:00Z)"
        ) from None
    if instant.tzinfo is None:
        raise AuthError(f"{name} {excerpt(value, 40)} has no UTC offset (e.g. ...T09:00:00Z)")
    return instant


def zendesk_ticket_ids(body: bytes) -> list[str]:
    """The ticket ids a Zendesk call names: a trigger's ``{"ticket": {"id": ...}}`` (or
    ``ticket_id``), or an event's ``detail.id`` when its ``type`` is a ticket event."""
    data = _json(body)
    if "detail" in data and "ticket" not in data and "ticket_id" not in data:
        kind = str(data.get("type") or "")
        if not kind.startswith(TICKET_EVENT):
            raise InvalidInput(
                f"type {excerpt(kind, 60)!r} is not a ticket event ({TICKET_EVENT}...); "
                "subscribe the webhook to ticket events only",
                [{"field": "type", "problem": "not a ticket event"}],
            )
        return _ids(_field(data, "detail", "id"), "detail.id")
    if "ticket" in data:
        return _ids(_field(data, "ticket", "id"), "ticket.id")
    return _ids(data.get("ticket_id"), "ticket_id")


def freshdesk_ticket_ids(body: bytes) -> list[str]:
    """The ticket ids a Freshdesk call names: ``freshdesk_webhook.ticket_id`` (the
    automation rule's simple content), or ``ticket_id`` or ``ticket.id`` (advanced)."""
    data = _json(body)
    if "freshdesk_webhook" in data:
        return _ids(_field(data, "freshdesk_webhook", "ticket_id"), "freshdesk_webhook.ticket_id")
    if "ticket" in data:
        return _ids(_field(data, "ticket", "id"), "ticket.id")
    return _ids(data.get("ticket_id"), "ticket_id")


def _json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise InvalidInput("the body is not UTF-8 text; send JSON",
                           [{"field": "body", "problem": "not UTF-8"}]) from None  # fmt: skip
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InvalidInput(
            f"the body is not JSON: {error.msg} at {where}",
            [{"field": "body", "problem": f"{error.msg} at {where}"}],
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput("the body is JSON but not an object; send e.g. "
                           '{"ticket": {"id": 101}}',
                           [{"field": "body", "problem": "not an object"}])  # fmt: skip
    return data


def _field(data: dict[str, Any], outer: str, inner: str) -> Any:
    holder = data.get(outer)
    return holder.get(inner) if isinstance(holder, dict) else None


def _ids(value: Any, where: str) -> list[str]:
    """``value`` (an id, or a list of ids) as ticket id strings."""
    values = value if isinstance(value, list) else [value]
    if value is None or not values:
        raise InvalidInput(f"the body names no ticket: {where} is missing",
                           [{"field": where, "problem": "missing"}])  # fmt: skip
    if len(values) > MAX_IDS:
        raise InvalidInput(f"{where} names {len(values)} tickets; at most {MAX_IDS} a call",
                           [{"field": where, "problem": "too many"}])  # fmt: skip
    ids = [_id(v) for v in values]
    bad = [v for v, i in zip(values, ids, strict=True) if i is None]
    if bad:
        shown = excerpt(str(bad[0]), 40)
        raise InvalidInput(f"{where} {shown!r} is not a ticket id (a whole number)",
                           [{"field": where, "problem": f"not a ticket id: {shown}"}])  # fmt: skip
    return [i for i in dict.fromkeys(ids) if i is not None]


def _id(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    text = str(value) if isinstance(value, int) else value.strip() if isinstance(value, str) else ""
    # ASCII digits only: "²" and "٣" are digits to str.isdigit, not ticket ids.
    ok = text.isascii() and text.isdigit() and len(text) <= 20 and int(text) > 0
    return str(int(text)) if ok else None
