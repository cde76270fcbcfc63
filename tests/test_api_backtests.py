"""KPIs and backtests over the API, computed from the tickets in the store."""

from __future__ import annotations

import polars as pl
from fastapi.testclient import TestClient

from charter.analytics.backtest import backtest
from charter.services.lifecycle import edit_draft, new_draft
from charter.services.tickets import read_ticket_data
from charter.store import Database
from support import EXAMPLE_TEXT
from support.api import assert_error_body
from support.seed import SLUG, import_synthetic, publish_example
from support.web import bearer

STRICT_FROM = "first_response: {within: 4h, clock: uk-support}"
STRICT_TO = "first_response: {within: 1h, clock: uk-support}"


def test_kpis_need_a_published_policy_and_say_so(client: TestClient, database: Database) -> None:
    response = client.get("/api/kpis", headers=bearer(database, "agent"))
    assert response.status_code == 409
    assert_error_body(response.json(), 409, "conflict")
    assert "publish" in response.json()["error"]["message"]


def test_kpis_need_tickets_and_say_how_to_get_them(client: TestClient, database: Database) -> None:
    publish_example(database)
    response = client.get("/api/kpis", headers=bearer(database, "agent"))
    assert response.status_code == 409
    assert "charter import" in response.json()["error"]["message"]


def test_kpis_count_every_stored_ticket_under_the_published_version(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    count = import_synthetic(database)
    response = client.get("/api/kpis?period=month", headers=bearer(database, "agent"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["policy"], body["version"], body["period"], body["tickets"]) == (
        SLUG,
        1,
        "month",
        count,
    )
    volume = [r for r in body["kpis"] if r["kpi"] == "volume"]
    assert sum(r["value"] for r in volume) == count
    assert body["targets"], "the example policy sets KPI targets"


def test_a_backtest_replays_stored_tickets_as_the_files_would(
    client: TestClient, database: Database
) -> None:
    seeded = publish_example(database)
    import_synthetic(database)
    stricter = EXAMPLE_TEXT.replace(STRICT_FROM, STRICT_TO, 1)
    assert stricter != EXAMPLE_TEXT
    new_draft(database, SLUG, seeded.author)
    edit_draft(database, SLUG, 2, seeded.author, text=stricter, change_summary="Faster")
    headers = bearer(database, "manager")
    response = client.post(
        "/api/backtests", json={"policy": SLUG, "version": 2, "against": 1}, headers=headers
    )
    assert response.status_code == 201, response.text
    run = response.json()
    expected = backtest_from_store(database)
    promised = {(p["rule_id"], p["metric"]): p["met"] for p in run["result"]["promises"]}
    assert promised == expected
    assert run["result"]["side_by_side"]
    again = client.get(f"/api/backtests/{run['id']}", headers=bearer(database, "agent"))
    assert again.json() == run
    listed = client.get("/api/backtests", headers=headers).json()
    assert [r["id"] for r in listed] == [run["id"]]


def backtest_from_store(database: Database) -> dict[tuple[str, str], int]:
    """Met counts computed independently of the service, straight from the SLA engine."""
    from charter.policy import load_policy_text

    stricter = EXAMPLE_TEXT.replace(STRICT_FROM, STRICT_TO, 1)
    data = read_ticket_data(database)
    result = backtest(load_policy_text(stricter).policy, data)
    met = (
        result.sla.filter(
            pl.col("rule_id").is_not_null() & pl.col("clock").is_not_null(),
            pl.col("status").cast(pl.String) == "met",
        )
        .group_by("rule_id", "metric")
        .len()
    )
    return {(r["rule_id"], r["metric"]): r["len"] for r in met.to_dicts()}


def test_agents_cannot_run_backtests(client: TestClient, database: Database) -> None:
    response = client.post(
        "/api/backtests", json={"policy": SLUG, "version": 1}, headers=bearer(database, "agent")
    )
    assert response.status_code == 403
    assert_error_body(response.json(), 403, "forbidden")


def test_a_missing_backtest_is_a_404(client: TestClient, database: Database) -> None:
    response = client.get("/api/backtests/99", headers=bearer(database, "agent"))
    assert response.status_code == 404
    assert_error_body(response.json(), 404, "not_found")
