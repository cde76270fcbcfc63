"""A customer answers the survey after a solve in Chromium, on a phone-sized screen,
from the link in the e-mail and without an account; the link's second use is refused
politely."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from charter import clock
from charter.feedback.surveys import link_token
from charter.store import Database
from charter.store.models import PolicyVersion, SurveyInvitation, Ticket
from support.browser import Live, chromium, live_charter

pytestmark = pytest.mark.browser
SECRET = "browser-tests-secret-key-long-enough-to-use"  # support.browser's server's


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Live, Database]]:
    with live_charter(tmp_path, tickets=100) as served:
        database = Database(f"sqlite:///{tmp_path / 'charter.db'}")
        yield served, database
        database.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _link(live: Live, database: Database) -> str:
    """A sent survey of the first demo ticket, as the e-mail links to it."""
    now = clock.now()
    with database.transaction() as session:
        ticket_id = session.scalars(select(Ticket.id).order_by(Ticket.id)).first()
        version_id = session.scalars(
            select(PolicyVersion.id).where(PolicyVersion.status == "published")
        ).first()
        assert ticket_id is not None and version_id is not None
        row = SurveyInvitation(ticket_id=ticket_id, version_id=version_id, kind="csat",
                               email="ana@example.test", solved_at=now, due_at=now,
                               expires_at=now + dt.timedelta(days=14), state="sent",
                               created_at=now, sent_at=now)  # fmt: skip
        session.add(row)
        session.flush()
        return f"{live.url}/s/{link_token(row.id, now + dt.timedelta(days=14), SECRET)}"


def test_a_customer_answers_from_the_link_and_a_second_use_is_refused_politely(
    browser: Any, live: tuple[Live, Database]
) -> None:
    served, database = live
    link = _link(served, database)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(link)
    assert page.locator("h1").inner_text() == "How did we do?"
    # nothing wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    reasons = page.locator("fieldset.reasons")
    assert not reasons.is_visible()  # folded away until a low score is chosen
    page.locator("label[for='score-2']").click()
    assert reasons.is_visible()
    reasons.get_by_label("It took too long").check()
    page.get_by_label("Anything else you want to tell us? (optional)").fill("Four days.")
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thank you"
    with database.reading() as session:
        answer = session.scalars(select(SurveyInvitation)).one()
        assert (answer.state, answer.score, answer.comment, answer.reasons) == (
            "answered", 2, "Four days.", ["It took too long"])  # fmt: skip
    # The same link again: a polite page, no form
    response = page.goto(link)
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "You already answered — thank you"
    assert page.locator("input[name=score]").count() == 0
    context.close()
