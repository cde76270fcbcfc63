"""Live helpdesk connectors: read what changed in a helpdesk's API, page by page.

Each reader yields pages in the shape the helpdesk's API documents, so that the file
importers (``charter.tickets.zendesk``) read them as they read an exported page.
Requests are retried (:mod:`charter.sync._http`): a 429 waits its ``Retry-After``,
a 5xx answer or a lost connection backs off exponentially, a bounded number of
times; refused credentials are an error naming the settings at once. Storing the
pages and their cursors is the service's work (``charter.services.sync``).

>>> access = ZendeskAccess.of("acme", "ada@example.com", "t0ken", None)
>>> access.base_url
'https://acme.zendesk.com'
>>> ZendeskAccess.of("acme", None, None, None)
Traceback (most recent call last):
charter.errors.ConfigError: Zendesk sync needs CHARTER_ZENDESK_EMAIL, CHARTER_ZENDESK_API_TOKEN; ...
"""

from __future__ import annotations

from charter.sync.zendesk import ZendeskAccess, ZendeskPage, ZendeskReader

__all__ = ["ZendeskAccess", "ZendeskPage", "ZendeskReader"]
