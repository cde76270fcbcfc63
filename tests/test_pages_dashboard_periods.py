"""The dashboard's periods: presets as links, a date picker that works without JavaScript,
the last 28 days by default, a period running past today charted up to today, clear
messages for bad days, and every table downloadable as CSV with exactly its rows.

The clock is frozen on Monday 7 December 2026, 12:00 UTC (12:00 in Europe/London, the
example policy's business zone); the tickets are created over 9 October to 7 December.
Expected days are worked out by hand in the tables and comments below.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from charter import clock
from charter.services.dashboard import (
    parse_filters,
    parse_period,
    preset,
    refresh_dashboard,
)
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store.models import Ticket
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize
from support.pages import sign_in
from support.seed import publish_example

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)  # Monday 7 December 2026
D = dt.date


# Presets, worked out by hand on Monday 7 December 2026 and on Tuesday 5 January 2027.
PRESET_DAYS = [
    ("last-7-days", D(2026, 12, 7), D(2026, 12, 1), D(2026, 12, 7)),  # 7 Dec and 6 before
    ("last-28-days", D(2026, 12, 7), D(2026, 11, 10), D(2026, 12, 7)),  # 7 in Dec + 21 in Nov
    # 90 days: 7 in December, 30 in November, 31 in October, so 22 in September: 9–30 Sep
    ("last-90-days", D(2026, 12, 7), D(2026, 9, 9), D(2026, 12, 7)),
    ("this-month", D(2026, 12, 7), D(2026, 12, 1), D(2026, 12, 7)),  # up to today only
    ("last-month", D(2026, 12, 7), D(2026, 11, 1), D(2026, 11, 30)),
    ("this-quarter", D(2026, 12, 7), D(2026, 10, 1), D(2026, 12, 7)),  # Q4 up to today
    ("last-quarter", D(2026, 12, 7), D(2026, 7, 1), D(2026, 9, 30)),  # Q3
    # across the new year
    ("last-month", D(2027, 1, 5), D(2026, 12, 1), D(2026, 12, 31)),
    ("this-quarter", D(2027, 1, 5), D(2027, 1, 1), D(2027, 1, 5)),
    ("last-quarter", D(2027, 1, 5), D(2026, 10, 1), D(2026, 12, 31)),
]


@pytest.mark.parametrize(("name", "today", "first", "last"), PRESET_DAYS)
def test_dashboard_story_each_preset_names_the_days_a_manager_expects(
    name: str, today: dt.date, first: dt.date, last: dt.date
) -> None:
    period = preset(name, today)
    assert (period.start, period.end) == (first, last)


# Each kind of period as the page names it and as its links write it, on 7 December 2026:
# a period reaching past today is cut there and written as its days.
PERIOD_WORDS = [
    ("2026-W43", "week 43 of 2026, 19/10 to 25/10", "2026-W43"),
    # Monday 7 December opens ISO week 50 (week 1 began on Monday 29 December 2025)
    ("2026-W50", "week 50 of 2026, 07/12 to 13/12 so far, to 7 December",
     "2026-12-07..2026-12-07"),
    ("2026-11", "November 2026", "2026-11"),
    ("2026-12", "December 2026 so far, to 7 December", "2026-12-01..2026-12-07"),
    ("2026-Q3", "Q3 2026", "2026-Q3"),
    ("2026-Q4", "Q4 2026 so far, to 7 December", "2026-10-01..2026-12-07"),
    ("2025", "2025", "2025"),
    ("2026", "2026 so far, to 7 December", "2026-01-01..2026-12-07"),
    ("2026-11-10..2026-12-07", "10 November to 7 December 2026", "2026-11-10..2026-12-07"),
    ("2025-12-20..2026-01-05", "20 December 2025 to 5 January 2026", "2025-12-20..2026-01-05"),
    ("2026-12-01..2027-01-31", "1 December to 7 December 2026", "2026-12-01..2026-12-07"),
]  # fmt: skip


@pytest.mark.parametrize(("written", "label", "text_"), PERIOD_WORDS)
def test_dashboard_story_each_kind_of_period_is_named_and_cut_at_today(
    written: str, label: str, text_: str
) -> None:
    period = parse_filters({"period": written}, D(2026, 12, 7)).period
    assert (period.label, period.text) == (label, text_)
    assert parse_period(period.text).start == period.start  # the ticket list reads it back


# The page


@pytest.fixture
def seeded(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[dt.date]]:
    """60 tickets over 9 October – 7 December 2026, the clock on 7 December at noon; the
    UTC day each ticket was created, read back from the store."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    publish_example(database)
    data = synthesize(60, 60, 3, start=D(2026, 10, 9))
    import_tickets(database, ImportResult(data.tickets, data.events, empty_rejects()),
                   source="synthetic", batch_size=100)  # fmt: skip
    refresh_dashboard(database, NOW)
    sign_in(client, database, "manager")
    with database.reading() as session:
        yield [at.date() for at in session.scalars(select(Ticket.created_at))]


def _created(days: list[dt.date], first: dt.date, last: dt.date) -> int:
    return sum(first <= day <= last for day in days)


def _trend_days(page: str) -> list[str]:
    """The first trend chart's periods, from its data table."""
    figure = page[page.index('id="trend-1"') :]
    body = figure[figure.index("<tbody>") : figure.index("</tbody>")]
    return re.findall(r'<th scope="row">([^<]+)</th>', body)


def test_dashboard_story_the_page_opens_on_the_last_28_days_up_to_today(
    client: TestClient, seeded: list[dt.date]
) -> None:
    page = client.get("/dashboard")
    assert page.status_code == 200, page.text
    text_ = page.text
    # 10 November to 7 December: 28 days ending today, not December charted to the 31st
    assert "KPIs against targets, 10 November to 7 December 2026" in text_
    assert re.search(r'<a href="/dashboard\?period=last-28-days"[^>]*aria-current="page"', text_)
    assert 'name="from" value="2026-11-10"' in text_ and 'name="to" value="2026-12-07"' in text_
    days = _trend_days(text_)
    assert len(days) == 28 and days[0] == "10 Nov" and days[-1] == "7 Dec"
    count = _created(seeded, D(2026, 11, 10), D(2026, 12, 7))
    assert 0 < count < 60
    link = f'<a href="/tickets?period=2026-11-10..2026-12-07">{count} tickets created</a>'
    assert link in text_


def test_dashboard_story_this_month_is_charted_up_to_today_not_to_its_end(
    client: TestClient, seeded: list[dt.date]
) -> None:
    page = client.get("/dashboard", params={"period": "this-month"})
    assert page.status_code == 200, page.text
    assert "December 2026 so far, to 7 December" in page.text
    days = _trend_days(page.text)
    assert days == [f"{d} Dec" for d in range(1, 8)]  # 1 to 7 December, nothing after today
    # its tickets link names the days counted: 1 to 7 December
    count = _created(seeded, D(2026, 12, 1), D(2026, 12, 7))
    assert f'href="/tickets?period=2026-12-01..2026-12-07">{count} ticket' in page.text
    # no "next" period after a period that reaches today
    assert 'rel="next"' not in page.text


def test_dashboard_story_the_date_picker_shows_the_days_chosen_without_javascript(
    client: TestClient, seeded: list[dt.date]
) -> None:
    # What a GET form with two date inputs sends: from and to, as year-month-day.
    page = client.get("/dashboard", params={"from": "2026-11-01", "to": "2026-11-30",
                                            "channel": ""})  # fmt: skip
    assert page.status_code == 200, page.text
    assert "KPIs against targets, 1 November to 30 November 2026" in page.text
    count = _created(seeded, D(2026, 11, 1), D(2026, 11, 30))
    assert f'href="/tickets?period=2026-11-01..2026-11-30">{count} tickets created' in page.text
    assert len(_trend_days(page.text)) == 30
    # the previous 30 days: 2 October to 31 October
    assert '<a rel="prev" href="/dashboard?period=2026-10-02..2026-10-31">' in page.text
    assert '<input type="date" id="from" name="from"' in page.text
    assert "<script" not in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"from": "2026-13-01", "to": "2026-12-01"},
            "from: '2026-13-01' is not a day; write it as year-month-day",
        ),
        (
            {"from": "2026-11-30", "to": "2026-11-01"},
            "to: the range ends on 1 November 2026, before it starts on 30 November 2026",
        ),
        ({"to": "2026-11-30"}, "from: give the first day of the range as well as its last"),
        ({"from": "2027-01-04"}, "from: 4 January 2027 starts after today (7 December 2026"),
        ({"period": "2027-01"}, "period: January 2027 starts after today (7 December 2026"),
        ({"period": "2026-11-31..2026-12-01"}, "period: '2026-11-31' is not a day"),
        ({"from": "2020-01-01", "to": "2026-12-01"}, "is longer than three years"),
        ({"period": "last-3-days"}, "one of last-7-days, last-28-days, last-90-days"),
    ],
)
def test_dashboard_story_bad_days_show_the_page_with_a_message_naming_them(
    client: TestClient, seeded: list[dt.date], query: dict[str, str], message: str
) -> None:
    page = client.get("/dashboard", params=query)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert message in html.unescape(page.text) and 'role="alert"' in page.text
    assert '<form method="get" action="/dashboard"' in page.text  # the form to fix it
    assert "Traceback" not in page.text


# CSV downloads

CSV_LINK = re.compile(r'<p class="csv-link"><a href="(/dashboard/[^"]+\.csv\?[^"]*)" download>')


def _csv(client: TestClient, href: str) -> list[list[str]]:
    response = client.get(html.unescape(href))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.reader(io.StringIO(response.text)))


def _cells(row: str) -> list[str]:
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in found]


def test_dashboard_story_every_table_has_a_csv_of_exactly_its_rows(
    client: TestClient, seeded: list[dt.date]
) -> None:
    page = client.get("/dashboard", params={"period": "last-month"}).text
    tables = page.count("<table")
    links = CSV_LINK.findall(page)
    assert tables >= 10 and len(links) == tables  # one link under each table
    # each link asks for the days shown, 1 to 30 November, not "last month" again
    assert all("period=2026-11&" in html.unescape(h) or html.unescape(h).endswith("period=2026-11")
               for h in links), links  # fmt: skip
    # the KPI table: its CSV rows are the page's rows, figure for figure
    kpis = next(h for h in links if "/dashboard/kpis.csv" in h)
    rows = _csv(client, kpis)
    section = page[page.index('<table class="targets">') : page.index("</table>",
                   page.index('<table class="targets">'))]  # fmt: skip
    shown = [_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>")[1], re.S)]
    assert [r[0] for r in rows[1:]] == [r[0] for r in shown]  # the same KPIs, in order
    for csv_row, page_row in zip(rows[1:], shown, strict=True):
        assert csv_row[2] == page_row[2]  # the figure, written the same way
        assert csv_row[7] == page_row[6].replace(",", "")  # based on: a plain count
    # a chart's data: the created-and-open trend has one row per day of November
    trend = _csv(client, next(h for h in links if "/dashboard/trend-1.csv" in h))
    assert len(trend) == 1 + 30 and trend[1][0] == "1 Nov" and trend[-1][0] == "30 Nov"


def test_dashboard_story_a_cell_a_spreadsheet_would_run_is_written_as_text(
    client: TestClient, database: Database, seeded: list[dt.date]
) -> None:
    with database.transaction() as session:
        session.execute(text("UPDATE tickets SET team = '=HYPERLINK(\"http://x\")'"))
    refresh_dashboard(database, NOW + dt.timedelta(seconds=1))
    page = client.get("/dashboard", params={"period": "last-month"}).text
    href = next(h for h in CSV_LINK.findall(page) if "/dashboard/by-team.csv" in h)
    rows = _csv(client, href)
    # An apostrophe makes it text (a team is one whatever its case: held in lower case).
    assert rows[1][0] == '\'=hyperlink("http://x")'


def test_dashboard_story_a_csv_for_bad_days_or_an_unknown_table_says_what_is_wrong(
    client: TestClient, seeded: list[dt.date]
) -> None:
    bad = client.get("/dashboard/kpis.csv", params={"from": "2026-11-30", "to": "2026-11-01"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "to: the range ends on 1 November 2026" in bad.text
    unknown = client.get("/dashboard/tickets.csv")
    assert unknown.status_code == 404
    assert "the dashboard has no table &#39;tickets&#39;" in unknown.text
