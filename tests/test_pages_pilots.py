"""Pilots on the pages: the version page's pilot form (group and period), its refusals
kept with what was typed, the extension and abandonment buttons, the pilot's facts, and
the dashboard's pilot-against-control panel on a hand-counted story (the tickets of
``support.pilots``: team tier-2 from 1 December 09:00 to 3 December 09:00 UTC)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from charter import clock
from charter.services.lifecycle import get_version, history
from charter.store import Database
from support.pages import csrf_of, sign_in
from support.pilots import SLUG, TICKETS, Clock, approved, at, piloted, store

PAGE = f"/policies/{SLUG}/versions/2"


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    injected = Clock()
    monkeypatch.setattr(clock, "now", injected)
    yield injected


def _act(client: TestClient, action: str, **fields: str) -> Response:
    token = csrf_of(client.get(PAGE).text)
    data = {"action": action, "note": "", "csrf_token": token, **fields}
    return client.post(f"{PAGE}/actions", data=data, follow_redirects=False)


def _buttons(page: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', page))


def _text(page: str) -> str:
    """The page's words, tags read as spaces (none before punctuation)."""
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    return re.sub(r" ([:;,.)])", r"\1", words)


def test_a_manager_pilots_a_version_on_a_team_from_the_page_then_extends_and_abandons_it(
    client: TestClient, database: Database, now: Clock
) -> None:
    approved(database)
    now.at = at(30, 12, month=11)
    sign_in(client, database, "manager")
    page = client.get(PAGE).text
    assert 'name="pilot_kind"' in page and 'name="ends_at"' in page
    # The policy's clock is Europe/London, on UTC in winter: 09:00 there is 09:00 UTC.
    done = _act(client, "pilot", pilot_kind="team", pilot_values="tier-2",
                starts_at="2026-12-01T09:00", ends_at="2026-12-03T09:00")  # fmt: skip
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    text = _text(page)
    assert "The version is now in pilot on its group." in text
    assert (
        "Pilot on team tier-2, from Tue 01 Dec 2026 09:00 UTC until Thu 03 Dec 2026 "
        "09:00 UTC: not started yet"
    ) in text
    assert _buttons(page) == {"extend", "publish", "abandon"}
    assert 'name="pilot_kind"' not in page and 'id="ends_at"' in page
    done = _act(client, "extend", ends_at="2026-12-05T09:00")
    assert done.status_code == 303, done.text
    assert "until Sat 05 Dec 2026 09:00 UTC" in _text(client.get(PAGE).text)
    assert _act(client, "abandon").status_code == 303
    version = get_version(database, SLUG, 2)
    assert version.status == "retired" and version.pilot is not None
    assert version.pilot.outcome == "abandoned"
    assert [e.action for e in history(database, SLUG, 2)][-3:] == ["pilot", "extend", "abandon"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"pilot_kind": "team", "pilot_values": " , ", "ends_at": "2026-12-03T09:00"},
         "group.values: name at least one team for the pilot; the group is empty"),
        ({"pilot_kind": "region", "pilot_values": "north", "ends_at": "2026-12-03T09:00"},
         "group.kind: 'region' is not a pilot group"),
        ({"pilot_kind": "team", "pilot_values": "tier-2", "ends_at": "3 Dec"},
         "ends_at: '3 Dec' is not a date and time"),
        ({"pilot_kind": "team", "pilot_values": "tier-2", "ends_at": ""},
         "ends_at: say when the pilot ends"),
    ],
)  # fmt: skip
def test_a_bad_pilot_form_shows_the_page_again_with_the_reason_and_what_was_typed(
    client: TestClient, database: Database, now: Clock, fields: dict[str, str], message: str
) -> None:
    approved(database)
    sign_in(client, database, "manager")
    refused = _act(client, "pilot", **fields)
    assert refused.status_code == 422
    assert message in html.unescape(refused.text)
    assert f'value="{fields["ends_at"]}"' in refused.text  # kept for correcting
    assert get_version(database, SLUG, 2).status == "approved"


def test_the_dashboard_shows_the_pilot_against_control_with_verdicts(
    client: TestClient, database: Database, now: Clock
) -> None:
    piloted(database, now)
    now.at = at(4, 12)
    store(database, TICKETS, csat={"in": 5, "at-start": 4, "last": 2, "other-team": 3})
    sign_in(client, database, "manager")
    page = client.get("/dashboard").text
    section = page[page.index('id="pilot"') : page.index("</section>", page.index('id="pilot"'))]
    text = _text(section)
    assert "Pilot of acme version 2 against control" in text
    assert "On team tier-2, from Tue 01 Dec 2026 09:00 UTC until Thu 03 Dec 2026 09:00 UTC:" in text
    assert "its period is over; publish, extend or abandon it" in text
    # Pilot: in, at-start and last (tier-2 in the period); control: other-team.
    assert "the group's 3 tickets created in the period" in text
    assert "the other 1 created then" in text
    # Under v2's 1 h, 1 of the pilot's 3 met; under v1's 4 h, the control's 1 of 1.
    assert "The first response promise 33.3 % (1 of 3) 100 % (1 of 1)" in text
    assert "First response time (business hours) median 2 h (3) median 2 h (1)" in text
    assert "CSAT 66.7 % (2 of 3) 0 % (0 of 1)" in text
    assert "too few tickets to tell (pilot 3, control 1)" in text


def test_the_dashboard_has_no_pilot_panel_without_a_pilot(
    client: TestClient, database: Database, now: Clock
) -> None:
    approved(database)
    sign_in(client, database, "manager")
    assert 'id="pilot"' not in client.get("/dashboard").text
