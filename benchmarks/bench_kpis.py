"""``GET /api/kpis`` over a year of a million tickets on PostgreSQL: read from the
dashboard's aggregates, against the ticket-row computation it replaced.

Seeds (or, with ``--reuse``, keeps) the demo store in the schema ``charter_kpis`` of
the given PostgreSQL database: the example policy published, a year of synthetic
tickets imported like any export (their SLA state and the dashboard's aggregates
computed). Then, in the same run:

- ``GET /api/kpis`` through the app in-process (``TestClient``, an admin's API token)
  for a few parameter combinations, each asked ``--repeat`` times computed (the
  report's memory emptied first) and ``--repeat`` times served from memory;
- once, the way the route worked before: every ticket read in columns
  (``read_ticket_data``), its SLA evaluated and the pure analytics run
  (``charter.analytics.kpis``).

    python benchmarks/bench_kpis.py [--postgres URL] [--tickets 1000000] [--reuse]
                                    [--repeat 5]

PostgreSQL comes from ``--postgres`` or ``CHARTER_TEST_DATABASE_URL``. Only the
``charter_kpis`` schema is touched. Target: every computed answer under one second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench_store import machine_reference  # the same figure of the machine's speed
from charter.analytics.kpis import kpis
from charter.config import Environment, Settings
from charter.services import kpi_report
from charter.services.demo import is_seeded, seed_demo
from charter.services.lifecycle import operating_version
from charter.services.tickets import read_ticket_data
from charter.services.tokens import create_token
from charter.sla.evaluate import evaluate
from charter.store import Database
from charter.store.models import User
from charter.web.app import create_app

SCHEMA = "charter_kpis"
TARGET_S = 1.0
END = dt.date(2026, 11, 1)  # the synthetic year ends here, whatever the day of the run
COMBINATIONS = {
    "default (the policy's period)": {},
    "period=month": {"period": "month"},
    "by=channel": {"by": "channel"},
    "period=day, by=team": {"period": "day", "by": "team"},
}
console = Console(width=150)


def scoped_url(url: str, *, reuse: bool, schema: str = SCHEMA) -> str:
    """A URL whose connections see only ``schema``; emptied first unless ``reuse``."""
    engine = create_engine(url)
    with engine.begin() as connection:
        if not reuse:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def seed(database: Database, tickets: int) -> None:
    database.upgrade()
    if is_seeded(database):
        console.print("reusing the seeded store")
        return
    console.print(f"seeding {tickets:,} tickets over 365 days (import, SLA state, aggregates)")
    start = time.perf_counter()
    _, summary = seed_demo(database, tickets=tickets, today=END)
    assert summary.inserted == tickets, summary
    console.print(f"  seeded in {time.perf_counter() - start:,.0f} s")


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = step()
    return time.perf_counter() - start, value


Latencies = tuple[list[float], list[float], int]  # computed, from memory, KPI rows


def api_rows(database: Database, url: str, repeat: int) -> dict[str, Latencies]:
    """Each combination's latencies computed from the aggregates (the report's memory
    emptied before each call) and served from memory, and its number of KPI rows."""
    with database.reading() as session:
        admin = session.scalars(select(User.id).where(User.role == "admin")).first()
    assert admin is not None, "the demo store has an admin"
    headers = {"Authorization": f"Bearer {create_token(database, admin, 'bench').secret}"}
    folder = Path(tempfile.mkdtemp(prefix="charter-kpis-"))
    settings = Settings(environment=Environment.development, data_dir=folder,
                        database_url=url, secret_key="bench-" * 8)  # fmt: skip
    rows = {}
    with TestClient(create_app(settings, database)) as client:

        def get(params: dict[str, str], *, cold: bool) -> float:
            if cold:
                kpi_report._report.cache_clear()
            took, response = timed(lambda: client.get("/api/kpis", params=params,
                                                      headers=headers))  # fmt: skip
            assert response.status_code == 200, response.text
            return took

        for name, params in COMBINATIONS.items():
            cold = [get(params, cold=True) for _ in range(repeat)]
            warm = [get(params, cold=False) for _ in range(repeat)]
            count = len(client.get("/api/kpis", params=params, headers=headers).json()["kpis"])
            rows[name] = (cold, warm, count)
    return rows


def ticket_rows(database: Database) -> tuple[dict[str, float], int]:
    """The old route's work, step by step: read every ticket, evaluate, compute."""
    operating = operating_version(database)
    assert operating is not None
    policy = operating.policy()
    steps: dict[str, float] = {}
    steps["read the tickets"], data = timed(lambda: read_ticket_data(database))
    with database.reading() as session:
        now = session.execute(text("SELECT max(as_of) FROM ticket_daily")).scalar_one()
    steps["evaluate SLA"], sla = timed(lambda: evaluate(policy, data, now=now))
    period = policy.kpis.period if policy.kpis else "week"
    events = data.events if data.events.height else None
    steps["KPIs"], table = timed(
        lambda: kpis(data.tickets, sla, period=period, now=now, events=events)
    )
    volume = table.filter(pl.col("kpi") == "volume")["value"].sum()
    assert volume == data.tickets.height, (volume, data.tickets.height)
    return steps, table.height


def report(api: dict[str, Latencies], old: tuple[dict[str, float], int], tickets: int) -> None:
    table = Table(title=f"GET /api/kpis, PostgreSQL, {tickets:,} tickets over a year")
    for column in ("computation", "KPI rows", "computed: median s", "max s", "target", "met",
                   "from memory: median s"):  # fmt: skip
        table.add_column(column, justify="left" if column == "computation" else "right")
    for name, (cold, warm, count) in api.items():
        slowest = max(cold)
        met = "yes" if slowest < TARGET_S else "no"
        table.add_row(f"aggregates: {name}", f"{count:,}", f"{statistics.median(cold):.3f}",
                      f"{slowest:.3f}", f"< {TARGET_S:.0f} s", met,
                      f"{statistics.median(warm):.3f}")  # fmt: skip
    steps, count = old
    total = sum(steps.values())
    table.add_row("ticket rows (the route before), default, once", f"{count:,}", f"{total:.1f}",
                  "", "", "", "")  # fmt: skip
    console.print(table)
    console.print("Ticket rows, step by step: "
                  + ", ".join(f"{name} {s:.1f} s" for name, s in steps.items()))  # fmt: skip
    default = statistics.median(next(iter(api.values()))[0])
    console.print(f"Default parameters: the aggregates answer in {default:.3f} s where the "
                  f"ticket rows took {total:.1f} s ({total / default:,.0f}x).")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("CHARTER_TEST_DATABASE_URL"))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep a store seeded before")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.postgres:
        parser.error("give --postgres URL or set CHARTER_TEST_DATABASE_URL")
    url = scoped_url(args.postgres, reuse=args.reuse)
    database = Database(url)
    seed(database, args.tickets)
    with database.reading() as session:
        tickets = session.execute(text("SELECT count(*) FROM tickets")).scalar_one()
    api = api_rows(database, url, args.repeat)
    old = ticket_rows(database)
    report(api, old, tickets)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    console.print(f"Machine: PostgreSQL counts 10,000,000 generated rows in "
                  f"{machine_reference(args.postgres):.2f} s (best of three); load average "
                  f"{load} on {os.cpu_count()} cores.")  # fmt: skip
    database.dispose()


if __name__ == "__main__":
    main()
