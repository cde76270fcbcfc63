"""The feedback pages (``/feedback/themes``, ``/feedback/sections``) and their API, on
the labelled comments (``support.comments``) left on the example policy's sections
between September and November 2026 (issue 17, point 3)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from charter.services.feedback_themes import _gather
from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.store import feedback as feedback_store
from support.comments import comments
from support.pages import csrf_of, sign_in
from support.seed import publish_example
from support.web import bearer

PERIOD = "from=2026-09-01&to=2026-11-30"


@pytest.fixture(autouse=True)
def _fresh_memory() -> None:
    _gather._FOUND.clear()


@pytest.fixture
def seeded(database: Database) -> Database:
    publish_example(database)
    live = operating_version(database)
    assert live is not None
    with database.transaction() as session:
        for n, c in enumerate(comments()):
            # Every fifth rated "not clear": 0, 5, ..., 85 -> 18 of the 86.
            feedback_store.add_rating(session, version_id=live.id, section="returns",
                                      clear=n % 5 != 0, fair=None, comment=c.text,
                                      address_hash="x", created_at=c.at)  # fmt: skip
    return database


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def theme_keys(html: str) -> list[str]:
    return [unescape(k) for k in re.findall(r'name="key" value="([^"]+)"', html)]


def key_named(html: str, word: str) -> str:
    """The key of the theme whose key has ``word`` among its terms."""
    (key,) = {k for k in theme_keys(html) if word in k.split(" / ")}
    return key


def test_the_themes_page_shows_the_five_themes_with_terms_months_clauses_and_examples(
    client: TestClient, seeded: Database
) -> None:
    sign_in(client, seeded, "manager")
    page = client.get(f"/feedback/themes?{PERIOD}")
    assert page.status_code == 200
    text = plain(page.text)
    assert "86 comments from 2026-09-01 to 2026-11-30 (UTC): 0 from surveys, 86 on" in text
    assert "5 themes" in text
    assert len(re.findall(r'<section class="theme"', page.text)) == 5
    # Refunds (19: 18 + the United States delivery) first, linked to Returns and refunds.
    first = page.text.split('<section class="theme"')[1]
    assert "19 comments" in plain(first)
    assert '<a href="/handbook#returns">Returns and refunds</a>' in first
    assert '<th scope="col" class="num">2026-09</th>' in page.text
    assert (
        'action="/feedback/pins"' in page.text and 'action="/feedback/themes/rename"' in page.text
    )


def test_an_agent_reads_the_themes_without_the_forms(client: TestClient, seeded: Database) -> None:
    sign_in(client, seeded, "agent")
    page = client.get(f"/feedback/themes?{PERIOD}")
    assert page.status_code == 200
    assert "5 themes" in plain(page.text)
    assert 'action="/feedback/pins"' not in page.text
    assert (
        client.post("/feedback/pins", data={"clause": "returns", "query": "x"}).status_code == 403
    )


def test_renaming_a_theme_through_the_form_holds_after_the_themes_are_found_again(
    client: TestClient, seeded: Database
) -> None:
    sign_in(client, seeded, "manager")
    page = client.get(f"/feedback/themes?{PERIOD}")
    chat = key_named(page.text, "chat")
    done = client.post("/feedback/themes/rename", data={
        "key": chat, "name": "Waiting on live chat", "back": PERIOD,
        "csrf_token": csrf_of(page.text),
    }, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == f"/feedback/themes?{PERIOD}&done=renamed"
    _gather._FOUND.clear()
    again = client.get(done.headers["location"])
    assert "Renamed the theme." in plain(again.text)
    assert re.search(r'<h2 id="theme-\d-name">Waiting on live chat</h2>', again.text)


def test_a_bad_pin_query_is_shown_again_with_its_column_and_nothing_is_saved(
    client: TestClient, seeded: Database
) -> None:
    sign_in(client, seeded, "manager")
    page = client.get(f"/feedback/themes?{PERIOD}")
    refused = client.post("/feedback/pins", data={
        "clause": "returns", "query": "refund AND", "back": PERIOD,
        "csrf_token": csrf_of(page.text),
    })  # fmt: skip
    assert refused.status_code == 422
    text = plain(refused.text)
    assert "Pin query 'refund AND', column 8: AND needs a word" in text
    assert 'value="refund AND"' in refused.text  # what was typed, kept
    assert "No pins yet." in text


def test_a_pin_from_the_form_pulls_the_united_states_comment_and_can_be_removed(
    client: TestClient, seeded: Database
) -> None:
    sign_in(client, seeded, "manager")
    page = client.get(f"/feedback/themes?{PERIOD}")
    token = csrf_of(page.text)
    # The delivery theme (17) is closest to the UK express delivery clause; the United
    # States comment sits with the refunds (19) until the pin moves it: 18 and 18.
    done = client.post("/feedback/pins", data={
        "clause": "delivery.delivery-uk-express", "query": '"united states"', "back": PERIOD,
        "csrf_token": token,
    }, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    text = plain(after.text)
    assert "Pinned the query" in text
    assert text.count("18 comments") == 2 and "19 comments" not in text
    (delivery,) = [s for s in after.text.split('<section class="theme"') if "courier" in s[:300]]
    assert '<span class="badge">pinned</span>' in delivery
    pin_id = re.search(r'<tr id="pin-(\d+)"', after.text)
    assert pin_id is not None
    gone = client.post("/feedback/pins/remove", data={
        "id": pin_id.group(1), "back": PERIOD, "csrf_token": token,
    }, follow_redirects=False)  # fmt: skip
    assert "19 comments" in plain(client.get(gone.headers["location"]).text)


def test_a_period_that_is_not_a_day_is_refused_naming_it(
    client: TestClient, seeded: Database
) -> None:
    sign_in(client, seeded, "manager")
    page = client.get("/feedback/themes?from=yesterday")
    assert page.status_code == 422
    assert "from: 'yesterday' is not a day; write it as YYYY-MM-DD" in plain(page.text)
    later = client.get("/feedback/themes?from=2026-12-01&to=2026-11-01")
    assert "from: 2026-12-01 is after to: 2026-11-01" in plain(later.text)


def test_the_sections_page_tallies_clear_and_lists_the_comments(
    client: TestClient, seeded: Database
) -> None:
    sign_in(client, seeded, "agent")
    page = client.get("/feedback/sections")
    assert page.status_code == 200
    row = plain(page.text.split('href="#section-returns"')[1].split("</tr>")[0])
    # 86 ratings of Returns: not clear for n = 0, 5, ..., 85 (18), clear for the other 68;
    # nobody answered fair; every one carried a comment.
    assert row.split()[-6:] == ["86", "68", "18", "0", "0", "86"]
    assert "The newest 20 of 86 comments." in plain(page.text)


def test_the_api_gives_the_themes_and_takes_a_pin_or_refuses_it(
    client: TestClient, seeded: Database
) -> None:
    headers = bearer(seeded, "manager")
    found = client.get("/api/feedback/themes?since=2026-09-01&until=2026-11-30", headers=headers)
    assert found.status_code == 200
    body = found.json()
    assert [t["size"] for t in body["themes"]] == [19, 17, 17, 17, 16]
    assert body["themes"][0]["clauses"][0]["clause_id"] == "returns"
    bad = client.post("/api/feedback/pins", json={"clause_id": "returns", "query": "(refund"},
                      headers=headers)  # fmt: skip
    assert bad.status_code == 422
    assert "column 1: this bracket is never closed" in bad.text
    made = client.post("/api/feedback/pins", json={"clause_id": "returns", "query": "refund*"},
                       headers=headers)  # fmt: skip
    assert made.status_code == 201 and made.json()["query"] == "refund*"
    assert (
        client.delete(f"/api/feedback/pins/{made.json()['id']}", headers=headers).status_code == 204
    )
    # An id past PostgreSQL's integer is refused as such, not sent to the database.
    huge = client.delete("/api/feedback/pins/2147483648", headers=headers)
    assert huge.status_code == 422 and "pin_id" in huge.text
    sections = client.get("/api/feedback/sections", headers=headers).json()
    returns = next(s for s in sections if s["section"] == "returns")
    assert (returns["ratings"], returns["clear_no"], len(returns["comments"])) == (86, 18, 20)
