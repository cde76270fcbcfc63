"""The pages in a real browser: Debian's Chromium, driven by Playwright, on a live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("live")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_signing_in_through_the_form_names_the_account(browser: Any, live: Live) -> None:
    page = browser.new_page()
    sign_in(page, live, "manager")
    assert "Morgan Manager (manager)" in page.locator("header").inner_text()
    page.close()


def test_a_managers_header_is_one_line_on_a_1366_px_screen(browser: Any, live: Live) -> None:
    # Ten links, the name and Sign out: at 72rem the button wrapped onto a second line.
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, live, "manager")
    first = page.locator("header.site ul a").first.bounding_box()
    last = page.locator("header.site ul a").last.bounding_box()
    button = page.get_by_role("button", name="Sign out").bounding_box()
    assert first and last and button
    assert abs(button["y"] + button["height"] / 2 - (first["y"] + first["height"] / 2)) < 8
    assert last["y"] == first["y"]  # the links themselves on one line too
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.close()


def test_a_wrong_password_is_refused_with_a_message(browser: Any, live: Live) -> None:
    page = browser.new_page()
    page.goto(f"{live.url}/login")
    page.get_by_label("E-mail").fill(live.accounts["agent"].email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "Wrong e-mail or password" in page.get_by_role("alert").inner_text()
    page.close()


def test_a_page_for_another_role_is_refused(browser: Any, live: Live) -> None:
    page = browser.new_page()
    sign_in(page, live, "agent")
    answer = page.goto(f"{live.url}/dashboard")
    assert answer is not None and answer.status == 403
    assert "for admin or manager accounts" in page.get_by_role("alert").inner_text()
    page.close()


@pytest.mark.parametrize(("zone", "offset_hours"), [("Asia/Tokyo", 9), ("America/Los_Angeles", -8)])
def test_the_public_page_shows_open_now_on_the_visitors_clock(
    browser: Any, live: Live, zone: str, offset_hours: int
) -> None:
    # The browser says where the visitor is; the page's script reloads with that zone.
    context = browser.new_context(timezone_id=zone)
    page = context.new_page()
    page.goto(f"{live.url}/")
    page.wait_for_url(f"**tz={zone.replace('/', '%2F')}*")
    assert zone in page.locator(".clock").inner_text()
    statuses = page.locator(".status").all_inner_texts()
    assert statuses and all(s.startswith(("Open now", "Closed")) for s in statuses)
    # Each "opens"/"until" time is given on the business's clock and on the visitor's.
    assert any("your time" in s for s in statuses)
    context.close()


def test_the_editor_shows_a_validation_error_at_its_line(browser: Any, live: Live) -> None:
    page = browser.new_page()
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/policies/larkfield")
    page.get_by_role("button", name="New draft").first.click()
    page.wait_for_load_state()
    text = page.locator("textarea#text").input_value()
    lines = text.splitlines()
    line = next(i for i, row in enumerate(lines, start=1) if row.startswith("organisation:"))
    lines.insert(line, "  colour: blue")  # an unknown field, on the line after it
    # The textarea is under the code editor, which saves into it when the form is sent.
    page.evaluate(
        "text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)",
        "\n".join(lines),
    )
    page.get_by_role("button", name="Save draft").click()
    problems = page.locator("#problems").inner_text()
    assert f"Line {line + 1}, column 3" in problems and "colour" in problems
    page.close()


def test_handbook_search_finds_a_clause_and_links_to_it(browser: Any, live: Live) -> None:
    page = browser.new_page()
    sign_in(page, live, "agent")
    page.goto(f"{live.url}/handbook")
    page.get_by_label("Search the handbook").fill("refund")
    page.get_by_label("Search the handbook").press("Enter")
    page.wait_for_load_state()
    first = page.locator("main mark").first
    assert first.inner_text().lower().startswith("refund")
    link = page.locator("main a[href^='/handbook#']").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    anchor = target.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").is_visible()
    page.close()


def test_the_dashboard_renders_its_charts(browser: Any, live: Live) -> None:
    page = browser.new_page()
    sign_in(page, live, "manager")
    answer = page.goto(f"{live.url}/dashboard?period=2026-10")
    assert answer is not None and answer.status == 200
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 3
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    page.close()
