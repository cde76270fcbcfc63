"""Helpdesk webhook calls for tests: bodies in the shapes Zendesk and Freshdesk send,
their headers signed as Zendesk documents (computed here with the standard library,
not with Charter's code), and the queue of ticket syncs they leave."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from sqlalchemy import select

from charter.store import Database
from charter.store.models import SyncRequest, WebhookSignature

ZENDESK_SECRET = "dGhpcyBpcyBhIHplbmRlc2sgc2lnbmluZyBzZWNyZXQ"
FRESHDESK_SECRET = "freshdesk-rule-secret-0123456789"


def zendesk_trigger(ticket_id: object) -> bytes:
    """A trigger's JSON body as an admin writes it: ``{"ticket": {"id": "{{ticket.id}}"}}``."""
    return json.dumps({"ticket": {"id": ticket_id, "status": "open"}}).encode()


def zendesk_event(ticket_id: str, kind: str = "zen:event-type:ticket.status_changed") -> bytes:
    """A ticket event webhook's body (Zendesk's event shape: the ticket in ``detail``)."""
    return json.dumps({
        "account_id": 123456, "id": "cbe4028c-7239-495d-b020-f22348516046",
        "time": "2026-03-02T09:00:00Z", "type": kind, "zendesk_event_version": "2022-11-06",
        "subject": f"zen:ticket:{ticket_id}",
        "detail": {"id": ticket_id, "status": "OPEN", "priority": "LOW"},
        "event": {"current": "OPEN", "previous": "NEW"},
    }).encode()  # fmt: skip


def freshdesk_simple(ticket_id: object) -> bytes:
    """An automation rule's "simple" content: the placeholders under ``freshdesk_webhook``."""
    return json.dumps({"freshdesk_webhook": {"ticket_id": ticket_id,
                                             "ticket_status": "Open"}}).encode()  # fmt: skip


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, timestamp + body)), as Zendesk documents."""
    digest = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def zendesk_headers(timestamp: str, body: bytes, secret: str = ZENDESK_SECRET) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Zendesk-Webhook-Signature": signature(secret, timestamp, body),
        "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
    }


def freshdesk_signed_headers(timestamp: str, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Charter-Webhook-Signature": signature(FRESHDESK_SECRET, timestamp, body),
        "X-Charter-Webhook-Timestamp": timestamp,
    }


def queued(database: Database) -> dict[tuple[str, str], Any]:
    """The queued syncs: (helpdesk, ticket id) -> when last asked for."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(SyncRequest.source, SyncRequest.source_id, SyncRequest.requested_at)
        ).all()
    return {(row[0], row[1]): row[2] for row in rows}


def seen_signatures(database: Database) -> int:
    with database.engine.connect() as connection:
        return len(connection.execute(select(WebhookSignature.signature)).all())
