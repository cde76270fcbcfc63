"""Live helpdesk connectors: read what changed in a helpdesk's API, page by page.

Each reader yields :class:`Page` values in the shapes the helpdesk's API documents,
so that the file importers (``charter.tickets.zendesk``, ``charter.tickets.
freshdesk``) read them as they read an exported page. Requests are retried
(:mod:`charter.sync._http`): a 429 waits its ``Retry-After``, a 5xx answer or a lost
connection backs off exponentially, a bounded number of times; refused credentials
are an error naming the settings at once. Storing the pages and their cursors is the
service's work (``charter.services.sync``). :func:`apply_action` carries out an
escalation level's action in the helpdesk (:mod:`charter.sync.actions`).

>>> access = ZendeskAccess.of("acme", "ada@example.com", "t0ken", None)
>>> access.base_url
'https://acme.zendesk.com'
>>> ZendeskAccess.of("acme", None, None, None)
Traceback (most recent call last):
charter.errors.ConfigError: Zendesk sync needs CHARTER_ZENDESK_EMAIL, CHARTER_ZENDESK_API_TOKEN; ...
>>> FreshdeskAccess.of("acme", "k3y", None).base_url
'https://acme.freshdesk.com'
"""

from __future__ import annotations

from charter.sync.actions import apply_action, step_up
from charter.sync.freshdesk import FreshdeskAccess, FreshdeskReader
from charter.sync.page import Page, Reader
from charter.sync.zendesk import ZendeskAccess, ZendeskReader

__all__ = ["FreshdeskAccess", "FreshdeskReader", "Page", "Reader", "ZendeskAccess",
           "ZendeskReader", "apply_action", "step_up"]  # fmt: skip
