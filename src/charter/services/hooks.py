"""Helpdesk webhooks: a genuine, fresh, new call queues a sync of the tickets it names.

The call is checked in this order, and refused at the first failure with nothing
stored: a secret is configured for the helpdesk (``ConfigError`` naming the setting);
the signature (or Freshdesk's shared secret) is right and its timestamp inside
``CHARTER_WEBHOOK_WINDOW`` (``AuthError``, see :mod:`charter.sync.webhook`); the body
is a JSON object naming ticket ids (``InvalidInput``); the signature was not seen
before (``AuthError``: a replay). The signature is remembered and the tickets are
queued in one transaction, so a refused call leaves no trace. No helpdesk is called
here: the worker syncs the queue (:func:`charter.services.sync.run_due_syncs`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from charter import clock
from charter.config import Settings
from charter.errors import AuthError, ConfigError, UsageError
from charter.store import Database
from charter.store import sync_requests as requests
from charter.sync import webhook

ZENDESK, FRESHDESK = "zendesk", "freshdesk"
Verify = Callable[[str, Mapping[str, str], bytes, dt.datetime, int], str | None]


@dataclass(frozen=True)
class Hook:
    """How one helpdesk's calls are checked and read."""

    name: str
    setting: str
    verify: Verify
    ticket_ids: Callable[[bytes], list[str]]


HOOKS = {
    ZENDESK: Hook("Zendesk", "CHARTER_ZENDESK_WEBHOOK_SECRET", webhook.verify_zendesk,
                  webhook.zendesk_ticket_ids),
    FRESHDESK: Hook("Freshdesk", "CHARTER_FRESHDESK_WEBHOOK_SECRET", webhook.verify_freshdesk,
                    webhook.freshdesk_ticket_ids),
}  # fmt: skip


@dataclass(frozen=True)
class Queued:
    """The tickets a call queued for the worker to sync."""

    source: str
    ticket_ids: list[str]


def hook_secret(settings: Settings, source: str) -> str:
    """The secret ``source``'s calls are checked with; ``ConfigError`` naming the
    setting when there is none (every call is then refused)."""
    hook = _hook(source)
    secret = settings.zendesk_webhook_secret if source == ZENDESK else (
        settings.freshdesk_webhook_secret)  # fmt: skip
    if not secret:
        raise ConfigError(
            f"{hook.name} webhooks are refused: {hook.setting} is not set; set it to the "
            "webhook's secret (see docs/sync.md, Webhooks)"
        )
    return secret


def receive_hook(
    database: Database,
    settings: Settings,
    source: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: dt.datetime | None = None,
) -> Queued:
    """Check a ``source`` webhook call (``headers`` with lower-case names, the raw
    ``body``) and queue a sync of the tickets it names."""
    hook, secret = _hook(source), hook_secret(settings, source)
    moment = clock.utc_moment(now)
    window = settings.webhook_window
    signature = hook.verify(secret, headers, body, moment, window)
    ids = hook.ticket_ids(body)
    with database.transaction() as session:
        if signature is not None:
            # A timestamp may lead the clock by a window too, so a signature can come
            # back up to two windows after it was first seen.
            requests.prune_signatures(session, moment - dt.timedelta(seconds=2 * window))
            if not requests.remember_signature(session, source, signature, moment):
                raise AuthError(
                    f"this {hook.name} call was accepted before (same signature): a replay "
                    "is refused"
                )
        requests.queue(session, source, ids, moment)
    return Queued(source, ids)


def _hook(source: str) -> Hook:
    if source not in HOOKS:
        raise UsageError(f"no webhook for {source!r}; choose one of {', '.join(HOOKS)}")
    return HOOKS[source]
