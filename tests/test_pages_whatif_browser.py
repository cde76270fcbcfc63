"""The live what-if in Chromium: a manager changes a promise's time and sees the share
move as they type (the page's script and ``/api/what-if``), and the same figure from
the form's submit, with or without JavaScript, on a phone-sized screen too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser
PROMISE = "section#sl-default--first_response"  # "Everything else", 8 business hours
SHARE = re.compile(r"^(\d+(?:\.\d)?) % → (\d+(?:\.\d)?) %, ([+-]\d+(?:\.\d)?|0) points?$")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("live-whatif"), tickets=600) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def moved(headline: str, today: str) -> tuple[float, float]:
    """The two shares of an answer's headline, checked against the page's figure for
    today and the change it states."""
    found = SHARE.match(headline)
    assert found, headline
    now, then, change = float(found[1]), float(found[2]), found[3]
    assert f"{found[1]} %" == today
    assert round(then - now, 1) == (0.0 if change == "0" else float(change))
    return now, then


def test_typing_a_shorter_target_moves_the_share_down_at_once_and_the_submit_agrees(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Security Policy" in m.text else None)
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/what-if")
    promise = page.locator(PROMISE)
    today = promise.locator(".share-now").inner_text()
    promise.get_by_label("Within").fill("1h")  # 8 h today: fewer tickets answered in 1 h
    headline = promise.locator(".answer .headline")
    headline.wait_for()
    now, then = moved(headline.inner_text(), today)
    assert then < now
    assert page.url.endswith("#sl-default--first_response")  # the address keeps the try
    typed = headline.inner_text()
    promise.get_by_role("button", name="Try").click()  # the same question, asked by the form
    page.wait_for_load_state()
    assert "within=1h" in page.url
    assert page.locator(PROMISE).locator(".answer .headline").inner_text() == typed
    page.locator(PROMISE).get_by_label("Within").fill("4 parsecs")
    problem = page.locator(PROMISE).locator(".answer .problem")
    problem.wait_for()
    assert problem.inner_text().startswith("within: '4 parsecs' is not a duration")
    assert errors == []  # no script error, nothing the Content-Security-Policy refused
    context.close()


def test_without_javascript_on_a_phone_the_form_answers_and_the_page_fits(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live, "manager")
    page.goto(f"{live.url}/what-if")
    promise = page.locator(PROMISE)
    today = promise.locator(".share-now").inner_text()
    promise.get_by_label("Within").fill("2d")  # 8 h today: more tickets answered in 2 days
    page.wait_for_timeout(400)
    assert promise.locator(".answer").inner_text() == ""  # no script: nothing until Try
    promise.get_by_role("button", name="Try").click()
    page.wait_for_load_state()
    now, then = moved(page.locator(PROMISE).locator(".answer .headline").inner_text(), today)
    assert then > now
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    context.close()
