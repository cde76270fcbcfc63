"""The tickets worklist in a real browser: compact enough that a 1366 × 768 screen shows
20 tickets or more with every cell whole, and usable without JavaScript."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser

# Where to keep the screenshot for a person to look at (CHARTER_SCREENSHOTS, a folder).
SHOT = Path(os.environ.get("CHARTER_SCREENSHOTS", "/nonexistent")) / "tickets-1366x768.png"
# The demo store with 60 tickets: enough for a first page of more than a screen.
TICKETS = 60


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("worklist"), tickets=TICKETS) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


# Rows whose box lies wholly inside the viewport, and cells whose content is wider or
# taller than their box (cut off, or wrapped onto a second line of a one-line row).
MEASURE = """() => {
  const height = window.innerHeight, width = window.innerWidth;
  const rows = [...document.querySelectorAll("table.tickets tbody tr")];
  const seen = rows.filter(r => { const b = r.getBoundingClientRect();
    return b.top >= 0 && b.bottom <= height && b.right <= width; }).length;
  const cut = [...document.querySelectorAll("table.tickets th, table.tickets td")]
    .filter(c => c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().right > width)
    .map(c => c.textContent.trim());
  const wrap = document.querySelector(".table-wrap");
  return {seen, rows: rows.length, cut, scrolls: wrap.scrollWidth > wrap.clientWidth + 1};
}"""


def test_worklist_at_1366_by_768_shows_20_tickets_or_more_with_no_cell_cut_off(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/tickets")
    page.screenshot(path=str(SHOT)) if SHOT.parent.exists() else None
    found = page.evaluate(MEASURE)
    context.close()
    assert found["rows"] == 50, found
    assert found["seen"] >= 20, found
    assert found["cut"] == [] and not found["scrolls"], found


def test_worklist_sorts_and_filters_without_javascript(browser: Any, live: Live) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/tickets")
    page.get_by_role("link", name="Priority", exact=True).click()
    assert page.url.endswith("/tickets?sort=priority")
    page.get_by_label("Status").select_option("open")
    page.get_by_role("button", name="Filter").click()
    assert "status=open" in page.url and "sort=priority" in page.url
    first = page.locator("table.tickets tbody th a").first
    first.click()
    page.get_by_role("link", name="Back to the list").click()
    assert "status=open" in page.url and "sort=priority" in page.url
    context.close()
