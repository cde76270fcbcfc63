"""A manager shapes the feedback themes in Chromium on a phone-sized screen: the labelled
comments left on the demo's public page, a bad pin query refused with its column, a good
one pinned, a theme renamed; the page fits the screen's width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.store import feedback as feedback_store
from support.browser import Live, chromium, live_charter, sign_in
from support.comments import comments

pytestmark = pytest.mark.browser
PERIOD = "from=2026-09-01&to=2026-11-30"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with live_charter(tmp_path, tickets=100) as served:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        version = operating_version(database)
        assert version is not None
        with database.transaction() as session:
            for c in comments():
                feedback_store.add_rating(session, version_id=version.id, section="returns",
                                          clear=None, fair=None, comment=c.text,
                                          address_hash="x", created_at=c.at)  # fmt: skip
        database.dispose()
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_manager_pins_a_query_after_a_bad_one_and_renames_a_theme_on_a_phone(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/feedback/themes?{PERIOD}")
    assert page.locator("section.theme").count() == 5
    # Nothing wider than the screen but the tables' own scrolling boxes.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#pin-clause").select_option("delivery.delivery-us-standard")
    page.locator("#pin-query").fill('"united states')
    page.get_by_role("button", name="Pin", exact=True).click()
    page.wait_for_load_state()
    assert "column 1: this quote is never closed" in page.locator("#pin-problem").inner_text()
    assert page.locator("#pin-query").input_value() == '"united states'  # kept to correct
    page.locator("#pin-query").fill('"united states"')
    page.get_by_role("button", name="Pin", exact=True).click()
    page.wait_for_load_state()
    assert "Pinned the query" in page.locator("p.notice").inner_text()
    # No theme is closest to "United States, standard": the comment makes its own theme.
    assert page.locator("section.theme").count() == 6
    assert page.get_by_role("heading", name="United States, standard pinned").count() == 1
    first = page.locator("section.theme").first
    first.locator("details.shape summary").click()
    first.get_by_label("New name").fill("Slow refunds")
    first.get_by_role("button", name="Rename").click()
    page.wait_for_load_state()
    assert page.locator("section.theme h2").first.inner_text() == "Slow refunds"
    context.close()
