"""The review pack in real Chromium on a live server (the demo store: the example policy
published as version 1, a year of synthetic tickets). A manager writes version 2 (chat
answered within 10 minutes instead of 5), opens the pack from the navigation, sees its
sections and the draft's backtest, downloads the PDF, and reads the pack on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from charter.services.accounts import Principal, find_user
from charter.services.lifecycle import edit_draft, new_draft
from charter.store import Database
from support import EXAMPLE_TEXT
from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser

CHAT_FASTER = ("first_response: {within: 5m, clock: uk-support, attainment: 90%}",
               "first_response: {within: 10m, clock: uk-support, attainment: 90%}")  # fmt: skip
SECTIONS = (
    "a. KPIs against targets", "b. Each promise, month by month",
    "c. Customer satisfaction and NPS", "d. Competitors beside our promises",
    "e. Staff comments on drafts", "f. Training results per clause",
    "g. The proposed draft on past tickets", "h. Pilot against control",
)  # fmt: skip


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    assert CHAT_FASTER[0] in EXAMPLE_TEXT  # the draft really changes a promise
    with live_charter(tmp_path, tickets=300) as started:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        found = find_user(database, "manager@demo.example")
        manager = Principal(found.id, found.email, found.name, found.role, "cli")
        new_draft(database, "larkfield", manager, change_summary="Chat within 10 minutes")
        edit_draft(database, "larkfield", 2, manager, text=EXAMPLE_TEXT.replace(*CHAT_FASTER))
        database.dispose()
        yield started


def test_a_manager_opens_the_review_pack_and_its_pdf(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_page()
        sign_in(page, live, "manager")
        page.get_by_role("link", name="Review", exact=True).click()
        page.wait_for_load_state()
        assert page.url.endswith("/review")
        for name in SECTIONS:
            assert page.get_by_role("heading", name=name).is_visible(), name
        # The draft is backtested against version 1: the chat row says how it compares.
        backtest = page.locator("#backtest")
        assert backtest.is_visible()
        assert "Version 2 (draft) against version 1 in force" in page.inner_text("main")
        assert "sl-chat: first response" in backtest.inner_text()
        assert "we promise 5 business minutes, Casa Direct 10 minutes" in page.inner_text(
            "#benchmarks"
        )
        href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
        assert href is not None
        answer = page.request.get(f"{live.url}{href}")
        assert answer.status == 200
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.body()[:5] == b"%PDF-"
        page.close()


def test_the_pack_fits_a_phone_and_its_tables_scroll_inside_it(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        sign_in(page, live, "manager")
        page.goto(f"{live.url}/review")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        # The month-by-month table is wider than the phone; its wrapper scrolls instead.
        wrapper = page.locator("#promises").locator("xpath=..")
        assert wrapper.evaluate("e => e.scrollWidth > e.clientWidth")
        assert page.get_by_role("button", name="Record the review").is_visible()
        page.close()
