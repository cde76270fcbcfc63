"""``/complaints`` and ``/complaints/{id}``: the list's counts link to lists of exactly
that many, the case page shows each stage's deadlines in local time with their steps,
and its forms act (with CSRF) or show the reason they were refused.

Tickets on ``uk-support`` (support.complaints), in December 2026 (GMT): received
Thursday 3 December 10:00, acknowledge by Friday 4, answer (counted from the
acknowledgment's deadline until there is one) by Monday 7 December.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient

from charter.services import complaints
from charter.store import Database
from support.complaints import FRONT_LINE, add_ticket, person, publish_complaints
from support.pages import csrf_of, sign_in

RECEIVED = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
COUNT_LINK = re.compile(r'<a href="(/complaints\?[^"]*)">([0-9,]+) ')


@pytest.fixture
def seeded(client: TestClient, database: Database) -> list[int]:
    """Three cases: two at stage 1 (one acknowledged), one moved to stage 2."""
    publish_complaints(database)
    ann = person(database, "Ann")
    ids = []
    for ref in ("P-1", "P-2", "P-3"):
        add_ticket(database, ref, RECEIVED)
        ids.append(complaints.open_complaint(database, ref, ann, now=RECEIVED))
    complaints.acknowledge(database, ids[1], ann, now=RECEIVED + dt.timedelta(hours=1))
    complaints.escalate(database, ids[2], ann, reason="the customer asked",
                        now=RECEIVED + dt.timedelta(hours=2))  # fmt: skip
    sign_in(client, database, "agent")
    return ids


def rows_of(page: str) -> list[str]:
    return re.findall(r'<tr id="complaint-(\d+)"', page)


def test_each_count_on_the_list_links_to_a_list_of_exactly_that_many(
    client: TestClient, seeded: list[int]
) -> None:
    page = client.get("/complaints").text
    assert "3 open complaints" in page
    links = COUNT_LINK.findall(page)
    # 2 at the front line, 1 at review, and all 3 overdue now (any day after Saturday
    # 5 December 2026): P-1's acknowledgment was due Fri 4; P-2's response, counted from
    # its acknowledgment on Thu 3, Sat 5 (Fri 4, Sat 5); P-3's review acknowledgment,
    # 2wd from its escalation on Thu 3, Sat 5.
    assert {html.unescape(href): int(n) for href, n in links} == {
        f"/complaints?stage={FRONT_LINE}": 2,
        "/complaints?stage=complaint-review": 1,
        "/complaints?overdue=1": 3,
    }
    for href, count in links:
        assert len(rows_of(client.get(html.unescape(href)).text)) == int(count), href


def test_the_case_page_shows_the_deadlines_in_local_time_with_their_steps(
    client: TestClient, seeded: list[int]
) -> None:
    page = client.get(f"/complaints/{seeded[0]}").text
    assert "Fri 04 Dec 2026 23:59 GMT" in page
    assert "Mon 07 Dec 2026 23:59 GMT" in page
    assert "received Thursday 3 December 2026 at 10:00" in page
    assert "Thursday 3 December 2026 is day 0" in page
    assert 'id="next-due"' in page and "the acknowledgment of stage 1" in page


def test_the_second_handler_is_refused_on_the_page_and_another_accepted(
    client: TestClient, database: Database, seeded: list[int]
) -> None:
    case_id = seeded[0]
    bob, cy = person(database, "Bob"), person(database, "Cy")
    page = client.get(f"/complaints/{case_id}").text
    token = csrf_of(page)
    answer = client.post(f"/complaints/{case_id}/assign",
                         data={"handler": str(bob.id), "csrf_token": token})  # fmt: skip
    assert answer.status_code == 200 and "Handler assigned." in answer.text
    client.post(f"/complaints/{case_id}/respond", data={"csrf_token": token})
    client.post(f"/complaints/{case_id}/escalate", data={"csrf_token": token, "reason": ""})
    refused = client.post(f"/complaints/{case_id}/assign",
                          data={"handler": str(bob.id), "csrf_token": token})  # fmt: skip
    assert refused.status_code == 409
    assert "Bob handled stage 1, and stage 2" in html.unescape(refused.text)
    taken = client.post(f"/complaints/{case_id}/assign",
                        data={"handler": str(cy.id), "csrf_token": token})  # fmt: skip
    assert taken.status_code == 200
    assert re.search(r'<dd class="handler">Cy', taken.text)


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, seeded: list[int]) -> None:
    answer = client.post(f"/complaints/{seeded[0]}/acknowledge", data={})
    assert answer.status_code == 403


def test_a_bad_filter_shows_the_page_with_its_message(client: TestClient, seeded: list[int]
                                                      ) -> None:  # fmt: skip
    answer = client.get("/complaints?measure=happy")
    assert answer.status_code == 422
    assert "measure &#39;happy&#39; is not one of" in answer.text


def test_opening_a_ticket_that_has_a_case_says_which(client: TestClient, seeded: list[int]
                                                     ) -> None:  # fmt: skip
    token = csrf_of(client.get("/complaints").text)
    answer = client.post("/complaints", data={"ticket": "P-1", "csrf_token": token})
    assert answer.status_code == 409
    assert f"already has complaint {seeded[0]}" in answer.text


def test_a_complaint_from_before_any_version_says_so_and_reads_in_local_time(
    client: TestClient, database: Database, seeded: list[int]
) -> None:
    # The policy has been in force since 2020; a ticket of Mon 3 June 2019 10:00 UTC came
    # before it, so its case follows that first version and the page says none was in
    # force at receipt. On uk-support (Europe/London) 10:00 UTC in June is 11:00 BST,
    # in the list and on the page alike.
    add_ticket(database, "OLD-1", dt.datetime(2019, 6, 3, 10, tzinfo=dt.UTC))
    old = complaints.open_complaint(database, "OLD-1", person(database, "Bo"))
    page = client.get(f"/complaints/{old}").text
    assert "(the first in force: none was at receipt)" in page
    assert "Mon 03 Jun 2019 11:00 BST" in page
    assert "(in force at receipt)" in client.get(f"/complaints/{seeded[0]}").text
    listed = client.get("/complaints").text
    assert "Mon 03 Jun 2019 11:00 BST" in listed
    assert "Thu 03 Dec 2026 10:00 GMT" in listed and "10:00 UTC" not in listed


def test_a_case_id_past_the_databases_integers_is_refused_politely(
    client: TestClient, seeded: list[int]
) -> None:
    answer = client.get("/complaints/9223372036854775808")
    assert answer.status_code in (404, 422)
    assert "Traceback" not in answer.text and answer.status_code != 500
