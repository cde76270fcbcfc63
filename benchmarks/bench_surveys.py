"""The worker's survey step (``charter.services.surveys.send_surveys``) on a store of
solved tickets with requesters' addresses, on SQLite and PostgreSQL.

The example policy (a CSAT survey an hour after the solve, docs/feedback.md) is
published before the first ticket, so every solved ticket is one surveys were switched
on for; the synthetic history is imported with an address per ticket; then the step runs
at two hours after the last solve, tick after tick, until a tick has nothing to do. The
first tick schedules every invitation in one statement and queues the first 10,000
e-mails; each later tick queues up to 10,000 more; the last one is idle.

    python benchmarks/bench_surveys.py [--tickets 100000] [--postgres URL]

PostgreSQL comes from ``--postgres`` or ``CHARTER_TEST_DATABASE_URL``; without either
its rows are skipped with a message. Only the ``charter_bench_surveys`` schema is
touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from bench_worker import EXAMPLE, scoped
from charter.config import Settings
from charter.services.surveys import SurveyRun, send_surveys
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store.models import PolicyRecord, PolicyVersion
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize

SCHEMA = "charter_bench_surveys"
SINCE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # the policy's effective instant


def publish(database: Database) -> None:
    """The example policy, published and in force from ``SINCE``."""
    with database.transaction() as session:
        record = PolicyRecord(slug="example", name="Example")
        session.add(record)
        session.flush()
        session.add(PolicyVersion(policy_id=record.id, number=1, status="published",
                                  text=EXAMPLE, content_hash="example",
                                  published_at=SINCE, effective_at=SINCE))  # fmt: skip


def run(url: str, tickets: pl.DataFrame, events: pl.DataFrame) -> list[tuple[float, SurveyRun]]:
    """Every tick of the survey step on a fresh store at ``url``: seconds and what it did."""
    database = Database(url)
    database.upgrade()
    publish(database)  # in force from before the first ticket
    result = ImportResult(tickets, events, empty_rejects())
    import_tickets(database, result, source="synth", batch_size=50_000)
    settings = Settings(secret_key="a" * 40, base_url="https://charter.example", database_url=url)
    now = tickets["solved_at"].max() + dt.timedelta(hours=2)
    ticks: list[tuple[float, SurveyRun]] = []
    while not ticks or ticks[-1][1].total:
        began = time.perf_counter()
        done = send_surveys(database, settings, now)
        ticks.append((time.perf_counter() - began, done))
    database.dispose()
    return ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("CHARTER_TEST_DATABASE_URL"))
    options = parser.parse_args()
    data = synthesize(options.tickets, 365, 5, start=dt.date(2025, 11, 1))
    tickets = data.tickets.with_columns(
        pl.format("customer-{}@example.test", pl.col("id")).alias("requester_email")
    )
    solved = tickets["solved_at"].is_not_null().sum()
    console = Console(width=120)
    table = Table(title=f"Survey step: {options.tickets:,} tickets, {solved:,} solved")
    for column in ("store", "first tick", "scheduled", "queued first", "later ticks",
                   "slowest later", "idle tick"):  # fmt: skip
        table.add_column(column, justify="left" if column == "store" else "right")
    with tempfile.TemporaryDirectory() as folder:
        stores = [("SQLite", f"sqlite:///{Path(folder) / 'surveys.db'}")]
        if options.postgres:
            stores.append(("PostgreSQL", scoped(options.postgres, SCHEMA)))
        else:
            console.print("PostgreSQL: give --postgres or CHARTER_TEST_DATABASE_URL")
        for name, url in stores:
            (first, done), *later, (idle, _) = run(url, tickets, data.events)
            slowest = max((seconds for seconds, _ in later), default=0.0)
            table.add_row(name, f"{first:.2f} s", f"{done.scheduled:,}", f"{done.sent:,}",
                          f"{len(later)}", f"{slowest:.2f} s", f"{idle:.2f} s")  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
