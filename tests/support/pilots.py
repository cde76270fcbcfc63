"""Pilots in tests: a live version promising a first reply within 4 hours, a pilot
version promising 1 hour on team tier-2 from D1 = 1 December 2026 09:00 to D2 =
3 December 09:00 (UTC), an injected clock, and solved e-mail tickets of any team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import text

from charter.services.accounts import Principal
from charter.services.lifecycle import (
    PilotRequest,
    create_policy,
    edit_draft,
    new_draft,
    transition,
)
from charter.services.publishing import take_action
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.tickets.importing import ImportResult
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform, empty_rejects
from support.lifecycle import staff

UTC = dt.UTC
SLUG = "acme"


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


D1, D2 = at(1, 9), at(3, 9)
TIER_2 = PilotRequest(kind="team", values=("tier-2",), starts_at=D1, ends_at=D2)


def policy(first_response: str) -> str:
    """Every e-mail answered within ``first_response`` on the 24x7 clock."""
    return f"""\
organisation: {{name: Acme, mission: Delight}}
calendars: [{{id: desk, timezone: Europe/London, weekly: {{mon: ["09:00-17:00"]}}}}]
contact_points: [{{id: mail, channel: email, address: help@acme.example, calendar: desk}}]
service_levels:
  rules:
    - id: sl-email
      when: {{channel: [email]}}
      targets:
        first_response: {{within: {first_response}, clock: 24x7}}
"""


class Clock:
    def __init__(self) -> None:
        self.at = at(1, 0, month=11)

    def __call__(self) -> dt.datetime:
        return self.at


@dataclass
class People:
    author: Principal
    reviewer: Principal


def piloted(database: Database, now: Clock, request: PilotRequest = TIER_2) -> People:
    """Version 1 (4 h) live from 1 November; version 2 (1 h) in pilot from 30 November
    12:00 on ``request``'s group and period."""
    people = approved(database)
    now.at = at(30, 12, month=11)
    take_action(database, SLUG, 2, "pilot", people.reviewer, pilot=request)
    return people


def approved(database: Database) -> People:
    """Version 1 (4 h) published now; version 2 (1 h) approved, ready to pilot."""
    people = People(staff(database), staff(database))
    create_policy(
        database, slug=SLUG, name="Acme", text=policy("4h"), actor=people.author,
        change_summary="First",
    )  # fmt: skip
    transition(database, SLUG, 1, "submit", people.author)
    transition(database, SLUG, 1, "approve", people.reviewer)
    take_action(database, SLUG, 1, "publish", people.reviewer)
    new_draft(database, SLUG, people.author, change_summary="Faster replies")
    edit_draft(database, SLUG, 2, people.author, text=policy("1h"))
    transition(database, SLUG, 2, "submit", people.author)
    transition(database, SLUG, 2, "approve", people.reviewer)
    return people


Row = tuple[str, str, dt.datetime, dt.datetime]
"""A solved e-mail ticket: id, team, created, first reply (and solve)."""


def store(
    database: Database,
    rows: list[Row],
    csat: dict[str, int] | None = None,
    requesters: dict[str, str] | None = None,
) -> None:
    """Import ``rows`` (which recomputes their SLA state), with the ``csat`` ratings and
    the ``requesters``' e-mail addresses given by ticket id."""
    tickets = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "created_at": [r[2] for r in rows],
            "channel": ["email"] * len(rows),
            "priority": ["normal"] * len(rows),
            "team": [r[1] for r in rows],
            "status": ["solved"] * len(rows),
            "first_response_at": [r[3] for r in rows],
            "solved_at": [r[3] for r in rows],
            "csat": [(csat or {}).get(r[0]) for r in rows],
            "requester_email": [(requesters or {}).get(r[0]) for r in rows],
        }
    )
    result = ImportResult(
        conform(tickets, TICKET_SCHEMA), pl.DataFrame(schema=EVENT_SCHEMA), empty_rejects()
    )
    import_tickets(database, result, source="csv", batch_size=100)


def states(database: Database) -> dict[str, tuple[int, str, str]]:
    """Per ticket: the number of the version that judged it, its first-response status
    and due instant (UTC, "day hh:mm" in December)."""
    query = text(
        "SELECT t.source_id, v.number, s.first_response_status, s.first_response_due_at "
        "FROM sla_states s JOIN tickets t ON t.id = s.ticket_id "
        "JOIN policy_versions v ON v.id = s.version_id"
    )
    with database.reading() as session:
        found = session.execute(query).all()
    return {source: (number, status, _due(due)) for source, number, status, due in found}


def _due(value: object) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.astimezone(UTC).strftime("%d %H:%M")


# Each replied after the time shown, so the two promises give different verdicts.
TICKETS: list[Row] = [
    ("in", "tier-2", at(1, 10), at(1, 12)),  # 2 h reply
    ("other-team", "tier-1", at(1, 10), at(1, 12)),  # 2 h reply
    ("before", "tier-2", at(1, 8, 59), at(1, 10, 59)),  # 2 h reply
    ("at-start", "tier-2", D1, at(1, 9, 30)),  # 30 min reply
    ("last", "tier-2", at(3, 8, 59), at(3, 10, 59)),  # 2 h reply
    ("at-end", "tier-2", D2, at(3, 11)),  # 2 h reply
]
