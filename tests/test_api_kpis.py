"""``GET /api/kpis`` reads the dashboard's aggregates: the same figures as the ticket
rows give (medians and p90 within a histogram bucket), the same figures as the
dashboard shows, at the aggregates' instant, and a clear 422 for what they do not keep."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from charter.analytics.kpis import kpis
from charter.services.dashboard import dashboard, refresh_dashboard
from charter.services.lifecycle import operating_version
from charter.services.tickets import import_tickets, read_ticket_data
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize
from support.api import assert_error_body
from support.seed import import_synthetic, publish_example
from support.web import bearer

STEP = 2 ** (1 / 3)  # docs/dashboard.md: histogram buckets are a factor 2^(1/3) apart
SMALLEST = 10.0  # ... from 10 seconds: the first bucket holds every value below it
ESTIMATED = {"median", "p90"}
MS = 0.001  # SQLite's julianday() measures the calendar clock to about 10 microseconds
Key = tuple[Any, ...]


def _seed_settled(database: Database) -> int:
    """The example policy published, and a month of synthetic tickets that are all
    solved after a first reply: every SLA clock has stopped, so SLA compliance means
    the same on the dashboard and in the ticket-row analytics (docs/dashboard.md)."""
    publish_example(database)
    data = synthesize(300, 30, 7)
    settled = data.tickets.filter(
        pl.col("status").is_in(["solved", "closed"]), pl.col("first_response_at").is_not_null()
    )
    events = data.events.filter(pl.col("ticket_id").is_in(settled["id"].implode()))
    result = ImportResult(settled, events, empty_rejects())
    import_tickets(database, result, source="synthetic", batch_size=100)
    return settled.height


def _api(client: TestClient, database: Database, **params: str) -> dict[str, Any]:
    response = client.get("/api/kpis", params=params, headers=bearer(database, "agent"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _keyed(rows: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    keys = ("period", "group", "kpi", "statistic", "clock")
    return {tuple(str(row[k]) if row[k] is not None else None for k in keys): row for row in rows}


def _from_ticket_rows(database: Database, now: dt.datetime, **options: Any) -> pl.DataFrame:
    """The KPIs the pure analytics compute from every ticket row, as the route did before,
    with ``low``: for a median or p90, the raw duration at its rank (the one the exact
    figure interpolates from, docs/kpis.md)."""
    operating = operating_version(database)
    assert operating is not None
    data = read_ticket_data(database)
    sla = evaluate(operating.policy(), data, now=now)
    events = data.events if data.events.height else None
    table = kpis(data.tickets, sla, now=now, events=events, **options)
    raw = _durations(data.tickets, sla, now, **options)
    keys = ["period", "group", "kpi", "clock"]
    bounds = pl.concat(
        raw.group_by(keys).agg(
            pl.lit(name).alias("statistic"),
            pl.col("x").quantile(q, interpolation="lower").alias("low"),
        )
        for name, q in (("median", 0.5), ("p90", 0.9))
    )
    table = table.with_columns(pl.col("period", "statistic", "clock").cast(pl.String))
    return table.join(bounds, on=[*keys, "statistic"], how="left", nulls_equal=True)


def _durations(
    tickets: pl.DataFrame,
    sla: pl.DataFrame,
    now: dt.datetime,
    *,
    period: str,
    by: str | None = None,
) -> pl.DataFrame:
    """``period, group, kpi, clock, x``: every duration the analytics' medians are of."""
    every = {"day": "1d", "week": "1w", "month": "1mo"}[period]
    view = tickets.select(
        pl.col("id").alias("ticket_id"), "created_at", "solved_at",
        pl.col("created_at").dt.truncate(every).dt.date().cast(pl.String).alias("period"),
        (pl.col(by).cast(pl.String) if by else pl.lit(None, pl.String)).alias("group"),
    )  # fmt: skip
    stopped = sla.filter(pl.col("stop_at") <= now, pl.col("elapsed_seconds").is_not_null()).join(
        view.select("ticket_id", "period", "group"), on="ticket_id"
    )
    seconds = (pl.col("stop_at") - pl.col("start_at")).dt.total_microseconds() / 1e6
    solved = (pl.col("solved_at") - pl.col("created_at")).dt.total_microseconds() / 1e6
    parts = []
    for metric, kpi in (
        ("first_response", "first_response_time"),
        ("resolution", "resolution_time"),
    ):
        rows = stopped.filter(pl.col("metric") == metric)
        parts.append(
            rows.select(
                "period",
                "group",
                pl.lit(kpi).alias("kpi"),
                pl.lit("business").alias("clock"),
                pl.col("elapsed_seconds").alias("x"),
            )
        )
        if metric == "first_response":
            parts.append(
                rows.select(
                    "period",
                    "group",
                    pl.lit(kpi).alias("kpi"),
                    pl.lit("calendar").alias("clock"),
                    seconds.alias("x"),
                )
            )
    parts.append(
        view.filter(pl.col("solved_at") <= now).select(
            "period",
            "group",
            pl.lit("resolution_time").alias("kpi"),
            pl.lit("calendar").alias("clock"),
            solved.alias("x"),
        )
    )
    return pl.concat([p.with_columns(pl.col("x").cast(pl.Float64)) for p in parts])


def _within_a_bucket(got: float, low: float) -> bool:
    """In the histogram bucket of ``low``, the value at the rank, as docs/kpis.md states."""
    if low < SMALLEST:
        return 0 <= got < SMALLEST
    return low / STEP <= got <= low * STEP


@pytest.mark.parametrize(
    "options",
    [{"period": "week"}, {"period": "month", "by": "channel"}, {"period": "day", "by": "team"},
     {"period": "week", "by": "priority"}],
)  # fmt: skip
def test_kpis_from_the_aggregates_agree_with_the_kpis_of_the_ticket_rows(
    client: TestClient, database: Database, options: dict[str, str]
) -> None:
    tickets = _seed_settled(database)
    body = _api(client, database, **options)
    now = dt.datetime.fromisoformat(body["now"])
    exact = _keyed(records_of(_from_ticket_rows(database, now, **options)))
    got = _keyed(body["kpis"])
    assert body["tickets"] == tickets
    assert len(got) > 40
    # First contact resolution is shown only for periods whose tickets have events.
    fcr = {key for key in exact if key[2] == "first_contact_resolution"}
    assert set(exact) - fcr <= set(got) <= set(exact)
    for key, row in got.items():
        wanted = exact[key]
        assert row["count"] == wanted["count"], (key, row, wanted)
        if key[3] in ESTIMATED:
            assert _within_a_bucket(row["value"], wanted["low"]), (key, row, wanted)
        else:
            close = math.isclose(row["value"], wanted["value"], rel_tol=1e-9, abs_tol=MS)
            assert close, (key, row, wanted)


def records_of(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.with_columns(pl.col("period").cast(pl.String)).to_dicts()


@pytest.mark.parametrize("channel", [None, "email"])
def test_the_api_shows_the_figures_the_dashboard_shows_for_the_same_month_and_filter(
    client: TestClient, database: Database, channel: str | None
) -> None:
    publish_example(database)
    import_synthetic(database, 300)
    params = {"period": "month"} | ({"by": "channel"} if channel else {})
    body = _api(client, database, **params)
    october = {
        (row["kpi"], row["statistic"], row["clock"]): (row["value"], row["count"])
        for row in body["kpis"]
        if row["period"] == "2026-10-01" and row["group"] == channel
    }
    query = {"period": "2026-10"} | ({"channel": channel} if channel else {})
    board = dashboard(database, query)
    shown = {
        (f["kpi"], str(f["statistic"]), str(f["clock"])): (f["value"], f["count"])
        for f in board.figures
    }
    assert len(shown) > 20
    assert set(october) == set(shown)
    for key, (value, count) in shown.items():
        assert october[key][1] == count, key
        assert math.isclose(october[key][0], value, rel_tol=1e-9), (key, october[key], value)


def test_sla_compliance_counts_a_running_clock_past_its_target_as_breached(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    import_synthetic(database, 300)
    with database.reading() as session:
        met, breached = session.execute(
            text(
                "SELECT sum(CASE WHEN first_response_status = 'met' THEN 1 ELSE 0 END), "
                "sum(CASE WHEN first_response_status = 'breached' THEN 1 ELSE 0 END) "
                "FROM sla_states"
            )
        ).one()
    body = _api(client, database, period="month")
    share = [
        row
        for row in body["kpis"]
        if row["kpi"] == "sla_compliance.first_response" and row["period"] == "2026-10-01"
    ]
    assert [(r["value"], r["count"]) for r in share] == [(met / (met + breached), met + breached)]


def test_kpis_stand_at_the_last_refresh_of_the_aggregates(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    import_synthetic(database, 300)
    before = _api(client, database, period="month")
    with database.transaction() as session:
        session.execute(text("UPDATE tickets SET csat = NULL"))
    assert _api(client, database, period="month") == before
    refresh_dashboard(database, dt.datetime.now(dt.UTC))
    after = _api(client, database, period="month")
    assert after["now"] > before["now"]
    assert not [row for row in after["kpis"] if row["kpi"] == "csat"]
    assert [row for row in before["kpis"] if row["kpi"] == "csat"]


def test_kpis_by_segment_are_refused_with_the_groups_that_are_kept(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    import_synthetic(database, 60)
    response = client.get("/api/kpis?by=segment", headers=bearer(database, "agent"))
    assert response.status_code == 422
    assert_error_body(response.json(), 422, "invalid_input")
    error = response.json()["error"]
    assert error["message"].startswith("by: ")
    assert "channel, priority or team" in error["message"]
    assert error["details"][0]["field"] == "by"


def test_kpis_at_the_aggregates_instant_are_given_and_at_another_refused(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    import_synthetic(database, 60)
    body = _api(client, database)
    assert _api(client, database, now=body["now"]) == body
    headers = bearer(database, "agent")
    for moment in ("2026-10-15T00:00:00Z", "4421-11-03T00:50:16Z", "1990-01-01T00:00:00Z"):
        response = client.get("/api/kpis", params={"now": moment}, headers=headers)
        assert response.status_code == 422, moment
        message = response.json()["error"]["message"]
        assert message.startswith("now: ") and "last refresh" in message, message
        assert body["now"].replace("+00:00", "Z")[:19] in message
    naive = client.get("/api/kpis", params={"now": "2026-10-15T00:00:00"}, headers=headers)
    assert naive.status_code == 422
    assert "timezone" in naive.json()["error"]["message"]
