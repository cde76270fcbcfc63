"""The managers' dashboard: aggregates that agree with the tickets, KPI figures that agree
with the analytics, filters in the URL, charts on the page, and who may see it."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from charter.analytics.kpis import kpis
from charter.errors import InvalidInput
from charter.services.dashboard import (
    Dashboard,
    dashboard,
    parse_period,
    quantiles,
    refresh_dashboard,
)
from charter.services.lifecycle import operating_version
from charter.services.sla_state import recompute_sla
from charter.services.tickets import read_ticket_data
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.store.dashboard import EDGES, bucket_sql
from charter.store.models import SlaState, Ticket, TicketDaily
from support.pages import sign_in
from support.seed import import_synthetic, publish_example

OCTOBER = {"period": "2026-10"}  # the synthetic history's 30 days end on 31 October 2026
STEP = 2 ** (1 / 3)  # how far apart the histogram's bucket edges are


def _seed(database: Database) -> None:
    publish_example(database)
    import_synthetic(database, 300)


def _tickets(database: Database) -> pl.DataFrame:
    """Every stored ticket with its first-response and resolution status, read plainly."""
    sla = SlaState.__table__
    query = select(
        Ticket.created_at, Ticket.solved_at, Ticket.channel, Ticket.priority, Ticket.team,
        Ticket.csat, sla.c.first_response_status, sla.c.resolution_status,
    ).outerjoin(sla, sla.c.ticket_id == Ticket.id)  # fmt: skip
    with database.reading() as session:
        rows = [tuple(row) for row in session.execute(query)]
    names = ["created_at", "solved_at", "channel", "priority", "team", "csat", "fr", "res"]
    frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    return frame.with_columns(pl.col("channel", "priority", "team").fill_null(""))


def _stored_daily(database: Database) -> pl.DataFrame:
    with database.reading() as session:
        rows = session.execute(select(TicketDaily.__table__)).mappings().all()
    return pl.DataFrame([dict(row) for row in rows], infer_schema_length=None)


KEYS = ["day", "channel", "priority", "team"]


def _expected_daily(tickets: pl.DataFrame) -> pl.DataFrame:
    status = {f"{m}_{s}": (pl.col(col) == s).fill_null(False).sum()
              for m, col in (("first_response", "fr"), ("resolution", "res"))
              for s in ("met", "breached", "pending", "at_risk")}  # fmt: skip
    created = tickets.group_by(pl.col("created_at").dt.date().alias("day"), *KEYS[1:]).agg(
        pl.len().alias("created"),
        pl.col("solved_at").is_null().sum().alias("open"),
        pl.col("csat").is_between(4, 5).sum().alias("csat_positive"),
        **status,
    )
    solved = (
        tickets.filter(pl.col("solved_at").is_not_null())
        .group_by(pl.col("solved_at").dt.date().alias("day"), *KEYS[1:])
        .agg(pl.len().alias("solved"))
    )
    both = created.join(solved, on=KEYS, how="full", coalesce=True)
    return both.fill_null(0).cast({c: pl.Int64 for c in both.columns if c not in KEYS})


def test_the_daily_aggregates_count_what_the_stored_tickets_hold(database: Database) -> None:
    _seed(database)
    expected = _expected_daily(_tickets(database)).sort(KEYS)
    stored = _stored_daily(database).select(expected.columns).cast(dict(expected.schema)).sort(KEYS)
    assert stored.height > 20  # a month of days over several groups
    assert stored.equals(expected), (stored, expected)


def test_a_refresh_replaces_the_aggregates_rather_than_adding_to_them(database: Database) -> None:
    _seed(database)
    refresh_dashboard(database, dt.datetime.now(dt.UTC))
    refresh_dashboard(database, dt.datetime.now(dt.UTC))
    with database.reading() as session:
        created, solved = session.execute(
            text("SELECT sum(created), sum(solved) FROM ticket_daily")
        ).one()
    tickets = _tickets(database)
    assert (created, solved) == (300, tickets["solved_at"].is_not_null().sum())


def _figure(board: Dashboard, kpi: str, statistic: str, clock: str = "none") -> float:
    found = [
        f["value"]
        for f in board.figures
        if (f["kpi"], f["statistic"], f["clock"]) == (kpi, statistic, clock)
    ]
    assert len(found) == 1, (kpi, statistic, clock)
    return float(found[0])


def _exact(database: Database, now: dt.datetime) -> pl.DataFrame:
    """The KPIs the analytics compute from the tickets themselves, for October."""
    operating = operating_version(database)
    assert operating is not None
    data = read_ticket_data(database)
    sla = evaluate(operating.policy(), data, now=now)
    table = kpis(data.tickets, sla, period="month", now=now, events=data.events)
    return table.filter(pl.col("period") == dt.date(2026, 10, 1))


def _value(table: pl.DataFrame, kpi: str, statistic: str, clock: str = "none") -> float:
    row = table.filter(
        (pl.col("kpi") == kpi)
        & (pl.col("statistic").cast(pl.String) == statistic)
        & (pl.col("clock").cast(pl.String) == clock)
    )
    return float(row["value"].item())


EXACT_FIGURES = [
    ("volume", "count", "none"),
    ("backlog", "count", "none"),
    ("csat", "share", "none"),
    ("csat_response_rate", "share", "none"),
    ("nps", "points", "none"),
    ("first_contact_resolution", "share", "none"),
    ("first_response_time", "mean", "business"),
    ("first_response_time", "mean", "calendar"),
    ("resolution_time", "mean", "business"),
    ("resolution_time", "mean", "calendar"),
]
ESTIMATED_FIGURES = [
    ("first_response_time", "median", "business"),
    ("first_response_time", "p90", "business"),
    ("first_response_time", "median", "calendar"),
    ("resolution_time", "median", "business"),
    ("resolution_time", "p90", "calendar"),
]


def test_the_dashboard_figures_agree_with_the_kpis_of_the_tickets(database: Database) -> None:
    _seed(database)
    board = dashboard(database, OCTOBER)
    assert board.now is not None and board.now.as_of is not None
    exact = _exact(database, board.now.as_of)
    for kpi, statistic, clock in EXACT_FIGURES:
        wanted = _value(exact, kpi, statistic, clock)
        got = _figure(board, kpi, statistic, clock)
        assert math.isclose(got, wanted, rel_tol=1e-6), (kpi, statistic, clock, got, wanted)
    for kpi, statistic, clock in ESTIMATED_FIGURES:
        wanted = _value(exact, kpi, statistic, clock)
        got = _figure(board, kpi, statistic, clock)
        assert wanted / STEP <= got <= wanted * STEP, (kpi, statistic, clock, got, wanted)


def test_sla_compliance_counts_stopped_clocks_as_the_kpis_do_and_running_breaches_too(
    database: Database,
) -> None:
    _seed(database)
    board = dashboard(database, OCTOBER)
    assert board.now is not None and board.now.as_of is not None
    exact = _exact(database, board.now.as_of)
    tickets = _tickets(database)
    met = int((tickets["fr"] == "met").sum())
    breached = int((tickets["fr"] == "breached").sum())
    assert _figure(board, "sla_compliance.first_response", "share") == pytest.approx(
        met / (met + breached)
    )
    # The analytics leave running breaches out, so they can only read higher.
    assert _value(exact, "sla_compliance.first_response", "share") >= met / (met + breached)


@pytest.mark.parametrize(
    "value",
    [0.0, 9.99, 10.0, 10.5, EDGES[1], EDGES[1] - 0.001, 3600.0, 7200.0, EDGES[-1], 1e9],
)
def test_the_database_puts_a_duration_in_the_bucket_python_expects(
    database: Database, value: float
) -> None:
    with database.reading() as session:
        bucket = session.execute(text(f"SELECT {bucket_sql(repr(value))}")).scalar_one()
    assert bucket == bisect.bisect_right(EDGES, value)


def _histogram(values: list[float]) -> pl.DataFrame:
    frame = pl.DataFrame({"x": values}).with_columns(
        pl.col("x").map_elements(lambda v: bisect.bisect_right(EDGES, v), pl.Int64).alias("bucket")
    )
    return (
        frame.group_by("bucket")
        .agg(pl.len().cast(pl.Int64).alias("tickets"), pl.col("x").sum().alias("seconds"))
        .with_columns(pl.lit("g").alias("g"))
    )


@pytest.mark.parametrize(
    ("values", "q"),
    [
        ([120, 300, 310, 900, 4000], 0.5),
        ([60 * i for i in range(1, 200)], 0.5),
        ([60 * i for i in range(1, 200)], 0.9),
        ([50, 50, 50, 3600 * 30, 3600 * 40], 0.5),
    ],
)
def test_a_quantile_read_from_the_histogram_stays_within_a_bucket_of_the_exact_one(
    values: list[float], q: float
) -> None:
    exact = pl.Series(values, dtype=pl.Float64).quantile(q, interpolation="linear")
    assert exact is not None
    got = quantiles(_histogram(values), ["g"], q)["value"].item()
    assert exact / STEP <= got <= exact * STEP


def test_below_ten_seconds_a_quantile_is_within_ten_seconds() -> None:
    got = quantiles(_histogram([5, 5, 5, 3600 * 30, 3600 * 40]), ["g"], 0.5)["value"].item()
    assert 0 <= got < 10


def test_a_bucket_holding_one_value_gives_that_value_exactly() -> None:
    got = quantiles(_histogram([100.0, 5000.0, 90000.0]), ["g"], 0.5)["value"].item()
    assert got == 5000.0


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2026-W01", dt.date(2025, 12, 29), dt.date(2026, 1, 4)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_a_period_covers_its_whole_days(written: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(written)
    assert (period.start, period.end, period.text) == (start, end, written)


@pytest.mark.parametrize("written", ["2026-13", "2026-W54", "2026-Q5", "Oct 2026", "26-10", ""])
def test_a_period_that_is_not_one_is_refused_with_the_forms_accepted(written: str) -> None:
    with pytest.raises(InvalidInput, match=r"month \(2026-10\), an ISO week"):
        parse_period(written)


def test_the_previous_period_of_january_is_december_of_the_year_before() -> None:
    assert parse_period("2026-01").shifted(-1).text == "2025-12"
    assert parse_period("2026-Q1").shifted(-1).text == "2025-Q4"
    assert parse_period("2026-W01").shifted(-1).text == "2025-W52"


# The page


def test_a_manager_sees_kpis_against_targets_and_charts_with_their_data(
    client: TestClient, database: Database
) -> None:
    _seed(database)
    sign_in(client, database, "manager")
    page = client.get("/dashboard", params=OCTOBER)
    assert page.status_code == 200, page.text
    html = page.text
    assert html.count("<h1") == 1 and "KPIs against targets, October 2026" in html
    assert "First response time" in html and "at most 2 h" in html  # from the policy's kpis
    assert 'href="/handbook#kpis.targets.kpi-first-response"' in html
    charts = re.findall(r'<svg class="chart"[^>]*role="img"', html)
    assert len(charts) == 9  # five trends, three groups, open tickets by age
    assert html.count('<details class="chart-data">') == 9
    assert "SLA compliance by channel" in html and "Open tickets by age" in html
    assert "300 tickets created" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_an_agent_is_refused_and_a_visitor_is_sent_to_sign_in(
    client: TestClient, database: Database
) -> None:
    visitor = client.get("/dashboard?period=2026-10", follow_redirects=False)
    assert visitor.status_code in (302, 303, 307)
    assert visitor.headers["location"] == "/login?next=/dashboard%3Fperiod%3D2026-10"
    sign_in(client, database, "agent")
    page = client.get("/dashboard")
    assert page.status_code == 403
    assert "manager" in page.text and "agent" in page.text


def test_the_filters_narrow_every_figure_to_the_chosen_group(
    client: TestClient, database: Database
) -> None:
    _seed(database)
    sign_in(client, database, "admin")
    tickets = _tickets(database)
    email = tickets.filter(
        (pl.col("channel") == "email") & (pl.col("created_at").dt.month() == 10)
    ).height
    page = client.get("/dashboard", params={**OCTOBER, "channel": "email"})
    assert page.status_code == 200
    assert f"{email} tickets created" in page.text and 0 < email < 300
    assert '<option value="email" selected>' in page.text
    previous = re.search(r'<a rel="prev" href="([^"]+)"', page.text)
    assert previous and previous.group(1) == "/dashboard?period=2026-09&amp;channel=email"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2026-13"}, "period: &#39;2026-13&#39; is not a period"),
        ({"period": "last month"}, "write a month (2026-10), an ISO week (2026-W42)"),
        ({"every": "month"}, "every: &#39;month&#39; is not a trend step; choose day or week"),
        ({"period": "2026", "every": "day"}, "every: a year is shown week by week"),
        ({"channel": "fax"}, "channel: no ticket has channel &#39;fax&#39;; choose one of chat"),
        ({"team": "<b>x</b>"}, "team: no ticket has team &#39;&lt;b&gt;x&lt;/b&gt;&#39;"),
        ({"priority": "x" * 65}, "priority: the value is too long"),
        ({"channel": "e\x01mail"}, "channel: the value is too long or holds control characters"),
    ],
)
def test_a_bad_filter_shows_the_page_with_a_message_naming_it(
    client: TestClient, database: Database, query: dict[str, str], message: str
) -> None:
    _seed(database)
    sign_in(client, database, "manager")
    page = client.get("/dashboard", params=query)
    assert page.status_code == 422
    assert message in page.text and 'role="alert"' in page.text
    assert '<form method="get" action="/dashboard"' in page.text  # the filters to fix it
    assert "Measured against <strong>larkfield</strong> version 1" in page.text
    assert "Traceback" not in page.text


def test_an_empty_store_shows_the_dashboard_with_nothing_to_chart(
    client: TestClient, database: Database
) -> None:
    sign_in(client, database, "manager")
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "There are no tickets yet" in page.text and "No policy is published yet" in page.text


def test_a_scheduled_recompute_leaves_the_aggregates_to_the_next_import(
    database: Database,
) -> None:
    # A recompute runs every few minutes; refilling the aggregates costs far more, so
    # only imports and publishes refill them.
    _seed(database)
    with database.reading() as session:
        before = session.execute(text("SELECT max(as_of) FROM ticket_daily")).scalar_one()
    recompute_sla(database, everything=True)
    with database.reading() as session:
        after = session.execute(text("SELECT max(as_of) FROM ticket_daily")).scalar_one()
    assert before is not None and after == before
