"""The dashboard in real Chromium with JavaScript off: a preset link and the date picker
choose the days, and every text of every chart is drawn at 12 px or more on a
1366 × 768 screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser

# The rendered size of a chart's text: its font size in the SVG times the scale the page
# draws the SVG at (its width on screen over its viewBox width).
SMALLEST_TEXT = """() => {
  let smallest = Infinity;
  for (const svg of document.querySelectorAll("svg.chart")) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll("text")) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    }
  }
  return smallest;
}"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    # tickets over the year up to 20 November 2026
    with live_charter(tmp_path_factory.mktemp("live-dashboard"), tickets=300) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_dashboard_story_presets_and_the_date_picker_work_without_javascript(
    live: Live, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1366, "height": 768})  # fmt: skip
    page = context.new_page()
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/dashboard")
    page.get_by_role("link", name="Last quarter").click()
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard?period=last-quarter")
    current = page.locator(".presets [aria-current=page]")
    assert current.inner_text() == "Last quarter"
    page.locator("input#from").fill("2026-11-01")
    page.locator("input#to").fill("2026-11-15")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "from=2026-11-01&to=2026-11-15" in page.url
    heading = page.locator("#kpis-heading").inner_text()
    assert heading == "KPIs against targets, 1 November to 15 November 2026"
    # 15 days, one chart row a day
    assert page.locator("#trend-1 tbody tr").count() == 15
    smallest = page.evaluate(SMALLEST_TEXT)
    assert smallest >= 12, smallest  # axis labels, legends and values alike
    context.close()
