"""The review pack's section h: the running or most recent pilot against its control
group, the same comparison the dashboard shows (tests/support/pilots.py has the story: a
live version promising a first reply within 4 hours, a pilot promising 1 hour on team
tier-2 from 1 December 09:00 to 3 December 09:00 UTC)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services.review_pack import review_pack
from charter.store import Database
from support.pages import sign_in
from support.pilots import TICKETS, Clock, approved, at, piloted, store


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    injected = Clock()
    monkeypatch.setattr(clock, "now", injected)
    yield injected


def test_the_pack_compares_the_pilot_with_its_control_group(database: Database, now: Clock) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS, csat={"in": 5, "at-start": 4, "last": 2, "other-team": 3})
    pack = review_pack(database)
    assert pack is not None and pack.pilot is not None
    pilot = pack.pilot
    assert (pilot.number, pilot.state) == (2, "ended")  # 3 December 09:00 has passed
    # Created in [1 Dec 09:00, 3 Dec 09:00): tier-2's in, at-start and last are the
    # pilot; other-team is the control ("before" and "at-end" fall outside the period).
    assert (pilot.pilot_tickets, pilot.control_tickets) == (3, 1)
    rows = {row.label: (row.pilot, row.control) for row in pilot.figures}
    # Under the pilot's 1 h: in (2 h) breached, at-start (30 min) met, last (2 h)
    # breached; the control's other-team under 4 h met. CSAT: 5, 4, 2 against 3.
    assert rows["The first response promise"] == ("33.3 % (1 of 3)", "100 % (1 of 1)")
    assert rows["CSAT"] == ("66.7 % (2 of 3)", "0 % (0 of 1)")


def test_without_a_pilot_the_pack_says_there_is_none(database: Database, now: Clock) -> None:
    approved(database)  # version 2 approved, never piloted
    now.at = at(4, 12)
    pack = review_pack(database)
    assert pack is not None and pack.pilot is None


def test_the_pack_page_shows_the_pilot_figures(
    client: TestClient, database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS)
    sign_in(client, database, "manager")
    page = client.get("/review")
    assert page.status_code == 200
    section = page.text[page.text.index('id="pilot-heading"') :]
    assert "Version 2 in pilot" in section
    assert "33.3 % (1 of 3)" in section and "100 % (1 of 1)" in section
