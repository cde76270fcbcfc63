"""The tickets pages: the filtered, paginated list and one ticket with its clocks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from fastapi.testclient import TestClient

from charter.policy import load_policy_text
from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.tickets.dataset import TicketData
from charter.tickets.generic import import_generic
from charter.tickets.synth import synthesize
from support import EXAMPLE_TEXT
from support.cases import DESK_AT, DESK_EVENTS, DESK_POLICY, DESK_TICKETS
from support.pages import sign_in
from support.seed import publish_example
from support.ticket_store import publish, result_of, rows

# Two weeks of history either side of the clocks going back in London (25 Oct 2026),
# judged on the evening of the last day so some clocks still run.
NOW = dt.datetime(2026, 10, 28, 18, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")  # the example policy's first calendar
WORDS = {"met": "met", "breached": "breached", "pending": "pending", "at_risk": "at risk",
         "none": "not started"}  # fmt: skip
HEADINGS = {"first_response": "First response", "next_response": "Next response",
            "resolution": "Resolution"}  # fmt: skip


@dataclass(frozen=True)
class Desk:
    client: TestClient
    data: TicketData
    ids: dict[str, int]  # source id -> store id
    states: pl.DataFrame  # the engine's targeted states at NOW, by source id


@pytest.fixture
def desk(client: TestClient, database: Database) -> Desk:
    publish_example(database)
    data = synthesize(80, 14, 5, start=dt.date(2026, 10, 15))
    import_tickets(database, result_of(data), source="synth", batch_size=50)
    recompute_sla(database, now=NOW, everything=True)
    sign_in(client, database, "agent")
    ids = {source_id: id_ for id_, source_id in rows(database, "SELECT id, source_id FROM tickets")}
    states = evaluate(load_policy_text(EXAMPLE_TEXT).policy, data, NOW).filter(
        pl.col("target_seconds").is_not_null() | pl.col("target_working_days").is_not_null()
    )
    return Desk(client, data, ids, states)


EVERY = pl.lit(True)


def newest_first(desk: Desk, keep: pl.Expr = EVERY) -> list[int]:
    frame = desk.data.tickets.filter(keep).with_columns(
        pl.col("id").replace_strict(desk.ids, return_dtype=pl.Int64).alias("store_id")
    )
    return frame.sort("created_at", "store_id", descending=True)["store_id"].to_list()


def having(desk: Desk, status: str) -> pl.Expr:
    chosen = desk.states.filter(pl.col("status") == status)["ticket_id"].unique()
    return pl.col("id").is_in(chosen.implode())


def london(at: dt.datetime, seconds: bool = False) -> str:
    return at.astimezone(LONDON).strftime(f"%a %d %b %Y %H:%M{':%S' if seconds else ''} %Z")


def utc(at: dt.datetime, seconds: bool = False) -> str:
    return at.astimezone(dt.UTC).strftime(f"%a %d %b %Y %H:%M{':%S' if seconds else ''} UTC")


class Tables(HTMLParser):
    """Each table's rows as lists of cell texts, and every link, as a reader meets them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, str] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = found.get("class") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "a":
            self._link = (found.get("href") or "", [])
        elif tag == "span" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "a" and self._link is not None:
            self.links[" ".join("".join(self._link[1]).split())] = self._link[0]
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def rows(self, table: str) -> list[dict[str, str]]:
        """The table's body rows, each cell under its column heading."""
        head, *body = self.tables[table]
        return [dict(zip(head, row, strict=True)) for row in body]


def listed(client: TestClient, query: str) -> Tables:
    page = client.get(f"/tickets?{query}")
    assert page.status_code == 200, page.text
    return Tables(page.text)


def listed_ids(tables: Tables) -> list[int]:
    return [int(row["Ticket"].split()[0]) for row in tables.rows("tickets")]


def test_sorted_newest_first_the_list_shows_each_tickets_worst_sla_status(desk: Desk) -> None:
    tables = listed(desk.client, "per_page=200&sort=-created")
    assert listed_ids(tables) == newest_first(desk)
    by_id = {int(row["Ticket"].split()[0]): row for row in tables.rows("tickets")}
    # The worst status among a ticket's clocks: breached, then at risk, pending, met,
    # not started (the engine's statuses at NOW, read here in that order).
    order = ["breached", "at_risk", "pending", "met", "none"]
    worst = desk.states.group_by("ticket_id").agg(
        pl.col("status").replace_strict({s: i for i, s in enumerate(order)}).min()
    )
    for source_id, rank in worst.iter_rows():
        assert by_id[desk.ids[source_id]]["SLA"].startswith(WORDS[order[rank]]), source_id
    assert len(worst) > 50 and {"met", "breached", "pending"} <= set(desk.states["status"])


def test_due_times_are_one_per_row_in_the_chosen_zone_with_utc_in_the_title(
    desk: Desk,
) -> None:
    page = desk.client.get("/tickets?per_page=200").text
    assert "Times in Europe/London" in page
    due = re.findall(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', page)
    # Unsolved tickets' next due instants (after the clocks went back: GMT).
    assert due and {shown[-3:] for _, _, shown in due} == {"GMT"}
    for iso, title, shown in due:
        instant = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        assert (title, shown) == (utc(instant), london(instant))
    page = desk.client.get("/tickets?per_page=200&tz=america/new_york").text
    iso, title, shown = re.findall(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>',
                                   page)[0]  # fmt: skip
    instant = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    new_york = instant.astimezone(ZoneInfo("America/New_York"))
    assert shown == new_york.strftime("%a %d %b %Y %H:%M %Z") and title == utc(instant)


def test_without_a_published_policy_the_list_is_in_utc_without_statuses(
    client: TestClient, database: Database
) -> None:
    import_tickets(database, result_of(synthesize(10, 7, 2)), source="synth", batch_size=50)
    sign_in(client, database, "manager")
    page = client.get("/tickets")
    assert page.status_code == 200
    assert "Times in UTC" in page.text and "No policy is published yet" in page.text
    assert list(Tables(page.text).rows("tickets")[0]) == [
        "Ticket", "Helpdesk id", "Status", "Priority", "Channel", "Team", "Assignee", "SLA",
        "Next due",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("channel=email", lambda d: pl.col("channel") == "email"),
        ("team=tier-2", lambda d: pl.col("team") == "tier-2"),
        ("sla_status=breached", lambda d: having(d, "breached")),
        ("sla_status=pending&channel=chat",
         lambda d: having(d, "pending") & (pl.col("channel") == "chat")),
        ("sla_status=&channel=&team=", lambda d: pl.lit(True)),
    ],
)  # fmt: skip
def test_filters_in_the_url_keep_exactly_their_tickets(
    desk: Desk, query: str, keep: Callable[[Desk], pl.Expr]
) -> None:
    expected = newest_first(desk, keep(desk))
    assert expected, "the synthetic history should hold such tickets"
    page = desk.client.get(f"/tickets?per_page=200&sort=-created&{query}").text
    assert listed_ids(Tables(page)) == expected
    for name, value in parse_qs(query).items():
        assert f'<option value="{value[0]}" selected>' in page, name


def test_a_filter_nothing_matches_says_so(desk: Desk) -> None:
    page = desk.client.get("/tickets?channel=carrier-pigeon").text
    assert "No stored ticket matches these filters" in page and 'class="tickets"' not in page


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("sla_status=late", "sla_status 'late' is not an SLA status; use one of met, breached"),
        ("page=abc", "page 'abc' is not a whole number from 1 to 1,000,000"),
        ("page=0", "page '0' is not a whole number from 1 to 1,000,000"),
        ("page=99999999", "page '99999999' is not a whole number from 1 to 1,000,000"),
        ("per_page=500", "per_page '500' is not a whole number from 1 to 200"),
        ("per_page=-1", "per_page '-1' is not a whole number"),
        ("team=" + "x" * 201, "the team filter must be at most 200 characters"),
        ("channel=e%01mail", "the channel filter must be at most 200 characters with no control"),
        ("sort=colour", "sort 'colour' is not a column to sort by; use one of due, id"),
        ("status=closed", "status 'closed' is not one of open, solved"),
        ("due_within=0", "due_within '0' is not a whole number from 1 to 720"),
        ("mine=maybe", "mine 'maybe' is not a yes: write mine=1"),
        ("tz=Mars/Olympus", "tz 'Mars/Olympus' is not a time zone"),
    ],
)
def test_a_bad_filter_shows_the_form_again_with_a_message_naming_it(
    client: TestClient, database: Database, query: str, words: str
) -> None:
    sign_in(client, database, "agent")
    page = client.get(f"/tickets?{query}")
    assert page.status_code == 422
    assert words in page.text.replace("&#39;", "'")
    assert 'role="alert"' in page.text and '<label for="sla_status">' in page.text
    assert 'class="tickets"' not in page.text


def test_pagination_links_keep_the_filters_and_walk_every_match(desk: Desk) -> None:
    expected = newest_first(desk, pl.col("channel") == "email")
    assert len(expected) > 14, "needs at least three pages of seven"
    seen, link, pages = [], "/tickets?channel=email&per_page=7&sort=-created", 0
    while link:
        tables = Tables(desk.client.get(link).text)
        seen += listed_ids(tables)
        pages += 1
        assert ("Previous" in tables.links) == (pages > 1)
        link = tables.links.get("Next", "")
        if link:
            kept = parse_qs(urlsplit(link).query)
            assert kept == {"channel": ["email"], "per_page": ["7"], "sort": ["-created"],
                            "page": [str(pages + 1)]}  # fmt: skip
    assert seen == expected and pages == -(-len(expected) // 7)


def test_a_page_past_the_end_offers_the_last_page_with_the_filters(desk: Desk) -> None:
    tables = listed(desk.client, "team=tier-1&per_page=5&page=500")
    last = -(-len(newest_first(desk, pl.col("team") == "tier-1")) // 5)
    assert tables.links["Go to the last page"] == f"/tickets?team=tier-1&per_page=5&page={last}"


def busiest(desk: Desk) -> str:
    """The source id of a ticket with the most events."""
    counts = desk.data.events.group_by("ticket_id").len().sort(["len", "ticket_id"])
    return str(counts["ticket_id"][-1])


def test_the_ticket_page_shows_its_timeline_in_order_in_both_timezones(desk: Desk) -> None:
    source_id = busiest(desk)
    page = desk.client.get(f"/tickets/{desk.ids[source_id]}")
    assert page.status_code == 200
    events = desk.data.events.filter(pl.col("ticket_id") == source_id)
    assert events.height >= 3
    kinds = {"customer_message": "Customer message", "agent_reply": "Agent reply"}
    expected = []
    for number, (at, kind, status) in enumerate(events.select("at", "kind", "status").iter_rows()):
        instant = at.replace(tzinfo=dt.UTC)
        what = f"Status changed to {status}" if kind == "status" else kinds[kind]
        expected.append([str(number + 1), f"{london(instant, True)} {utc(instant, True)}", what])
    assert Tables(page.text).tables["timeline"][1:] == expected


def test_the_ticket_page_links_the_rule_to_its_clause_and_names_the_version(desk: Desk) -> None:
    for rule in ("sl-default", "sl-chat"):
        source_id = desk.states.filter(pl.col("rule_id") == rule)["ticket_id"][0]
        page = desk.client.get(f"/tickets/{desk.ids[source_id]}").text
        assert f'<a href="/handbook#service_levels.rules.{rule}">{rule}' in page
        assert "larkfield version 1</strong> (published)" in page
        assert f'as of <time datetime="{NOW.isoformat().replace("+00:00", "Z")}">' in page


def test_each_metric_clock_shows_status_target_due_and_elapsed(desk: Desk) -> None:
    mine = desk.states.filter(pl.col("rule_id") == "sl-default")
    source_id = mine.filter(pl.col("status") == "met")["ticket_id"][0]
    page = desk.client.get(f"/tickets/{desk.ids[source_id]}").text
    clocks = {row["Metric"]: row for row in Tables(page).rows("clocks")}
    targets = {"first_response": "8 business hours on UK customer care",
               "next_response": "12 business hours on UK customer care",
               "resolution": "40 business hours on UK customer care"}  # fmt: skip
    for metric, status, due, elapsed in (
        mine.filter(pl.col("ticket_id") == source_id)
        .select("metric", "status", "due_at", "elapsed_seconds")
        .iter_rows()
    ):
        row = clocks[HEADINGS[metric]]
        assert row["Status"] == WORDS[status] or row["Status"].startswith(f"{WORDS[status]} (")
        assert row["Target"].startswith(targets[metric])
        if due is not None:
            due_at = due.replace(tzinfo=dt.UTC)
            assert row["Due"] == f"{london(due_at)} {utc(due_at)}"
        if elapsed is not None:
            hours, minutes = divmod(round(elapsed / 60), 60)
            words = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
            assert row["Elapsed"] in (words, "under 1 min"), (row, elapsed)


@pytest.mark.parametrize("role", ["agent", "manager", "admin"])
def test_staff_of_every_role_can_see_the_list_and_a_ticket(
    client: TestClient, database: Database, role: str
) -> None:
    import_tickets(database, result_of(synthesize(5, 3, 1)), source="synth", batch_size=50)
    sign_in(client, database, role)
    first = listed_ids(listed(client, ""))[0]
    page = client.get(f"/tickets/{first}")
    assert page.status_code == 200 and f"<h1>Ticket {first}</h1>" in page.text


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/tickets?channel=email&page=2", "/login?next=/tickets%3Fchannel%3Demail%26page%3D2"),
        ("/tickets/7", "/login?next=/tickets/7"),
    ],
)
def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(
    client: TestClient, path: str, location: str
) -> None:
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == location


@pytest.mark.parametrize(
    ("ticket", "words"),
    [
        ("999999", "ticket 999999 not found: no stored ticket has that id"),
        ("0", "ticket 0 not found"),
        ("12x", "ticket '12x' not found: ticket ids are whole numbers"),
    ],
)
def test_an_unknown_ticket_is_a_not_found_page_with_the_reason(
    client: TestClient, database: Database, ticket: str, words: str
) -> None:
    sign_in(client, database, "agent")
    page = client.get(f"/tickets/{ticket}")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in page.text and words in page.text.replace("&#39;", "'")


FAX_ONLY = """
organisation: {name: Fax Co, mission: Answer faxes}
calendars:
  - {id: ny, timezone: America/New_York, weekly: {mon: ["09:00-17:00"]}}
  - {id: uk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]}}
service_levels:
  rules:
    - {id: fax, when: {channel: [fax]}, targets: {first_response: {within: 1h, clock: ny}}}
"""


def test_a_ticket_no_rule_matches_says_so_in_the_first_calendars_timezone(
    client: TestClient, database: Database
) -> None:
    publish(database, FAX_ONLY)
    data = synthesize(3, 3, 4)
    import_tickets(database, result_of(data), source="synth", batch_size=50)
    sign_in(client, database, "agent")
    first = listed_ids(listed(client, ""))[-1]
    page = client.get(f"/tickets/{first}").text
    assert "No service-level rule matched this ticket" in page and "main version 1</strong>" in page
    created = data.tickets.sort("created_at")["created_at"][0].astimezone(
        ZoneInfo("America/New_York")
    )
    assert "Times are in America/New_York" in page
    assert created.strftime("%a %d %b %Y %H:%M:%S %Z") in page


def test_a_ticket_without_sla_state_says_how_it_gets_one_and_shows_utc(
    client: TestClient, database: Database
) -> None:
    import_tickets(database, result_of(synthesize(3, 3, 4)), source="synth", batch_size=50)
    sign_in(client, database, "agent")
    page = client.get(f"/tickets/{listed_ids(listed(client, ''))[0]}").text
    assert "This ticket has no SLA state yet" in page and "charter sla recompute" in page
    assert "Times are in UTC." in page and 'class="utc"' not in page


@pytest.fixture
def desk_story(client: TestClient, database: Database, tmp_path: Path) -> dict[str, int]:
    """The desk story (``support.cases``) stored and judged at Tue 16:30; store ids by
    the helpdesk's id."""
    publish(database, DESK_POLICY)
    for name, text in (("tickets.csv", DESK_TICKETS), ("events.csv", DESK_EVENTS)):
        (tmp_path / name).write_text(text, "utf-8")
    imported = import_generic([tmp_path / "tickets.csv", tmp_path / "events.csv"])
    import_tickets(database, imported, source="files", batch_size=50)
    recompute_sla(database, now=dt.datetime.fromisoformat(DESK_AT), everything=True)
    sign_in(client, database, "agent")
    return {
        source_id: id_ for id_, source_id in rows(database, "SELECT id, source_id FROM tickets")
    }


def both(text: str) -> str:
    """A London wall time of the desk story as the page writes it, then UTC."""
    at = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
    return f"{london(at)} {utc(at)}"


def test_desk_story_ticket_paused_with_target_left_shows_paused_not_a_missing_due(
    client: TestClient, desk_story: dict[str, int]
) -> None:
    # D: created Tue 09:00, replied 09:30, pending since 10:00 and still at 16:30. Its
    # resolution clock has used 1 h of 8 h and is paused: no due until it resumes;
    # paused 10:00-16:30 = 6 h 30 min. Its first response stopped at 09:30, due 11:00.
    page = client.get(f"/tickets/{desk_story['D']}").text
    clocks = {row["Metric"]: row for row in Tables(page).rows("clocks")}
    resolution = clocks["Resolution"]
    assert resolution["Status"] == "pending (paused)"
    assert resolution["Due"] == "paused: no due until the clock resumes"
    assert (resolution["Started"], resolution["Stopped"]) == (both("2026-01-06 09:00"), "running")
    assert (resolution["Elapsed"], resolution["Paused"]) == ("1 h", "6 h 30 min")
    first = clocks["First response"]
    assert (first["Status"], first["Due"]) == ("met", both("2026-01-06 11:00"))
    assert (first["Stopped"], first["Elapsed"], first["Paused"]) == (
        both("2026-01-06 09:30"), "30 min", "0 s",
    )  # fmt: skip


def test_desk_story_list_says_the_paused_clock_has_no_due_and_the_running_one_its_due(
    client: TestClient, desk_story: dict[str, int]
) -> None:
    # D's resolution is paused (no due; its reply met): "paused", its clocks in the
    # title. C's next due is its first response at Tue 17:00 (at risk), before its
    # resolution's Wed 14:30.
    page = client.get("/tickets").text
    found = {int(row["Ticket"].split()[0]): row for row in Tables(page).rows("tickets")}
    assert found[desk_story["D"]]["Next due"] == "paused"
    assert 'title="first response: met; resolution: pending (paused)"' in page
    assert found[desk_story["C"]]["Next due"] == london(dt.datetime(2026, 1, 6, 17, tzinfo=dt.UTC))
    assert found[desk_story["C"]]["SLA"] == "at risk"


def test_desk_story_page_shows_the_breached_reply_and_the_hour_paused_before_the_solve(
    client: TestClient, desk_story: dict[str, int]
) -> None:
    # A: the reply at Mon 18:00 came after the 17:30 due (breached, 2 h elapsed); the
    # resolution paused an hour on Tue, moving its due to Tue 16:00; solved 14:00: met.
    clocks = {row["Metric"]: row for row in
              Tables(client.get(f"/tickets/{desk_story['A']}").text).rows("clocks")}  # fmt: skip
    first, resolution = clocks["First response"], clocks["Resolution"]
    assert (first["Status"], first["Stopped"], first["Due"], first["Elapsed"]) == (
        "breached", both("2026-01-05 18:00"), both("2026-01-05 17:30"), "2 h",
    )  # fmt: skip
    assert (resolution["Status"], resolution["Due"], resolution["Paused"]) == (
        "met", both("2026-01-06 16:00"), "1 h",
    )  # fmt: skip
