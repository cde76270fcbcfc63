"""The tickets worklist: its default order, sorting, search, filters, "my tickets",
saved views, CSV export and the way back from a ticket, on a hand-built story.

The story is the desk story of ``support.cases`` (a 2 h first response and an 8 h
resolution on a Mon-Fri 09:00-17:30 London desk, email only), judged on Tue 6 Jan 2026
at 16:30 UTC (London is on UTC in January), with two more tickets and assignees:

- A email, normal, solved Tue 14:00, its solve instant given (assigned to the signed-in
  agent's e-mail).
- C email, high, created Tue 15:00, no reply: first response at risk, due Tue 17:00;
  resolution due Wed 14:30 (assigned to the agent's e-mail in capitals).
- D email, low, created Tue 09:00, replied 09:30, pending since 10:00: its resolution
  is paused with target left, so it has no due (assigned to "bo").
- E phone, normal, created Tue 09:00: no rule governs phone, no clock.
- F email, urgent, created Mon 09:00, never answered: first response due Mon 11:00 and
  resolution due Mon 17:00 (8 h to the minute), both breached; unsolved, its resolution
  runs on overdue, so its next due is Mon 17:00, the soonest of all (assigned to the
  agent's name).
- G "EMAIL" (the import writes channels in lower case), low, created Tue 12:00, no
  reply: first response due Tue 14:00, breached; resolution due Wed 11:30 (5.5 h on
  Tue, 2.5 h on Wed), pending. Its assignee starts with "=", a spreadsheet formula.

Teams are kept as the helpdesk wrote them: A "Tier-1", C "tier-1", D "TIER-1", E and F
"tier-2", G none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.tickets.generic import import_generic
from support.cases import DESK_AT, DESK_EVENTS, DESK_POLICY
from support.pages import csrf_of, sign_in
from support.ticket_store import publish, rows

NOW = dt.datetime.fromisoformat(DESK_AT)  # Tue 6 Jan 2026 16:30 UTC
FORMULA = '=HYPERLINK("http://x")'


def tickets_csv(email: str, name: str) -> str:
    return (
        "id,created_at,channel,priority,status,assignee,solved_at,team\n"
        f"A,2026-01-05T15:30:00Z,email,normal,solved,{email},2026-01-06T14:00:00Z,Tier-1\n"
        f"C,2026-01-06T15:00:00Z,email,high,open,{email.upper()},,tier-1\n"
        "D,2026-01-06T09:00:00Z,email,low,pending,bo,,TIER-1\n"
        "E,2026-01-06T09:00:00Z,phone,normal,open,,,tier-2\n"
        f"F,2026-01-05T09:00:00Z,email,urgent,open,{name},,tier-2\n"
        f'G,2026-01-06T12:00:00Z,EMAIL,low,open,"{FORMULA.replace(chr(34), chr(34) * 2)}",,\n'
    )


@pytest.fixture
def story(
    client: TestClient, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, int]:
    """The story stored, judged at ``NOW`` and the clock stopped there; an agent signed in.
    Store ids by the helpdesk's id."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    agent = sign_in(client, database, "agent")
    publish(database, DESK_POLICY)
    (tmp_path / "tickets.csv").write_text(tickets_csv(agent.email, agent.name), "utf-8")
    (tmp_path / "events.csv").write_text(DESK_EVENTS, "utf-8")
    imported = import_generic([tmp_path / "tickets.csv", tmp_path / "events.csv"])
    import_tickets(database, imported, source="files", batch_size=50)
    recompute_sla(database, now=NOW, everything=True)
    found = rows(database, "SELECT id, source_id FROM tickets")
    return {source_id: id_ for id_, source_id in found}


def order(client: TestClient, query: str = "") -> list[int]:
    page = client.get(f"/tickets?{query}")
    assert page.status_code == 200, page.text
    return [int(i) for i in re.findall(r'<th scope="row"><a href="/tickets/(\d+)', page.text)]


def ids(story: dict[str, int], names: str) -> list[int]:
    return [story[name] for name in names]


def test_worklist_story_opens_on_unsolved_tickets_soonest_due_first(
    client: TestClient, story: dict[str, int]
) -> None:
    # Unsolved first, by next due: F overdue since Mon 17:00, C (Tue 17:00), G (Wed
    # 11:30). Then the unsolved without one (D paused, E no rule), newest first: both
    # Tue 09:00, by id, highest first. Solved A last.
    tied = sorted(ids(story, "DE"), reverse=True)
    assert order(client) == ids(story, "FCG") + tied + ids(story, "A")


def test_worklist_story_sorts_by_priority_most_urgent_first_and_back(
    client: TestClient, story: dict[str, int]
) -> None:
    # urgent F, high C, normal E (Tue) and A (Mon), low G (Tue 12:00) and D (Tue 09:00);
    # the other way round the ranks reverse, each rank still newest first.
    assert order(client, "sort=priority") == ids(story, "FCEAGD")
    assert order(client, "sort=-priority") == ids(story, "GDEACF")
    page = client.get("/tickets?sort=priority").text
    assert '<th scope="col" aria-sort="ascending"><a href="/tickets?sort=-priority">' in page
    # Every column header is a sort link that keeps the filters.
    headers = re.findall(r'<th scope="col"[^>]*><a href="/tickets\?([^"]*)">', page)
    assert len(headers) == 9
    filtered = client.get("/tickets?channel=email").text
    assert '<a href="/tickets?channel=email&amp;sort=assignee">Assignee</a>' in filtered


def test_worklist_story_filters_offer_the_values_that_exist_whatever_their_case(
    client: TestClient, story: dict[str, int]
) -> None:
    page = client.get("/tickets").text
    start = page.index('<select id="team"')
    team = page[start : page.index("</select>", start)]
    # "Tier-1", "tier-1" and "TIER-1" are one value; tier-2 the other: any, both.
    assert re.findall(r'<option value="([^"]*)"', team) == ["", "tier-1", "tier-2"]
    assert sorted(order(client, "team=TIER-1")) == sorted(ids(story, "ACD"))
    # email keeps A, C, D, F and G whatever the case; solved keeps A; open the rest.
    assert sorted(order(client, "channel=email")) == sorted(ids(story, "ACDFG"))
    assert sorted(order(client, "channel=EMAIL&status=open")) == sorted(ids(story, "CDFG"))
    assert order(client, "status=solved") == ids(story, "A")
    assert order(client, "priority=LOW&sort=id") == sorted(ids(story, "DG"))
    assert "selected>low</option>" in client.get("/tickets?priority=LOW").text
    # The SLA state: A's reply came late; F's and G's clocks broke too (in the list's
    # order: F overdue since Mon 17:00, G due Wed 11:30, A solved). C's first response
    # is at risk.
    assert order(client, "sla_status=breached") == ids(story, "FGA")
    assert order(client, "sla_status=at_risk") == ids(story, "C")


def test_worklist_story_finds_a_ticket_by_its_id_or_its_helpdesk_id(
    client: TestClient, story: dict[str, int]
) -> None:
    assert order(client, f"q={story['C']}") == ids(story, "C")
    assert order(client, f"q=%23{story['C']}") == ids(story, "C")
    assert order(client, "q=F") == ids(story, "F")
    assert order(client, "q=nothing-like-it") == []


def test_worklist_story_due_within_hours_counts_from_now(
    client: TestClient, story: dict[str, int]
) -> None:
    # Now is Tue 16:30. Within 1 h: C (17:00). Within 19 h (to Wed 11:30, not
    # included): still C alone; within 22 h (to Wed 14:30): C, then G (Wed 11:30). F's
    # dues passed (Mon): it is found as breached, not as due; D's clock is paused.
    assert order(client, "due_within=1") == ids(story, "C")
    assert order(client, "due_within=19") == ids(story, "C")
    assert order(client, "due_within=22") == ids(story, "CG")
    assert "next due within 1 h" in client.get("/tickets?due_within=1").text


def test_worklist_story_my_tickets_are_those_assigned_to_my_email_or_my_name(
    client: TestClient, story: dict[str, int]
) -> None:
    # A (my e-mail), C (my e-mail in capitals) and F (my name); open ones: F (overdue
    # since Mon 17:00), then C (due Tue 17:00).
    assert sorted(order(client, "mine=1")) == sorted(ids(story, "ACF"))
    assert order(client, "mine=1&status=open") == ids(story, "FC")


def test_worklist_story_the_count_links_to_a_list_of_exactly_that_many(
    client: TestClient, story: dict[str, int]
) -> None:
    page = client.get("/tickets?status=open&channel=email&per_page=2").text
    # C, D, F and G are open e-mail tickets: 4, over two pages of 2.
    link, words = re.findall(r'<a href="/tickets\?([^"]*)" class="count">([^<]*)</a>', page)[0]
    assert words == "4 tickets"
    query = link.replace("&amp;", "&")
    listed = order(client, query) + order(client, query + "&page=2")
    assert sorted(listed) == sorted(ids(story, "CDFG"))


def test_worklist_story_saved_views_belong_to_their_person(
    client: TestClient, database: Database, story: dict[str, int]
) -> None:
    token = csrf_of(client.get("/tickets").text)
    saved = client.post(
        "/tickets/views",
        data={"name": " Mine, open ", "query": "mine=1&status=open&page=3", "csrf_token": token},
        follow_redirects=False,
    )
    # Saved without the page number, named as typed less the spaces around it.
    assert (
        saved.status_code == 303
        and saved.headers["location"] == "/tickets?mine=1&status=open&page=3"
    )
    page = client.get("/tickets").text
    assert '<a href="/tickets?mine=1&amp;status=open&amp;page=3">Mine, open</a>' in page
    too_long = "is not a usable name; a saved view's name is at most 60"
    for bad, words in (("", "name: a saved view needs a name"), ("x" * 61, too_long)):
        refused = client.post(
            "/tickets/views", data={"name": bad, "query": "", "csrf_token": token}
        )
        assert refused.status_code == 422 and words in refused.text.replace("&#39;", "'")
    view_id = re.findall(r'action="/tickets/views/(\d+)/delete"', page)[0]
    # Another person sees none of it and cannot delete it.
    other = TestClient(client.app)
    sign_in(other, database, "agent")
    assert "Mine, open" not in other.get("/tickets").text
    other_token = csrf_of(other.get("/tickets").text)
    gone = other.post(f"/tickets/views/{view_id}/delete", data={"csrf_token": other_token})
    assert gone.status_code == 404
    deleted = client.post(f"/tickets/views/{view_id}/delete", data={"csrf_token": token},
                          follow_redirects=False)  # fmt: skip
    assert deleted.status_code == 303 and "Mine, open" not in client.get("/tickets").text
    # An id past the databases' integers (19 digits, over 2**63) is no view: a 404 page,
    # not an overflow in the database.
    beyond = client.post("/tickets/views/9999999999999999999/delete", data={"csrf_token": token})
    assert beyond.status_code == 404 and "saved view 9999999999999999999 not found" in beyond.text


def test_worklist_story_csv_export_holds_exactly_the_filter_with_formulas_as_text(
    client: TestClient, story: dict[str, int]
) -> None:
    page = client.get("/tickets?channel=email&status=open").text
    link = re.findall(r'href="(/tickets/export\.csv[^"]*)"', page)[0].replace("&amp;", "&")
    answer = client.get(link)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(answer.text)))
    # The list's order: F (overdue since Mon 17:00), C (due Tue 17:00), G (due Wed
    # 11:30), then D, paused, without a due.
    assert [int(r["id"]) for r in lines] == ids(story, "FCGD")
    by_source = {r["source_id"]: r for r in lines}
    assert by_source["G"]["assignee"] == "'" + FORMULA
    assert by_source["C"]["next_due_at"] == "2026-01-06T17:00:00+00:00"
    assert by_source["F"]["sla"] == "breached" and by_source["D"]["next_due_at"] == ""


def test_worklist_story_a_ticket_links_back_to_the_list_it_was_opened_from(
    client: TestClient, story: dict[str, int]
) -> None:
    page = client.get("/tickets?channel=email&sort=priority&per_page=2&page=2").text
    first = re.findall(r'<th scope="row"><a href="(/tickets/\d+[^"]*)"', page)[0]
    ticket = client.get(first.replace("&amp;", "&")).text
    back = re.findall(r'<p class="back"><a href="([^"]+)">Back to the list</a>', ticket)[0]
    assert parse_qs(urlsplit(back.replace("&amp;", "&")).query) == {
        "channel": ["email"], "sort": ["priority"], "per_page": ["2"], "page": ["2"],
    }  # fmt: skip
    # A back parameter is reduced to the list's own parameters, so it cannot lead away.
    odd = client.get(f"/tickets/{story['C']}?back=next%3Dhttp://evil%26team%3Dtier-1").text
    assert '<a href="/tickets?team=tier-1">Back to the list</a>' in odd


def test_worklist_story_an_export_past_its_bound_is_refused_naming_the_count(
    client: TestClient, story: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # With room for 3 tickets, the 4 open e-mail tickets (C, D, F, G) are refused before
    # any line is written; the form shows again with the count.
    monkeypatch.setattr("charter.services.ticket_export.EXPORT_LIMIT", 3)
    answer = client.get("/tickets/export.csv?status=open&channel=email")
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "the filters keep 4 tickets; an export holds at most 3" in answer.text
    assert client.get("/tickets/export.csv?status=solved").status_code == 200
