"""``GET /api/tickets/{id}``: a stored ticket's verdict per metric has the columns of
``charter sla evaluate``, with the values worked out by hand in the desk story
(``support.cases``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.tickets.generic import import_generic
from support.cases import (
    DESK_AT,
    DESK_COLUMNS,
    DESK_EVENTS,
    DESK_EXPECTED,
    DESK_POLICY,
    DESK_TICKETS,
)
from support.ticket_store import publish, rows
from support.web import bearer


@pytest.fixture
def stored(database: Database, tmp_path: Path) -> dict[str, int]:
    """The desk story stored and judged at its instant; store ids by helpdesk id."""
    publish(database, DESK_POLICY)
    for name, text in (("tickets.csv", DESK_TICKETS), ("events.csv", DESK_EVENTS)):
        (tmp_path / name).write_text(text, "utf-8")
    imported = import_generic([tmp_path / "tickets.csv", tmp_path / "events.csv"])
    import_tickets(database, imported, source="files", batch_size=50)
    recompute_sla(database, now=dt.datetime.fromisoformat(DESK_AT), everything=True)
    return {
        source_id: id_ for id_, source_id in rows(database, "SELECT id, source_id FROM tickets")
    }


def _iso(value: object) -> object:
    """The API's instants as the file command writes them (UTC, ``Z``)."""
    if isinstance(value, str) and value[:4].isdigit() and "T" in value:
        return dt.datetime.fromisoformat(value).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


@pytest.mark.parametrize("ticket", ["A", "C", "D"])
def test_desk_story_api_verdicts_have_the_file_commands_columns_and_values(
    client: TestClient, database: Database, stored: dict[str, int], ticket: str
) -> None:
    # A: reply after its due (breached), resolution met with an hour paused; C: at risk
    # and pending, each with a due; D: met, and resolution paused with no due.
    response = client.get(f"/api/tickets/{stored[ticket]}", headers=bearer(database, "agent"))
    assert response.status_code == 200, response.text
    found = {
        state["metric"]: tuple(_iso(state[c]) for c in DESK_COLUMNS[2:])
        for state in response.json()["sla"]
    }
    expected = {row[1]: row[2:] for row in DESK_EXPECTED if row[0] == ticket}
    assert found == expected
