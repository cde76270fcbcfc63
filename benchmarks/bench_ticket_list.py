"""The ticket list on 200,000 tickets: each sort and the filters a worklist uses, on
PostgreSQL and SQLite, all sorted and counted in the database.

Seeds (or, with ``--reuse``, keeps) the demo store: the example policy published and
``--tickets`` synthetic tickets with their SLA state, in the schema
``charter_ticket_list`` of the PostgreSQL database given (``--postgres`` or
``CHARTER_TEST_DATABASE_URL``) and in a SQLite file. Then times, ``--repeat`` times
each, the first page of 50 (its rows and its count, as ``GET /tickets`` asks) and the
filters' choices.

    python benchmarks/bench_ticket_list.py [--postgres URL] [--tickets 200000]
                                           [--reuse] [--repeat 5] [--no-sqlite]

Target: every page under 0.5 s (median).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench_kpis import END, scoped_url
from charter.services.demo import is_seeded, seed_demo
from charter.services.ticket_queries import Narrower, list_tickets
from charter.services.ticket_views import ticket_choices
from charter.store import Database

TARGET_S = 0.5
SCHEMA = "charter_ticket_list"
CASES: dict[str, dict[str, Any]] = {
    "default: unsolved, soonest due first": {"order": "due", "descending": False},
    "newest first (the API)": {},
    "sort by priority": {"order": "priority", "descending": False},
    "sort by SLA, worst first": {"order": "sla", "descending": False},
    "sort by assignee": {"order": "assignee", "descending": False},
    "sort by helpdesk id, descending": {"order": "helpdesk", "descending": True},
    "open, channel email, soonest due": {"open_only": True, "channel": "EMAIL", "order": "due"},
    "due within 4 h": {"narrower": Narrower(due_within=4), "order": "due"},
    "an agent's tickets": {"narrower": Narrower(assignees=("agent-3",)), "order": "due"},
    "search by helpdesk id": {"narrower": Narrower(search="SYN-100000")},
    "page 100, by team": {"order": "team", "page": 100, "descending": False},
}
console = Console(width=150)


def timed(database: Database, arguments: dict[str, Any], repeat: int) -> tuple[float, int]:
    times, total = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        total = list_tickets(database, **arguments).total
        times.append(time.perf_counter() - start)
    return statistics.median(times), total


def measure(name: str, database: Database, tickets: int, repeat: int, table: Table) -> None:
    database.upgrade()
    if not is_seeded(database):
        start = time.perf_counter()
        seed_demo(database, tickets=tickets, today=END)
        console.print(f"{name}: seeded {tickets:,} tickets in {time.perf_counter() - start:,.0f} s")
    for case, arguments in CASES.items():
        median, total = timed(database, arguments, repeat)
        verdict = "ok" if median < TARGET_S else "SLOW"
        table.add_row(name, case, f"{total:,}", f"{median * 1000:,.0f} ms", verdict)
    start = time.perf_counter()
    ticket_choices(database)
    took = (time.perf_counter() - start) * 1000
    table.add_row(name, "the filters' choices", "", f"{took:,.0f} ms", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("CHARTER_TEST_DATABASE_URL"))
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--sqlite-file", default=None)
    args = parser.parse_args()
    table = Table(title=f"Ticket list, first page of 50, {args.tickets:,} tickets (median)")
    for column in ("database", "list", "tickets kept", "time", f"< {TARGET_S} s"):
        table.add_column(column)
    if args.postgres:
        url = scoped_url(args.postgres, reuse=args.reuse, schema=SCHEMA)
        measure("PostgreSQL", Database(url), args.tickets, args.repeat, table)
    if not args.no_sqlite:
        path = Path(args.sqlite_file or Path(tempfile.mkdtemp()) / "list.db")
        measure("SQLite", Database(f"sqlite:///{path}"), args.tickets, args.repeat, table)
    console.print(table)


if __name__ == "__main__":
    main()
