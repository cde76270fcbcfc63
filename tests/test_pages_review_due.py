"""The dashboard says when the policy's review is near (in its warning period) or
overdue. The example policy is reviewed every 6 months, next on Thursday 1 April 2027,
30 days' warning; a review recorded on 20 March moves it to 1 October."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services.review import record_review
from charter.store import Database
from support.pages import sign_in
from support.seed import publish_example


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    moment = dt.datetime.fromisoformat(f"{day} 09:00").replace(tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


def review_line(client: TestClient, database: Database) -> str | None:
    """The dashboard's review line, read by a manager signed in on the clock's day (a
    sign-in lasts days, not months)."""
    sign_in(client, database, "manager")
    html = client.get("/dashboard").text
    found = re.search(r'<p class="review-due[^"]*" id="review">(.*?)</p>', html, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split()) if found else None


def test_the_dashboard_says_the_review_is_due_then_overdue_then_nothing_once_done(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = publish_example(database)
    on(monkeypatch, "2027-03-01")
    assert review_line(client, database) is None  # before the warning period
    on(monkeypatch, "2027-03-25")
    assert review_line(client, database) == (
        "The policy's review is due on Thu 01 Apr 2027, in 7 days "
        "(owned by Customer service manager)."
    )
    on(monkeypatch, "2027-04-05")
    assert review_line(client, database) == (
        "The policy's review is overdue: it was due on Thu 01 Apr 2027, 4 days ago "
        "(every 6 months, owned by Customer service manager)."
    )
    # Recorded late, on 5 April: the next review is 6 months from then, 5 October.
    record_review(database, seeded.author, "no_change", now=clock.now())
    assert review_line(client, database) is None
