"""The agents' page in Chromium: an agent asks whether a return is allowed, with no
script, and sees the answer with the deciding clause's id and text and the version;
the decision is then in the record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser
VERSION = re.compile(r"^Under \S+ version \d+, content hash [0-9a-f]{12}: the version in force")
HYGIENE = "Opened bedding and pillows cannot be returned for hygiene reasons."


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_charter(tmp_path_factory.mktemp("live-decide"), tickets=200) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_agent_asks_whether_a_return_is_allowed_and_sees_the_deciding_clause(
    browser: Any, live: Live
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live, "agent")
    page.get_by_role("link", name="Decide").click()
    form = page.locator("form[action='/decide/return']")
    form.get_by_label("Ordered at").fill("2026-11-25T10:00")
    form.get_by_label("Delivered at").fill("2026-11-27T12:00")
    form.get_by_label("Category").fill("bedding")
    reason = form.get_by_label("Reason")
    if reason.evaluate("e => e.tagName") == "SELECT":
        reason.select_option("changed_mind")
    else:
        reason.fill("changed_mind")
    form.get_by_role("button", name="Decide the return").click()
    page.wait_for_load_state()
    # Bedding is excluded (checked first): refused, the exclusion cited with its text.
    answer = page.locator("#answer")
    assert "Return refused" in answer.get_by_role("heading").first.inner_text()
    first = answer.locator("#clauses li").first
    assert first.locator(".clause-id").inner_text() == "returns.exclusions.exclusion-hygiene"
    assert first.locator(".clause-text").inner_text() == HYGIENE
    assert VERSION.match(answer.locator("#version").inner_text())
    answer.get_by_role("link", name="The record", exact=True).click()
    assert page.url.split("/")[-1].isdigit()
    assert HYGIENE in page.locator("main").inner_text()
    context.close()
