"""The Content-Security-Policy in real Chromium: no page breaks it, and scripts still run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser

# Reports every violation, on every page the context opens, to the test.
REPORT = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} ${e.blockedURI} at ${location.pathname}`);
});
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("live-csp"), tickets=300) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Watched:
    """A browser context whose pages report CSP violations (DOM events and console)."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(**options)
        self.violations: list[str] = []
        self.context.expose_function("cspViolation", self._report)
        self.context.add_init_script(REPORT)
        self.page = self.context.new_page()
        self.page.on("console", self._console)

    def _report(self, violation: str) -> None:
        self.violations.append(violation)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def visit(self, url: str) -> Any:
        answer = self.page.goto(url)
        assert answer is not None and answer.status == 200, url
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(150)  # violations are reported after the fact
        return answer


def test_the_watch_sees_a_violation_when_there_is_one(browser: Any, live: Live) -> None:
    watched = Watched(browser)
    watched.visit(f"{live.url}/charter?tz=Europe/London")
    watched.page.evaluate("""document.body.insertAdjacentHTML("beforeend",
        '<div style="color: red">inline</div><img src="https://elsewhere.example/x.png">')""")
    watched.page.wait_for_timeout(300)
    assert any("style-src" in v for v in watched.violations), watched.violations
    assert any("img-src" in v for v in watched.violations), watched.violations
    watched.context.close()


def test_public_pages_break_no_rule_and_the_zone_script_still_reloads(
    browser: Any, live: Live
) -> None:
    watched = Watched(browser, timezone_id="Asia/Tokyo")
    watched.page.goto(f"{live.url}/")
    watched.page.wait_for_url("**tz=Asia%2FTokyo*")  # the script ran under the policy
    assert "Asia/Tokyo" in watched.page.locator(".clock").inner_text()
    for path in ("/charter?tz=America/Chicago", "/charter?tz=Nowhere/Atall", "/login"):
        watched.visit(f"{live.url}{path}")
    assert watched.violations == []
    watched.context.close()


def test_staff_pages_break_no_rule(browser: Any, live: Live) -> None:
    watched = Watched(browser)
    sign_in(watched.page, live, "manager")
    watched.visit(f"{live.url}/policies/larkfield/versions/1")
    watched.page.get_by_role("button", name="New draft from version 1").click()
    watched.page.wait_for_load_state("load")
    tickets = watched.visit(f"{live.url}/tickets")
    assert tickets.status == 200
    ticket = watched.page.locator("main table a[href^='/tickets/']").first.get_attribute("href")
    paths = [
        "/login", "/handbook", "/handbook/search?q=refund", "/handbook/print", ticket,
        "/policies", "/policies/larkfield", "/policies/larkfield/versions/2",
        "/policies/larkfield/diff?from=1&to=2", "/dashboard?period=2026-10", "/charter",
    ]  # fmt: skip
    for path in paths:
        watched.visit(f"{live.url}{path}")
    assert watched.violations == []
    watched.context.close()
