"""A helpdesk on loopback: a small threaded HTTP server that replays scripted answers.

Each route (a path with its query, ``/api/v2/incremental/tickets/cursor.json?
start_time=0``) holds a list of answers; each request takes the first, and the last
is repeated once the others are used (so ``[rate_limited(7), page]`` answers 429 once,
then the page). Every request is recorded with its ``Authorization`` header, and in
``calls`` with its method and JSON body too. GET routes are scripted with ``route``,
other methods with ``route(target, ..., method="PUT")``. Nothing leaves the machine:
the server binds 127.0.0.1 on a free port.

``zendesk_ticket``, ``zendesk_audit`` and ``zendesk_export`` build bodies in the
shapes Zendesk documents for its incremental cursor export and ticket audits;
``zendesk_shown``, ``zendesk_groups`` and ``freshdesk_groups`` those of a ticket and of
the group listings that escalation actions read.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

EXPORT = "/api/v2/incremental/tickets/cursor.json"
FRESHDESK_TICKETS = "/api/v2/tickets"
AUDITS = "/api/v2/tickets/{}/audits.json"


@dataclass(frozen=True)
class Answer:
    """A status, a JSON body and headers; with ``hold``, the server first sets
    ``hold[0]`` (the request arrived) and waits for ``hold[1]`` before answering."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    hold: tuple[threading.Event, threading.Event] | None = None


def held(answer: Answer) -> tuple[Answer, threading.Event, threading.Event]:
    """``answer``, given only once the returned release event is set; and the event
    set when its request arrives."""
    arrived, release = threading.Event(), threading.Event()
    return Answer(answer.status, answer.body, answer.headers, (arrived, release)), arrived, release


def ok(body: Any) -> Answer:
    return Answer(200, body)


def rate_limited(retry_after: int) -> Answer:
    return Answer(429, {"error": "TooManyRequests"}, {"Retry-After": str(retry_after)})


def unauthorized() -> Answer:
    return Answer(401, {"error": "Couldn't authenticate you"})


def server_error() -> Answer:
    return Answer(500, {"error": "InternalServerError"})


@dataclass(frozen=True)
class Call:
    """One request as received: its method, path and query, authorization and JSON body
    (None when it had none)."""

    method: str
    target: str
    authorization: str
    body: Any = None


@dataclass
class Replay:
    """The scripted routes and every request received, as (path?query, authorization)
    in ``requests`` and whole in ``calls``. A GET route's key is its normal target, any
    other method's is the method, a space and the normal target."""

    routes: dict[str, list[Answer]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    base_url: str = ""

    def route(self, target: str, *answers: Answer, method: str = "GET") -> None:
        self.routes[route_key(method, target)] = list(answers)

    def answer(self, target: str, method: str = "GET") -> Answer:
        answers = self.routes.get(route_key(method, target))
        if not answers:
            return Answer(404, {"error": "RecordNotFound", "target": target})
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def writes(self) -> list[tuple[str, str, Any]]:
        """Every request that is not a GET, as (method, normal target, JSON body)."""
        return [(c.method, normal(c.target), c.body) for c in self.calls if c.method != "GET"]

    def paths(self) -> list[str]:
        """Every request's path and query, decoded, parameters in name order."""
        return [normal(target) for target, _auth in self.requests]


def normal(target: str) -> str:
    """``target`` decoded, with its query's parameters in name order, so that a route
    matches however the client orders and encodes them."""
    parts = urlsplit(target)
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query)))
    return f"{parts.path}?{query}" if query else parts.path


def route_key(method: str, target: str) -> str:
    """Where a route is kept: GET routes under their normal target, as before writes
    were scripted, so ``routes[normal(target)]`` still names a GET route."""
    return normal(target) if method == "GET" else f"{method} {normal(target)}"


@contextmanager
def replaying() -> Iterator[Replay]:
    """A running replay server on 127.0.0.1; stopped on leaving."""
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.serve("GET")

        def do_PUT(self) -> None:  # noqa: N802 (http.server's name)
            self.serve("PUT")

        def serve(self, method: str) -> None:
            authorization = self.headers.get("Authorization", "")
            replay.requests.append((self.path, authorization))
            replay.calls.append(Call(method, self.path, authorization, self.json_body()))
            answer = replay.answer(self.path, method)
            if answer.hold is not None:
                answer.hold[0].set()
                answer.hold[1].wait(timeout=120)
            payload = json.dumps(answer.body).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client was killed while its answer was held

        def json_body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw) if raw else None
            except ValueError:
                return raw.decode("utf-8", "replace")  # kept as text, for the test to see

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
    replay.route(f"{EXPORT}?include=users&start_time=0", rate_limited(7), ok(page1))
    replay.route(f"{EXPORT}?cursor=c2&include=users", server_error(), ok(page2))
    replay.route(f"{EXPORT}?cursor=c3&include=users", ok(page3))
    replay.route(f"{EXPORT}?cursor=c4&include=users", ok(zendesk_export([], "c4", True)))
    replay.route(
        AUDITS.format(101),
        ok(audits_page(created(101), replied)), ok(audits_page(created(101), replied, solved)),
    )  # fmt: skip
    replay.route(AUDITS.format(102), ok(audits_page(created(102))))
    note = zendesk_audit(103, "2026-03-02T09:10:00Z", AGENT, comment(AGENT, public=False))
    answer = zendesk_audit(103, "2026-03-02T10:00:00Z", AGENT, comment(AGENT),
                           status_change("pending", "new"))  # fmt: skip
    replay.route(AUDITS.format(103), ok(audits_page(created(103), note, answer)))


def freshdesk_ticket(ticket_id: int, updated_at: str, **fields: Any) -> dict[str, Any]:
    """A ticket as Freshdesk's listing with ``include=stats`` gives it: status 2 open,
    priority 2 medium, source 1 e-mail; created 2026-03-02 09:00 UTC."""
    return {
        "id": ticket_id, "subject": "Where is my order?", "status": 2, "priority": 2,
        "source": 1, "type": None, "requester_id": 7001, "responder_id": 600,
        "group_id": 88, "tags": [], "created_at": "2026-03-02T09:00:00Z",
        "updated_at": updated_at, "due_by": "2026-03-05T09:00:00Z",
        "stats": {"first_responded_at": None, "resolved_at": None, "closed_at": None},
        **fields,
    }  # fmt: skip


def freshdesk_conversation(
    ticket_id: int, at: str, *, incoming: bool, private: bool = False
) -> dict[str, Any]:
    """One conversation entry: a customer's (incoming) or an agent's, public or a note."""
    return {
        "id": hash((ticket_id, at)) & 0xFFFFFF, "ticket_id": ticket_id, "incoming": incoming,
        "private": private, "user_id": 7001 if incoming else 600, "body_text": "...",
        "source": 0, "created_at": at, "updated_at": at,
    }  # fmt: skip


def freshdesk_listing(since: str, page: int = 1) -> str:
    """The listing request the sync makes for tickets changed since ``since``."""
    return (f"{FRESHDESK_TICKETS}?include=requester,stats&order_by=updated_at&order_type=asc"
            f"&page={page}&per_page=100&updated_since={since}")  # fmt: skip


def fd_second(i: int) -> str:
    """2026-03-02 10:00:00 UTC plus ``i`` seconds, as Freshdesk writes it."""
    return f"2026-03-02T10:{i // 60:02d}:{i % 60:02d}Z"


def script_freshdesk_two_pages(replay: Replay) -> None:
    """Page 1 (after a 429): tickets 1 to 100, ticket i changed at 10:00:00 + i s. Page 2,
    from page 1's latest change (ticket 100, 10:01:40): ticket 100 again and ticket 101,
    changed at 10:05, whose conversations are a customer message at 09:10, a private
    note at 09:20 and the agent's public reply at 09:30. Tickets without a
    conversations route have none (404)."""
    first = [freshdesk_ticket(i, fd_second(i)) for i in range(1, 101)]
    second = [first[-1], freshdesk_ticket(101, "2026-03-02T10:05:00Z")]
    replay.route(freshdesk_listing("1970-01-01T00:00:00Z"), rate_limited(3), ok(first))
    replay.route(freshdesk_listing(fd_second(100)), ok(second))
    replay.route(freshdesk_listing("2026-03-02T10:05:00Z"), ok([second[-1]]))
    replay.route(
        f"{FRESHDESK_TICKETS}/101/conversations?page=1&per_page=100",
        ok([freshdesk_conversation(101, "2026-03-02T09:10:00Z", incoming=True),
            freshdesk_conversation(101, "2026-03-02T09:20:00Z", incoming=False, private=True),
            freshdesk_conversation(101, "2026-03-02T09:30:00Z", incoming=False)]),
    )  # fmt: skip


def zendesk_groups(groups: dict[int, str], next_page: str | None = None) -> dict[str, Any]:
    """A page of ``GET /api/v2/groups.json``: each group by id and name, and the
    address of the next page (offset pagination), or None on the last."""
    return {
        "groups": [{"id": group_id, "name": name, "deleted": False, "default": False,
                    "is_public": True, "created_at": "2025-01-06T09:00:00Z",
                    "url": f"https://acme.zendesk.com/api/v2/groups/{group_id}.json"}
                   for group_id, name in groups.items()],
        "next_page": next_page, "previous_page": None, "count": len(groups),
    }  # fmt: skip


def zendesk_shown(ticket_id: int, priority: str | None, group_id: int = 77) -> dict[str, Any]:
    """``GET /api/v2/tickets/{id}.json``: the ticket, wrapped as Zendesk wraps one."""
    return {"ticket": zendesk_ticket(ticket_id, priority=priority, group_id=group_id)}


def freshdesk_groups(groups: dict[int, str]) -> list[dict[str, Any]]:
    """A page of ``GET /api/v2/groups``: a bare array of groups."""
    return [{"id": group_id, "name": name, "description": None, "agent_ids": [],
             "created_at": "2025-01-06T09:00:00Z", "updated_at": "2025-01-06T09:00:00Z"}
            for group_id, name in groups.items()]  # fmt: skip
