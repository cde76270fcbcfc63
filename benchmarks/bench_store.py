"""Tickets into the store and SLA state out of it, at a million tickets.

For SQLite (a fresh file in a temporary folder) and PostgreSQL (a clean schema,
``charter_bench``, migrated from empty): import a synthetic history with its
events in batches (``charter.services.tickets.import_tickets``), import it again
(nothing changed, nothing written), then recompute the SLA state of every stored
ticket under the published example policy (``recompute_sla``). The reference row
is the way an ORM application usually writes tickets: one object per ticket and
per event, a lookup per ticket for the upsert, one commit; it runs on a sample
and is extrapolated.

    python benchmarks/bench_store.py [--tickets 1000000] [--postgres URL]
                                     [--batch-size 20000] [--sample 2000]

PostgreSQL comes from ``--postgres`` or ``CHARTER_TEST_DATABASE_URL``; without
either it is skipped with a message. Only the ``charter_bench`` schema is touched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from charter.services.sla_state import recompute_sla
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store.models import PolicyRecord, PolicyVersion, Ticket
from charter.tickets.dataset import TicketData
from charter.tickets.importing import ImportResult
from charter.tickets.synth import synthesize

SCHEMA = "charter_bench"
TARGETS = {("postgresql", "import"): 50_000.0}  # tickets per second
RECOMPUTE_TARGET_S = 20.0
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # a Sunday: two days on spans a working Monday
console = Console(width=150)


@dataclass(frozen=True)
class Row:
    database: str
    step: str
    tickets: int
    events: int
    seconds: float
    extrapolated: bool = False


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'charter.db'}"


def postgres_url(url: str, schema: str = SCHEMA) -> str:
    """A URL whose connections see only the benchmark's schema, emptied first."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def publish_example(database: Database) -> None:
    policy_text = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")
    with database.transaction() as session:
        record = PolicyRecord(slug="example", name="Example")
        session.add(record)
        session.flush()
        session.add(
            PolicyVersion(
                policy_id=record.id, number=1, status="published", text=policy_text,
                content_hash="example",
            )
        )  # fmt: skip


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = step()
    return time.perf_counter() - start, value


def run(name: str, url: str, data: TicketData, batch: int, sample: int) -> list[Row]:
    database = Database(url)
    database.upgrade()
    result = ImportResult(data.tickets, data.events, pl.DataFrame())
    tickets, events = data.tickets.height, data.events.height
    rows = []
    console.print(f"[bold]{name}[/bold]: importing {tickets:,} tickets, {events:,} events")
    seconds, summary = timed(
        lambda: import_tickets(database, result, source="synth", batch_size=batch)
    )
    assert summary.inserted == tickets and summary.events == events, summary
    rows.append(Row(name, "import", tickets, events, seconds))
    console.print(f"  import {seconds:.1f} s; importing it again")
    seconds, again = timed(
        lambda: import_tickets(database, result, source="synth", batch_size=batch)
    )
    assert again.unchanged == tickets and again.inserted + again.updated == 0, again
    rows.append(Row(name, "re-import, unchanged", tickets, events, seconds))
    publish_example(database)
    console.print(f"  re-import {seconds:.1f} s; recomputing SLA state")
    seconds, sla = timed(lambda: recompute_sla(database, now=NOW))
    assert sla.evaluated == tickets and sla.written == sla.states, sla
    rows.append(Row(name, "SLA recompute, every state new", tickets, events, seconds))
    console.print(f"  recompute {seconds:.1f} s ({sla.states:,} states); again, two days later")
    seconds, later = timed(lambda: recompute_sla(database, now=NOW + dt.timedelta(days=2)))
    assert later.tickets == tickets and 0 < later.evaluated < tickets, later
    step = f"SLA recompute, two days later ({later.evaluated:,} unsettled)"
    rows.append(Row(name, step, tickets, events, seconds))
    console.print(f"  recompute {seconds:.1f} s ({later.evaluated:,} evaluated); ORM sample")
    rows.append(naive(name, database, data, sample, tickets))
    database.dispose()
    return rows


def naive(name: str, database: Database, data: TicketData, sample: int, total: int) -> Row:
    """Row-by-row ORM upsert of ``sample`` tickets, extrapolated to ``total``."""
    tickets = data.tickets.head(sample)
    events = data.events.filter(pl.col("ticket_id").is_in(tickets["id"].implode()))
    by_ticket: dict[str, list[dict[str, Any]]] = {}
    for event in events.iter_rows(named=True):
        by_ticket.setdefault(event["ticket_id"], []).append(event)
    start = time.perf_counter()
    with database.transaction() as session:
        for row in tickets.iter_rows(named=True):
            found = session.scalar(
                select(Ticket).where(Ticket.source == "naive", Ticket.source_id == row["id"])
            )
            ticket = found or Ticket(source="naive", source_id=row["id"])
            for column in ("created_at", "updated_at", "channel", "segment", "team",
                           "assignee", "category", "tags", "first_response_at", "solved_at",
                           "csat", "nps", "priority", "status"):  # fmt: skip
                setattr(ticket, column, row[column])
            ticket.content_hash, ticket.imported_at = "-", dt.datetime.now(dt.UTC)
            mine = by_ticket.get(row["id"], [])
            ticket.events = {
                "at_us": [round(e["at"].timestamp() * 1e6) for e in mine],
                "kind": [e["kind"] for e in mine],
                "status": [e["status"] for e in mine],
            } if mine else None  # fmt: skip
            session.add(ticket)
    seconds = (time.perf_counter() - start) * total / sample
    return Row(name, f"ORM row by row (sample of {sample:,}, extrapolated)", total,
               round(events.height * total / sample), seconds, extrapolated=True)  # fmt: skip


def report(rows: list[Row], tickets: int, events: int) -> None:
    table = Table(title=f"Store: {tickets:,} tickets, {events:,} events (synthetic, 365 days)")
    for column in ("database", "step", "rows", "wall s", "tickets/s", "events/s", "target", "met"):
        table.add_column(column, justify="left" if column in ("database", "step") else "right")
    for row in rows:
        rate = row.tickets / row.seconds
        target, met = _target(row, rate)
        table.add_row(
            row.database, row.step, f"{row.tickets:,}", f"{row.seconds:,.1f}", f"{rate:,.0f}",
            f"{row.events / row.seconds:,.0f}", target, met,
        )  # fmt: skip
    console.print(table)
    for name in dict.fromkeys(r.database for r in rows):
        mine = {r.step: r for r in rows if r.database == name}
        reference = next(r for r in mine.values() if r.extrapolated)
        ratio = reference.seconds / mine["import"].seconds
        console.print(f"{name}: the batched import is {ratio:,.0f}x faster than the ORM loop.")


def _target(row: Row, rate: float) -> tuple[str, str]:
    if row.step.startswith("SLA recompute"):
        return f"< {RECOMPUTE_TARGET_S:.0f} s", "yes" if row.seconds < RECOMPUTE_TARGET_S else "no"
    wanted = TARGETS.get((row.database, row.step))
    if wanted is None:
        return "", ""
    return f">= {wanted:,.0f}/s", "yes" if rate >= wanted else "no"


def machine_reference(url: str) -> float:
    """Seconds PostgreSQL takes to count 10,000,000 generated rows (best of three): a
    figure of this machine's speed in the same run, to set the others against."""
    engine = create_engine(url)
    best = float("inf")
    with engine.connect() as connection:
        for _ in range(3):
            start = time.perf_counter()
            connection.execute(text("SELECT count(*) FROM generate_series(1, 10000000)"))
            best = min(best, time.perf_counter() - start)
    engine.dispose()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("CHARTER_TEST_DATABASE_URL"))
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    seconds, data = timed(lambda: synthesize(args.tickets, 365, seed=7))
    console.print(f"synthesised {data.tickets.height:,} tickets in {seconds:.1f} s")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        rows += run("sqlite", sqlite_url(Path(folder)), data, args.batch_size, args.sample)
    if args.postgres:
        url = postgres_url(args.postgres)
        rows += run("postgresql", url, data, args.batch_size, args.sample)
    else:
        console.print("PostgreSQL skipped: give --postgres URL or set CHARTER_TEST_DATABASE_URL")
    report(rows, data.tickets.height, data.events.height)
    if args.postgres:
        seconds = machine_reference(args.postgres)
        console.print(
            f"This machine: PostgreSQL counts 10,000,000 generated rows in {seconds:.2f} s "
            "(SELECT count(*) FROM generate_series(1, 10000000)); compare it with yours."
        )


if __name__ == "__main__":
    main()
