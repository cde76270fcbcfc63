"""Zendesk's incremental cursor export, a page at a time, with each ticket's audits.

The first request asks for the tickets changed since ``start_time`` (epoch seconds);
each page names the cursor of the next (``after_cursor``), and ``end_of_stream``
says the page reached the present. A page's tickets come with their full audit
history (``/api/v2/tickets/{id}/audits.json``, every page of it), because Charter
stores a ticket with all of its events: an audit page alone would drop the older
replies. The audits of a page's tickets are read over up to ``connections``
connections at once, and kept in the page's ticket order. With ``events_export``,
the tickets created since the stream's start take theirs from Zendesk's ticket events
export instead, a request per 1,000 updates (:mod:`charter.sync._zendesk_events`).
Deleted tickets (status ``deleted``) carry no audits worth reading; they are listed
by id on the page. Each request side-loads the tickets' users (``include=users``), so a
ticket's requester address comes with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from charter.errors import ConfigError, HelpdeskError
from charter.sync._http import Fetcher, Sleep
from charter.sync._zendesk_events import EventStream, earliest_update
from charter.sync.page import Page

EXPORT = "/api/v2/incremental/tickets/cursor.json"
AUDITS = "/api/v2/tickets/{id}/audits.json"
SHOW_MANY = "/api/v2/tickets/show_many.json"
SHOW_MANY_IDS = 100  # Zendesk's most ids per show_many request
CREDENTIALS = "CHARTER_ZENDESK_EMAIL and CHARTER_ZENDESK_API_TOKEN"
TIMEOUT = 60.0  # seconds per request; Zendesk's export pages take a few seconds to build
# Side-loaded with the tickets: their requesters' addresses (the survey after a solve).
USERS = "users"
CONNECTIONS = 8  # audits requests in flight at once: well inside Zendesk's rate limits' bursts


@dataclass(frozen=True)
class ZendeskAccess:
    """Where and as whom to read: the API's base URL, an agent's e-mail and API token."""

    base_url: str
    email: str
    api_token: str

    @classmethod
    def of(
        cls, subdomain: str | None, email: str | None, token: str | None, base: str | None
    ) -> ZendeskAccess:
        """The access the settings describe; ``ConfigError`` naming what is missing."""
        missing = [
            name
            for name, value in (
                ("CHARTER_ZENDESK_SUBDOMAIN (or CHARTER_ZENDESK_BASE_URL)", base or subdomain),
                ("CHARTER_ZENDESK_EMAIL", email),
                ("CHARTER_ZENDESK_API_TOKEN", token),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                f"Zendesk sync needs {', '.join(missing)}; set them in the environment "
                "(see docs/sync.md)"
            )
        assert email and token
        return cls(base or f"https://{subdomain}.zendesk.com", email, token)


class ZendeskReader:
    """Reads the export through a retrying :class:`Fetcher`; ``close()`` when done."""

    def __init__(
        self,
        access: ZendeskAccess,
        *,
        tries: int = 5,
        backoff: float = 1.0,
        sleep: Sleep | None = None,
        events_export: bool = False,
        connections: int = CONNECTIONS,
    ) -> None:
        client = httpx.Client(
            base_url=access.base_url,
            auth=httpx.BasicAuth(f"{access.email}/token", access.api_token),
            timeout=TIMEOUT,
            headers={"Accept": "application/json"},
            limits=httpx.Limits(max_connections=connections),
        )
        fetcher = Fetcher(client, "Zendesk", CREDENTIALS, tries=tries, backoff=backoff)
        if sleep is not None:
            fetcher.sleep = sleep
        self.fetcher = fetcher
        self.events_export = events_export
        self.stream: EventStream | None = None
        self.pool = ThreadPoolExecutor(connections, thread_name_prefix="zendesk-audits")

    @property
    def requests(self) -> int:
        return self.fetcher.requests

    def close(self) -> None:
        self.pool.shutdown()
        self.fetcher.client.close()

    def pages(self, *, cursor: str | None, start_time: int) -> Iterator[Page]:
        """Pages from ``cursor`` (or from ``start_time`` without one) to the present.

        With ``events_export``, the events stream starts at ``start_time``; resuming
        from a cursor, at the earliest change on the first page that has one (a ticket
        created before it takes its audits from the audits endpoint)."""
        params = {"cursor": cursor} if cursor else {"start_time": str(start_time)}
        params["include"] = USERS
        self.stream = None
        if self.events_export and not cursor:
            self.stream = EventStream(self.fetcher, start_time)
        while True:
            body = self._export_page(params)
            if self.events_export and self.stream is None:
                first = earliest_update(t for t in body["tickets"] if isinstance(t, dict))
                self.stream = EventStream(self.fetcher, first) if first is not None else None
            page = self._page(body)
            yield page
            if page.end_of_stream or not page.after_cursor:
                return
            params = {"cursor": page.after_cursor, "include": USERS}

    def tickets(self, ids: list[str]) -> Page:
        """The tickets ``ids`` with their audits, as one page (``show_many``, at most 100
        ids a request); an id Zendesk no longer has, or has deleted, is in ``deleted``."""
        found: list[dict[str, Any]] = []
        users: list[dict[str, Any]] = []
        for start in range(0, len(ids), SHOW_MANY_IDS):
            chunk = ",".join(ids[start : start + SHOW_MANY_IDS])
            body = self.fetcher.get(SHOW_MANY, {"ids": chunk, "include": USERS})
            if not isinstance(body, dict) or not isinstance(body.get("tickets"), list):
                raise HelpdeskError(
                    f"Zendesk's answer to GET {SHOW_MANY} has no 'tickets' list; is "
                    "CHARTER_ZENDESK_BASE_URL the API's address?"
                )
            found += [t for t in body["tickets"] if isinstance(t, dict)]
            users += [u for u in body.get("users") or [] if isinstance(u, dict)]
        page = self._page({"tickets": found, "users": users}, stream=False)
        present = {str(t.get("id")) for t in found}
        gone = [i for i in ids if i not in present]
        return Page(page.files, None, True, page.deleted + gone)

    def _export_page(self, params: dict[str, str]) -> dict[str, Any]:
        body = self.fetcher.get(EXPORT, params)
        if not isinstance(body, dict) or not isinstance(body.get("tickets"), list):
            raise HelpdeskError(
                f"Zendesk's answer to GET {EXPORT} has no 'tickets' list; is "
                "CHARTER_ZENDESK_BASE_URL the API's address?"
            )
        return body

    def _page(self, body: dict[str, Any], *, stream: bool = True) -> Page:
        tickets = [t for t in body["tickets"] if isinstance(t, dict)]
        deleted = [str(t.get("id")) for t in tickets if t.get("status") == "deleted"]
        live = [t for t in tickets if t.get("status") != "deleted" and t.get("id") is not None]
        covered = self.stream.covering(live) if stream and self.stream is not None else {}
        rest = [t["id"] for t in live if str(t["id"]) not in covered]
        fetched = dict(zip(map(str, rest), self.pool.map(self._audits, rest), strict=True))
        audits = [a for t in map(str, (t["id"] for t in live))
                  for a in (covered[t] if t in covered else fetched[t])]  # fmt: skip
        cursor = body.get("after_cursor")
        users = [u for u in body.get("users") or [] if isinstance(u, dict)]
        listed = {"tickets": tickets, "users": users} if users else {"tickets": tickets}
        return Page(
            {"tickets": listed, "audits": {"audits": audits}},
            str(cursor) if cursor else None, bool(body.get("end_of_stream")), deleted,
        )  # fmt: skip

    def _audits(self, ticket_id: object) -> list[dict[str, Any]]:
        """Every audit of one ticket, following the list's pages (either pagination)."""
        found: list[dict[str, Any]] = []
        url: str | None = AUDITS.format(id=ticket_id)
        while url:
            body = self.fetcher.get(url)
            if not isinstance(body, dict):  # 404: deleted since the export page was built
                break
            found += [a for a in body.get("audits") or [] if isinstance(a, dict)]
            url = _next(body)
        return found


def _next(body: dict[str, Any]) -> str | None:
    if body.get("next_page"):
        return str(body["next_page"])
    meta, links = body.get("meta") or {}, body.get("links") or {}
    if meta.get("has_more") and links.get("next"):
        return str(links["next"])
    return None
