"""The public charter in Chromium: readable on a 390 px phone, and a skip link that shows
only on focus and colours nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}  # an iPhone 12-15's CSS viewport
# Every table in the page's main, after opening the "next 7 days" details: how far it
# reaches past the viewport. The page has no scroll cue, so none may.
TABLES = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main table')].map(table => ({
    caption: table.caption ? table.caption.innerText : '',
    over: Math.round(table.getBoundingClientRect().right - width)}));
}"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("live"), tickets=30) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_story_every_table_fits_a_390px_phone(browser: Any, live: Live) -> None:
    # A visitor in Tokyo: the "next 7 days" tables gain a third column, "Your time".
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{live.url}/charter?tz=Asia/Tokyo")
    tables = page.evaluate(TABLES)
    # The example has 4 contact cards with a usual week and the next 7 days each (8
    # tables) and one delivery table.
    assert len(tables) == 9
    cut = [t for t in tables if t["over"] > 0]
    assert cut == [], cut
    # Nor does the page itself scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_story_the_delivery_table_stacks_each_row_with_its_labels_on_a_phone(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live.url}/charter?tz=Europe/London")
    cells = page.locator("[id='delivery.delivery-uk-standard'] td")
    # Stacked: each cell on its own line, named by its column's heading.
    shown = cells.evaluate_all(
        "cs => cs.map(c => [getComputedStyle(c).display, getComputedStyle(c, '::before').content])"
    )
    assert shown == [
        ["block", '"Dispatch: "'], ["block", '"Delivery after dispatch: "'],
        ["block", '"In all: "'], ["block", '"Cost: "'],
    ]  # fmt: skip
    context.close()


def test_story_the_skip_link_shows_only_on_focus_and_colours_nothing(
    browser: Any, live: Live
) -> None:
    page = browser.new_page()
    page.goto(f"{live.url}/charter?tz=Europe/London")
    background = "el => getComputedStyle(el).backgroundColor"
    before = {name: page.locator(name).evaluate(background) for name in ("body", "main")}
    skip = page.locator("a.skip")
    # Unfocused: off the screen.
    box = skip.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 0
    page.keyboard.press("Tab")  # the first stop on the page is the skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 0
    assert {name: page.locator(name).evaluate(background) for name in before} == before
    page.keyboard.press("Enter")  # follow it: #main is now the target
    page.wait_for_function("location.hash === '#main'")
    assert {name: page.locator(name).evaluate(background) for name in before} == before
    page.close()
