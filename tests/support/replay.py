"""A helpdesk on loopback: a small threaded HTTP server that replays scripted answers.

Each route (a path with its query, ``/api/v2/incremental/tickets/cursor.json?
start_time=0``) holds a list of answers; each request takes the first, and the last
is repeated once the others are used (so ``[rate_limited(7), page]`` answers 429 once,
then the page). Every request is recorded with its ``Authorization`` header. Nothing
leaves the machine: the server binds 127.0.0.1 on a free port.

``zendesk_ticket``, ``zendesk_audit`` and ``zendesk_export`` build bodies in the
shapes Zendesk documents for its incremental cursor export and ticket audits.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

EXPORT = "/api/v2/incremental/tickets/cursor.json"
AUDITS = "/api/v2/tickets/{}/audits.json"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def ok(body: Any) -> Answer:
    return Answer(200, body)


def rate_limited(retry_after: int) -> Answer:
    return Answer(429, {"error": "TooManyRequests"}, {"Retry-After": str(retry_after)})


def unauthorized() -> Answer:
    return Answer(401, {"error": "Couldn't authenticate you"})


def server_error() -> Answer:
    return Answer(500, {"error": "InternalServerError"})


@dataclass
class Replay:
    """The scripted routes and every request received, as (path?query, authorization)."""

    routes: dict[str, list[Answer]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    base_url: str = ""

    def route(self, target: str, *answers: Answer) -> None:
        self.routes[target] = list(answers)

    def answer(self, target: str) -> Answer:
        answers = self.routes.get(target)
        if not answers:
            return Answer(404, {"error": "RecordNotFound", "target": target})
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def paths(self) -> list[str]:
        return [target for target, _auth in self.requests]


@contextmanager
def replaying() -> Iterator[Replay]:
    """A running replay server on 127.0.0.1; stopped on leaving."""
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            replay.requests.append((self.path, self.headers.get("Authorization", "")))
            answer = replay.answer(self.path)
            payload = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def zendesk_ticket(ticket_id: int, status: str = "open", **fields: Any) -> dict[str, Any]:
    """A ticket as the incremental export lists it (created 2026-03-02 09:00 UTC)."""
    return {
        "id": ticket_id, "url": f"https://acme.zendesk.com/api/v2/tickets/{ticket_id}.json",
        "created_at": "2026-03-02T09:00:00Z", "updated_at": "2026-03-02T09:00:00Z",
        "status": status, "priority": "normal", "requester_id": 9001, "assignee_id": 500,
        "group_id": 77, "via": {"channel": "email"}, "tags": [], **fields,
    }  # fmt: skip


def zendesk_audit(ticket_id: int, at: str, author: int, *events: dict[str, Any]) -> dict[str, Any]:
    """One audit of a ticket: who changed it, when, and its events."""
    return {"id": hash((ticket_id, at)) & 0xFFFFFF, "ticket_id": ticket_id, "created_at": at,
            "author_id": author, "events": list(events)}  # fmt: skip


def comment(author: int, public: bool = True) -> dict[str, Any]:
    return {"type": "Comment", "author_id": author, "public": public, "body": "..."}


def status_change(value: str, previous: str | None = None) -> dict[str, Any]:
    return {"type": "Change", "field_name": "status", "value": value, "previous_value": previous}


def audits_page(*audits: dict[str, Any]) -> dict[str, Any]:
    return {"audits": list(audits), "next_page": None, "previous_page": None,
            "count": len(audits)}  # fmt: skip


def zendesk_export(
    tickets: list[dict[str, Any]], after_cursor: str | None, end_of_stream: bool
) -> dict[str, Any]:
    """A page of the incremental cursor export."""
    return {
        "tickets": tickets, "after_cursor": after_cursor, "before_cursor": None,
        "after_url": f"https://acme.zendesk.com{EXPORT}?cursor={after_cursor}"
        if after_cursor else None,
        "before_url": None, "end_of_stream": end_of_stream,
    }  # fmt: skip


REQUESTER, AGENT = 9001, 500


def created(ticket_id: int, at: str = "2026-03-02T09:00:00Z") -> dict[str, Any]:
    event = {"type": "Create", "field_name": "status", "value": "new"}
    return zendesk_audit(ticket_id, at, REQUESTER, event, comment(REQUESTER))


def script_three_pages(replay: Replay) -> None:
    """Page 1 (after a 429): tickets 101 and 102. Page 2 (after a 500): 103, and 101
    again, now solved. Page 3: ticket 104, deleted; the end of the stream."""
    replied = zendesk_audit(101, "2026-03-02T09:30:00Z", AGENT, comment(AGENT),
                            status_change("open", "new"))  # fmt: skip
    solved = zendesk_audit(101, "2026-03-02T11:00:00Z", AGENT, status_change("solved", "open"))
    page1 = zendesk_export([zendesk_ticket(101), zendesk_ticket(102, "new")], "c2", False)
    page2 = zendesk_export(
        [zendesk_ticket(103, "pending"),
         zendesk_ticket(101, "solved", updated_at="2026-03-02T11:00:00Z")], "c3", False,
    )  # fmt: skip
    page3 = zendesk_export([zendesk_ticket(104, "deleted")], "c4", True)
    replay.route(f"{EXPORT}?start_time=0", rate_limited(7), ok(page1))
    replay.route(f"{EXPORT}?cursor=c2", server_error(), ok(page2))
    replay.route(f"{EXPORT}?cursor=c3", ok(page3))
    replay.route(f"{EXPORT}?cursor=c4", ok(zendesk_export([], "c4", True)))
    replay.route(
        AUDITS.format(101),
        ok(audits_page(created(101), replied)), ok(audits_page(created(101), replied, solved)),
    )  # fmt: skip
    replay.route(AUDITS.format(102), ok(audits_page(created(102))))
    note = zendesk_audit(103, "2026-03-02T09:10:00Z", AGENT, comment(AGENT, public=False))
    answer = zendesk_audit(103, "2026-03-02T10:00:00Z", AGENT, comment(AGENT),
                           status_change("pending", "new"))  # fmt: skip
    replay.route(AUDITS.format(103), ok(audits_page(created(103), note, answer)))
