"""In Chromium: a complaint moves from stage 1 to stage 2 and the second handler must be
another person; an overdue stage shows on the dashboard and leads to its complaint.

The demo store's tickets end on 20 November 2026, so a complaint opened from one is
received then, under the example policy (front line: acknowledge in 1 working day,
answer in 2; review: 2 and 10, by someone other than the front line's handler), and is
overdue by any later week.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from charter.store import Database
from charter.store.models import Ticket
from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Live, str]]:
    with live_charter(tmp_path, tickets=60) as served:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        with database.reading() as session:
            ref = session.scalars(select(Ticket.source_id).order_by(Ticket.created_at.desc())
                                  ).first()  # fmt: skip
        database.dispose()
        assert ref is not None
        yield served, ref


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _open(page: Any, live: Live, ref: str) -> None:
    page.goto(f"{live.url}/complaints")
    page.get_by_label("Ticket (its helpdesk id)").fill(ref)
    page.get_by_role("button", name="Open complaint").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Complaint ")


def test_stage_two_refuses_stage_ones_handler_and_takes_another_person(
    browser: Any, live: tuple[Live, str]
) -> None:
    served, ref = live
    manager, agent = served.accounts["manager"], served.accounts["agent"]
    page = browser.new_page()
    sign_in(page, served, "manager")
    _open(page, served, ref)
    page.get_by_label("Handler", exact=True).select_option(label=manager.name)
    page.get_by_role("button", name="Assign").click()
    assert "Handler assigned." in page.locator("[role=status]").inner_text()
    page.get_by_role("button", name="Record the response").click()
    page.get_by_role("button", name="Escalate to stage 2").click()
    assert page.locator("#stage-2 h2").inner_text().startswith("Stage 2: Review")
    page.get_by_label("Handler", exact=True).select_option(label=manager.name)
    page.get_by_role("button", name="Assign").click()
    alert = page.locator("[role=alert]").inner_text()
    assert f"{manager.name} handled stage 1, and stage 2" in alert
    assert "must be handled by someone else" in alert
    page.get_by_label("Handler", exact=True).select_option(label=agent.name)
    page.get_by_role("button", name="Assign").click()
    assert page.locator("#stage-2 .handler").inner_text().startswith(agent.name)
    assert page.locator("#stage-1 .handler").inner_text().startswith(manager.name)
    page.close()


def test_an_overdue_stage_shows_on_the_dashboard_and_links_to_its_complaint(
    browser: Any, live: tuple[Live, str]
) -> None:
    served, ref = live
    page = browser.new_page()
    sign_in(page, served, "manager")
    _open(page, served, ref)
    assert "overdue" in page.locator("#next-due").inner_text()
    page.goto(f"{served.url}/dashboard")
    card = page.locator("#complaints-overdue")
    assert card.inner_text().startswith("1 overdue stage among 1 open complaint")
    card.get_by_role("link").click()
    page.wait_for_load_state()
    rows = page.locator("table.complaints tbody tr")
    assert rows.count() == 1
    assert ref in rows.first.inner_text()
    page.close()
