"""Freshdesk's ticket listing by ``updated_since``, a page at a time, with each
ticket's conversations.

``GET /api/v2/tickets?updated_since=...&order_by=updated_at&order_type=asc
&include=requester,stats&per_page=100`` lists the tickets changed since an instant, oldest
change first, as a bare array. The cursor is that instant and a page number
(``2026-03-02T09:00:00Z|1``): after a full page the next starts from the page's
latest ``updated_at`` (keyset, so a ticket changed meanwhile, which moves to the end
of the order, never shifts another past a page boundary); only when a whole page
shares one ``updated_at`` does the page number grow. A page shorter than
``per_page`` is the present. Tickets at the boundary are read twice, which changes
nothing in the store. A ticket's conversations (``/api/v2/tickets/{id}/
conversations``, every page) give its customer messages and agent replies.

Freshdesk's listing leaves deleted tickets out: one deleted after it was synced is
kept as last synced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from charter.errors import ConfigError, HelpdeskError
from charter.sync._http import Fetcher, Sleep
from charter.sync.page import Page

TICKETS = "/api/v2/tickets"
CONVERSATIONS = "/api/v2/tickets/{id}/conversations"
PER_PAGE = 100  # Freshdesk's largest page
# Each ticket's stats (first response, resolution) and its requester (the address the
# survey after a solve goes to).
INCLUDE = "requester,stats"
CREDENTIALS = "CHARTER_FRESHDESK_API_KEY"
TIMEOUT = 60.0


@dataclass(frozen=True)
class FreshdeskAccess:
    """Where and as whom to read: the API's base URL and an agent's API key."""

    base_url: str
    api_key: str

    @classmethod
    def of(cls, domain: str | None, api_key: str | None, base: str | None) -> FreshdeskAccess:
        """The access the settings describe; ``ConfigError`` naming what is missing."""
        missing = [
            name
            for name, value in (
                ("CHARTER_FRESHDESK_DOMAIN (or CHARTER_FRESHDESK_BASE_URL)", base or domain),
                ("CHARTER_FRESHDESK_API_KEY", api_key),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                f"Freshdesk sync needs {', '.join(missing)}; set them in the environment "
                "(see docs/sync.md)"
            )
        assert api_key
        return cls(base or f"https://{domain}.freshdesk.com", api_key)


class FreshdeskReader:
    """Reads the listing through a retrying :class:`Fetcher`; ``close()`` when done."""

    def __init__(
        self, access: FreshdeskAccess, *, tries: int = 5, backoff: float = 1.0,
        sleep: Sleep | None = None, per_page: int = PER_PAGE,
    ) -> None:  # fmt: skip
        client = httpx.Client(
            base_url=access.base_url,
            auth=httpx.BasicAuth(access.api_key, "X"),  # Freshdesk's documented form
            timeout=TIMEOUT,
            headers={"Accept": "application/json"},
        )
        self.fetcher = Fetcher(client, "Freshdesk", CREDENTIALS, tries=tries, backoff=backoff)
        if sleep is not None:
            self.fetcher.sleep = sleep
        self.per_page = per_page

    @property
    def requests(self) -> int:
        return self.fetcher.requests

    def close(self) -> None:
        self.fetcher.client.close()

    def pages(self, *, cursor: str | None, start_time: int) -> Iterator[Page]:
        """Pages from ``cursor`` (or from ``start_time``, epoch seconds) to the present."""
        since, number = _parse(cursor) if cursor else (_iso(start_time), 1)
        while True:
            tickets = self._list(since, number)
            latest = max((str(t["updated_at"]) for t in tickets if t.get("updated_at")),
                         default=since)  # fmt: skip
            full = len(tickets) >= self.per_page
            if full and _same_instant(latest, since):
                since, number = since, number + 1  # a whole page changed at one instant
            else:
                since, number = latest, 1
            yield Page(
                {"tickets": tickets, "conversations": self._conversations(tickets)},
                f"{since}|{number}", not full, [],
            )  # fmt: skip
            if not full:
                return

    def tickets(self, ids: list[str]) -> Page:
        """The tickets ``ids`` with their conversations, as one page (``GET /api/v2/
        tickets/{id}`` each); an id Freshdesk no longer has (404) is in ``deleted``."""
        found: list[dict[str, Any]] = []
        for ticket_id in ids:
            body = self.fetcher.get(f"{TICKETS}/{ticket_id}", {"include": INCLUDE})
            if isinstance(body, dict) and body.get("id") is not None:
                found.append(body)
        present = {str(t["id"]) for t in found}
        gone = [i for i in ids if i not in present]
        files = {"tickets": found, "conversations": self._conversations(found)}
        return Page(files, None, True, gone)

    def _list(self, since: str, number: int) -> list[dict[str, Any]]:
        params = {
            "updated_since": since, "order_by": "updated_at", "order_type": "asc",
            "include": INCLUDE, "per_page": str(self.per_page), "page": str(number),
        }  # fmt: skip
        body = self.fetcher.get(TICKETS, params)
        if not isinstance(body, list):
            raise HelpdeskError(
                f"Freshdesk's answer to GET {TICKETS} is not a list of tickets; is "
                "CHARTER_FRESHDESK_BASE_URL the API's address?"
            )
        return [t for t in body if isinstance(t, dict)]

    def _conversations(self, tickets: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for ticket in tickets:
            number = 1
            while True:
                params = {"per_page": str(self.per_page), "page": str(number)}
                body = self.fetcher.get(CONVERSATIONS.format(id=ticket.get("id")), params)
                page = [c for c in body if isinstance(c, dict)] if isinstance(body, list) else []
                found += page
                if len(page) < self.per_page:
                    break
                number += 1
        return found


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(cursor: str) -> tuple[str, int]:
    since, _, number = cursor.partition("|")
    return since, int(number) if number.isdigit() else 1


def _same_instant(a: str, b: str) -> bool:
    try:
        return dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b)
    except ValueError:
        return a == b
