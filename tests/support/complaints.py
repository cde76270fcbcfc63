"""Complaint cases for tests: the example policy with complaint extensions and an
address for agents, tickets created at chosen instants, and people with their own names.

The policy (``COMPLAINT_TEXT``) is the example's, with three changes the tests rely on:
stage 1 (``complaint-front-line``: acknowledge 1wd, respond 2wd) counts its response
from the acknowledgment; the section allows extensions, capped at 3 working days; the
``agent`` role has the address ``agents@larkfield.example``. Both stages run on
``uk-support``: Monday to Friday 08:00-20:00 and Saturday 09:00-17:00 Europe/London,
closed on Sundays, England's bank holidays and 29-30 December 2026.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from charter.services.accounts import Principal, Role
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store.models import User
from charter.tickets.importing import ImportResult
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, conform, empty_rejects
from support import edited_text
from support.ticket_store import publish
from support.web import make_user

AGENTS = "agents@larkfield.example"
FRONT_LINE, REVIEW = "complaint-front-line", "complaint-review"


def _edit(data: Any) -> None:
    complaints = data["complaints"]
    complaints["counting"] = {"extensions": True, "extension_cap": 3}
    complaints["stages"][0]["respond_from"] = "acknowledgment"
    agent = next(r for r in data["staff"]["roles"] if r["id"] == "agent")
    agent["email"] = AGENTS


COMPLAINT_TEXT = edited_text(_edit)


def publish_complaints(database: Database, text: str = COMPLAINT_TEXT) -> int:
    """``text`` published and in force since 2020; the version's id."""
    return publish(database, text)


def add_ticket(
    database: Database, ref: str, created_at: dt.datetime, *, tags: list[str] | None = None,
    category: str | None = None,
) -> None:  # fmt: skip
    """Import one open ticket ``ref`` created at ``created_at``."""
    frame = pl.DataFrame({
        "id": [ref], "created_at": [created_at.replace(tzinfo=None)], "channel": ["email"],
        "priority": ["normal"], "status": ["open"], "category": [category],
        "tags": [tags or []],
    })  # fmt: skip
    tickets = conform(frame, TICKET_SCHEMA)
    result = ImportResult(tickets, pl.DataFrame(schema=EVENT_SCHEMA), empty_rejects())
    import_tickets(database, result, source="helpdesk", batch_size=100)


def person(database: Database, name: str, role: str = "agent") -> Principal:
    """A new account of ``role`` called ``name``."""
    account = make_user(database, role)
    with database.transaction() as session:
        user = session.get(User, account.id)
        assert user is not None
        user.name = name
    return Principal(account.id, account.email, name, Role(role), "session")
