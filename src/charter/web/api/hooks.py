"""``POST /api/hooks/zendesk`` and ``POST /api/hooks/freshdesk``: a helpdesk's
ticket-changed webhook queues a sync of the tickets it names, answered 202 at once.

No sign-in: the call proves itself with its signature (Zendesk's, or the shared secret
of a Freshdesk automation rule), checked by :mod:`charter.services.hooks`. A helpdesk
without a secret configured is refused before a byte of the body is read; the body is
read up to ``CHARTER_WEBHOOK_MAX_BYTES`` and refused with 413 past it. The worker syncs
the queue (docs/sync.md, Webhooks).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from charter.config import Settings
from charter.services.hooks import FRESHDESK, ZENDESK, hook_secret, receive_hook
from charter.store import Database
from charter.web.deps import DatabaseDep, SettingsDep
from charter.web.limits import BodyTooLarge

router = APIRouter(prefix="/hooks", tags=["hooks"])
LIMIT_SETTING = "CHARTER_WEBHOOK_MAX_BYTES"
RESPONSES: dict[int | str, dict[str, str]] = {
    401: {"description": "Unsigned, wrongly signed, outside the time window, or a replay."},
    413: {"description": "The body is larger than CHARTER_WEBHOOK_MAX_BYTES."},
    422: {"description": "The body is not a JSON object naming ticket ids."},
    503: {"description": "No webhook secret is set for this helpdesk; the message names it."},
}


class HookAccepted(BaseModel):
    """The tickets queued for the worker to sync."""

    helpdesk: str
    queued: list[str]


@router.post("/zendesk", status_code=status.HTTP_202_ACCEPTED, responses=RESPONSES)
async def zendesk_hook(
    request: Request, database: DatabaseDep, settings: SettingsDep
) -> HookAccepted:
    """Zendesk's webhook (a trigger's ``{"ticket": {"id": ...}}`` or a ticket event's
    ``detail.id``), signed with ``X-Zendesk-Webhook-Signature``."""
    return await _receive(request, database, settings, ZENDESK)


@router.post("/freshdesk", status_code=status.HTTP_202_ACCEPTED, responses=RESPONSES)
async def freshdesk_hook(
    request: Request, database: DatabaseDep, settings: SettingsDep
) -> HookAccepted:
    """A Freshdesk automation rule's webhook (``freshdesk_webhook.ticket_id``), carrying
    ``X-Charter-Webhook-Secret`` or a signature."""
    return await _receive(request, database, settings, FRESHDESK)


async def _receive(
    request: Request, database: Database, settings: Settings, source: str
) -> HookAccepted:
    hook_secret(settings, source)  # refused unconfigured before the body is read
    body = await _body(request, settings.webhook_max_bytes)
    headers = {name.lower(): value for name, value in request.headers.items()}
    queued = await run_in_threadpool(receive_hook, database, settings, source, headers, body)
    return HookAccepted(helpdesk=queued.source, queued=queued.ticket_ids)


async def _body(request: Request, limit: int) -> bytes:
    """The raw body, refused once it passes ``limit`` bytes (or declares more)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit, LIMIT_SETTING)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit, LIMIT_SETTING)
        chunks.append(chunk)
    return b"".join(chunks)
