"""The public page's complaint results: last month's share of complaints acknowledged
and answered within each stage's limits, for a policy that publishes them, the same
figures as the dashboard's (whose board names the stages of closed cases too).

The policy is ``support.complaints``' (stage 1, the front line: acknowledge within 1
working day, answer within 2 working days of the acknowledgment, on uk-support, open
Monday to Saturday).
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services import complaints
from charter.services.complaint_views import complaint_board
from charter.services.public_charter import public_charter
from charter.store import Database
from charter.store import complaints as records
from support.complaints import COMPLAINT_TEXT, add_ticket, person, publish_complaints

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 10, 12, tzinfo=UTC)


# The example publishes its complaint results; the same policy, not publishing them.
PUBLISHING = COMPLAINT_TEXT
SILENT = COMPLAINT_TEXT.replace("publish_results: true", "publish_results: false", 1)


def _november(database: Database) -> None:
    """Case A, received Mon 2 Nov 10:00: acknowledgment due Tue 3 Nov (day 0 the 2nd, 1
    working day on), given Mon 2 Nov 12:00 (within); answer due 2 working days after the
    acknowledgment's day, Wed 4 Nov, given Tue 3 Nov (within). Case B, received Wed 4 Nov
    10:00: acknowledgment due Thu 5 Nov, given Fri 6 Nov (late); answer due Sat 7, Mon 9
    Nov, not given by 10 Dec (late). Case C, received Tue 1 Dec: December, not counted.
    November's front line: 1 of 2 acknowledged within, 1 of 2 answered within."""
    ann = person(database, "Ann")
    steps = {
        "A": (dt.datetime(2026, 11, 2, 10, tzinfo=UTC), dt.datetime(2026, 11, 2, 12, tzinfo=UTC),
              dt.datetime(2026, 11, 3, 12, tzinfo=UTC)),
        "B": (dt.datetime(2026, 11, 4, 10, tzinfo=UTC), dt.datetime(2026, 11, 6, 10, tzinfo=UTC),
              None),
        "C": (dt.datetime(2026, 12, 1, 10, tzinfo=UTC), None, None),
    }  # fmt: skip
    for ref, (received, acknowledged, answered) in steps.items():
        add_ticket(database, ref, received)
        case = complaints.open_complaint(database, ref, ann, now=received)
        if acknowledged is not None:
            complaints.acknowledge(database, case, ann, now=acknowledged)
        if answered is not None:
            complaints.respond(database, case, ann, now=answered)


def test_a_policy_that_publishes_its_results_shows_last_months_per_stage(
    database: Database,
) -> None:
    assert "publish_results: true" in PUBLISHING
    publish_complaints(database, PUBLISHING)
    _november(database)
    page = public_charter(database, now=NOW)
    assert page is not None and page.complaints is not None
    assert page.complaints.results_month == "November 2026"
    assert page.complaints.results == (
        "Front line: 1 of 2 (50 %) acknowledged within its limit; 1 of 2 (50 %) answered "
        "within it.",
    )
    # The dashboard's figures for the same month and stage are these.
    with database.reading() as session:
        [row] = records.complaint_kpis(session, NOW, months=["2026-11"])
    assert (row.acknowledged_within, row.acknowledged_late) == (1, 1)
    assert (row.answered_within, row.answered_late) == (1, 1)


def test_a_policy_that_does_not_publish_them_shows_none(database: Database) -> None:
    assert "publish_results: false" in SILENT
    publish_complaints(database, SILENT)
    _november(database)
    page = public_charter(database, now=NOW)
    assert page is not None and page.complaints is not None
    assert page.complaints.results_month is None and page.complaints.results == ()


def test_the_charter_page_says_how_complaints_were_handled(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_complaints(database, PUBLISHING)
    _november(database)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    page = client.get("/charter").text
    assert "How we handled complaints in November 2026" in page
    assert "Front line: 1 of 2 (50 %) acknowledged within its limit" in page


def test_the_dashboard_names_the_stages_of_closed_cases_and_counts_no_open_one(
    database: Database,
) -> None:
    # November's three cases, then all closed: nothing is open or overdue, and the board
    # still names the front line in November's row (the list reads open cases only).
    publish_complaints(database)
    _november(database)
    ann = person(database, "Cy")
    with database.reading() as session:
        ids = [c.id for c in records.load_cases(session)]
    for case_id in ids:
        complaints.close(database, case_id, ann, now=NOW)
    board = complaint_board(database, now=NOW)
    assert board is not None
    assert (board.open_total, board.overdue) == (0, 0)
    [november, december] = board.lines
    assert (november.row.month, november.stage_name) == ("2026-11", "Front line")
    assert (december.row.month, december.stage_name) == ("2026-12", "Front line")
    with database.reading() as session:
        assert records.load_cases(session, open_only=True) == []
        assert len(records.load_cases(session)) == 3
