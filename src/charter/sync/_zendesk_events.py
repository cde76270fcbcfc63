"""Zendesk's incremental ticket events export, read as audits of the tickets it covers.

``GET /api/v2/incremental/ticket_events.json?start_time=<epoch>&include=comment_events``
lists every ticket update since ``start_time`` in time order, up to 1,000 a page: each
an ``Audit`` with its ``ticket_id``, ``created_at``, ``updater_id`` and
``child_events`` (a ``Comment`` with ``author_id`` and ``public`` when comments are
included; a ``Create`` or ``Change`` naming the fields it set, ``status`` among them).
Each page says its ``end_time``; the next page starts there, and may repeat events of
that second, which are told apart by their ``id``.

A ticket created at or after the stream's start has every update in the stream, so its
whole history is there once the stream has been read past the ticket's ``updated_at``:
:meth:`EventStream.covering` gives those tickets' audits in the shape of
``/api/v2/tickets/{id}/audits.json`` (oldest first, the events Charter reads), and the
reader asks the audits endpoint only for the others. The stream is given up (every
ticket then goes to the audits endpoint) when Zendesk refuses it (the export is for
admins: 403) or does not have it (404), or when a page does not move past its start
(over 1,000 updates in one second).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from charter.errors import HelpdeskError
from charter.sync._http import Fetcher

EVENTS = "/api/v2/incremental/ticket_events.json"
Audit = dict[str, Any]


@dataclass
class EventStream:
    """The ticket events export from ``start`` (epoch seconds), read only as far as asked."""

    fetcher: Fetcher
    start: int
    end_time: int = field(init=False)
    ended: bool = field(default=False, init=False)
    usable: bool = field(default=True, init=False)
    audits: dict[str, list[Audit]] = field(default_factory=dict, init=False)
    seen: set[object] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.end_time = self.start

    def covering(self, tickets: Iterable[dict[str, Any]]) -> dict[str, list[Audit]]:
        """The audits of each of ``tickets`` the stream holds whole (created at or after
        its start), by ticket id; the other tickets are left out."""
        wanted = [t for t in tickets if _at_or_after(t.get("created_at"), self.start)]
        if not wanted or not self.usable:
            return {}
        self._read_past(max(_epoch(t.get("updated_at")) or 0 for t in wanted))
        if not self.usable:
            return {}
        return {str(t["id"]): self.audits.get(str(t["id"]), []) for t in wanted}

    def _read_past(self, instant: int) -> None:
        """Read pages until one ends after ``instant`` (so every update up to it is in)."""
        while self.usable and not self.ended and self.end_time <= instant:
            params = {"start_time": str(self.end_time), "include": "comment_events"}
            body = self.fetcher.get(EVENTS, params, absent=(403, 404))
            if body is None:
                self.usable = False
                return
            self._take(body)

    def _take(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("ticket_events"), list):
            raise HelpdeskError(
                f"Zendesk's answer to GET {EVENTS} has no 'ticket_events' list; is "
                "CHARTER_ZENDESK_BASE_URL the API's address?"
            )
        for event in body["ticket_events"]:
            if isinstance(event, dict) and event.get("id") not in self.seen:
                self.seen.add(event.get("id"))
                audit = audit_of(event)
                if audit is not None:
                    self.audits.setdefault(str(audit["ticket_id"]), []).append(audit)
        end = body.get("end_time")
        self.ended = bool(body.get("end_of_stream"))
        if not isinstance(end, int) or (end <= self.end_time and not self.ended):
            self.usable = False  # no way past this second: the audits endpoint will do
            return
        self.end_time = end


def audit_of(event: dict[str, Any]) -> Audit | None:
    """One exported ticket update as the audits endpoint gives it, keeping the events
    Charter reads: comments (author, public) and the status a Create or Change set."""
    if event.get("event_type", "Audit") != "Audit" or event.get("ticket_id") is None:
        return None
    children = event.get("child_events") or []
    events = [e for c in children if isinstance(c, dict) and (e := _child(c)) is not None]
    at = event.get("created_at") or _iso(event.get("timestamp"))
    return {"id": event.get("id"), "ticket_id": event["ticket_id"], "created_at": at,
            "author_id": event.get("updater_id"), "events": events}  # fmt: skip


def _child(child: dict[str, Any]) -> dict[str, Any] | None:
    kind = child.get("event_type") or child.get("type")
    if kind == "Comment":
        return {"type": "Comment", "author_id": child.get("author_id"),
                "public": child.get("public")}  # fmt: skip
    if kind not in ("Create", "Change"):
        return None
    if "status" in child:
        value = child["status"]
    elif child.get("field_name") == "status":
        value = child.get("value")
    else:
        return None
    return {"type": kind, "field_name": "status", "value": value,
            "previous_value": child.get("previous_value")}  # fmt: skip


def _epoch(value: object) -> int | None:
    """Epoch seconds of an ISO 8601 instant (``2026-03-02T09:00:00Z``), or of a number."""
    if isinstance(value, int | float):
        return int(value)
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def _at_or_after(value: object, start: int) -> bool:
    moment = _epoch(value)
    return moment is not None and moment >= start


def _iso(value: object) -> str | None:
    if not isinstance(value, int | float):
        return None
    return dt.datetime.fromtimestamp(value, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def earliest_update(tickets: Iterable[dict[str, Any]]) -> int | None:
    """The earliest ``updated_at`` of ``tickets`` (epoch seconds), None without one."""
    found = [e for t in tickets if (e := _epoch(t.get("updated_at"))) is not None]
    return min(found) if found else None
