"""The pages in a real browser: Debian's Chromium, driven by Playwright, on a live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import FLAGS, Live, chromium_path, live_charter

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("live")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=FLAGS)
        yield launched
        launched.close()


def sign_in(page: Any, live: Live, role: str) -> None:
    account = live.accounts[role]
    page.goto(f"{live.url}/login")
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_signing_in_through_the_form_names_the_account(browser: Any, live: Live) -> None:
    page = browser.new_page()
    sign_in(page, live, "manager")
    assert "Morgan Manager (manager)" in page.locator("header").inner_text()
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
