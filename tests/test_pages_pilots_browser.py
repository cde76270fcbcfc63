"""A manager pilots version 2 of the demo policy on team tier-2 in Chromium: a pilot with
no group is refused with the reason and the typed end kept, a good one shows its group
and period on the version page, and the dashboard shows its panel (no pilot ticket yet:
it starts now)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from charter.services.accounts import Principal, Role
from charter.services.lifecycle import edit_draft, get_version, new_draft, transition
from charter.store import Database
from charter.store.models import User
from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser
SLUG = "larkfield"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """The demo with version 2 (the live text with a faster chat reply) approved."""
    with live_charter(tmp_path, tickets=100) as served:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        with database.reading() as session:
            people = {u.role: Principal(u.id, u.email, u.name, Role(u.role))
                      for u in session.scalars(select(User))}  # fmt: skip
        text = get_version(database, SLUG, 1).text.replace("within: 5m", "within: 3m", 1)
        new_draft(database, SLUG, people["manager"], change_summary="Chat in 3 minutes")
        edit_draft(database, SLUG, 2, people["manager"], text=text)
        transition(database, SLUG, 2, "submit", people["manager"])
        transition(database, SLUG, 2, "approve", people["admin"])
        database.dispose()
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_manager_pilots_a_version_on_tier_2_and_sees_it_on_the_dashboard(
    browser: Any, live: Live
) -> None:
    page = browser.new_page()
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/policies/{SLUG}/versions/2")
    # The end, a week from now on the policy's clock (Europe/London), as the field takes it.
    end = (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).strftime("%Y-%m-%dT09:00")
    page.get_by_label("Ends").fill(end)
    page.get_by_role("button", name="Pilot", exact=True).click()
    page.wait_for_load_state()
    assert (
        page.locator("#message")
        .inner_text()
        .startswith("group.values: name at least one team for the pilot")
    )
    assert page.get_by_label("Ends").input_value() == end  # kept to correct
    page.locator("#pilot_kind").select_option("team")
    page.locator("#pilot_values").fill("tier-2")
    page.get_by_role("button", name="Pilot", exact=True).click()
    page.wait_for_load_state()
    assert "The version is now in pilot on its group." in page.locator("p.notice").inner_text()
    facts = page.locator("#pilot-facts").inner_text()
    assert facts.startswith("on team tier-2, from ") and ": running." in facts
    assert {b.inner_text() for b in page.locator("button[name=action]").all()} == {
        "Extend", "Publish", "Abandon",
    }  # fmt: skip
    page.goto(f"{live.url}/dashboard")
    panel = page.locator("#pilot")
    assert panel.get_by_role("heading").inner_text() == (
        "Pilot of larkfield version 2 against control"
    )
    assert "No ticket of the pilot's group was created in the period yet." in panel.inner_text()
    page.close()
