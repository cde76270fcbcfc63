"""A visitor rates a section of the public charter in Chromium, on a phone-sized
screen, without an account: the form opens from the section, sends, and thanks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from charter.store import Database
from support.browser import Live, chromium, live_charter
from support.ticket_store import rows

pytestmark = pytest.mark.browser


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Live, Database]]:
    with live_charter(tmp_path, tickets=100) as served:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        yield served, database
        database.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_visitor_says_returns_is_unclear_and_is_thanked(
    browser: Any, live: tuple[Live, Database]
) -> None:
    served, database = live
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{served.url}/charter?tz=Europe/London")
    section = page.locator("section#returns")
    form = section.locator("details.rate form")
    assert not form.is_visible()  # folded until asked for
    section.locator("details.rate summary").click()
    assert form.is_visible()
    box = section.locator("input[name=website]").bounding_box()  # the honeypot: off-screen
    assert box is not None and box["x"] + box["width"] <= 0
    section.locator("label[for='clear-no-returns']").click()
    section.locator("label[for='fair-yes-returns']").click()
    section.locator("textarea").fill("From which day do the 30 days count?")
    section.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thank you"
    assert "“Returns and refunds”" in page.locator("main").inner_text()
    page.get_by_role("link", name="Back to the charter").click()
    page.wait_for_load_state()
    # Back at the section (the page's script may add the browser's zone as ?tz=).
    assert "/charter" in page.url and page.url.endswith("#returns")
    context.close()
    stored = rows(database, "SELECT section, clear, fair, comment FROM policy_feedback")
    assert [(s, bool(c), bool(f), t) for s, c, f, t in stored] == [
        ("returns", False, True, "From which day do the 30 days count?")
    ]
