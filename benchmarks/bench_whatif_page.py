"""The live what-if on a store, as the page and its API pay for it: the first page
(reading the stored tickets and preparing their clock runs), a page again (the tickets'
stamp, then today's share of each promise from memory), the stamp alone, a try through
the API's service (the stamp reused), and the memory one prepared version keeps.

The store is the demo's (``seed_demo``: the example policy published, ``--tickets``
synthetic tickets over the year to 20 November 2026), in a new SQLite file, or the
database at ``--database`` (seeded when it has no tickets).

    python benchmarks/bench_whatif_page.py [--tickets 1000000] [--database URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from _timing import best
from charter.services.demo import seed_demo
from charter.services.whatif import forget_prepared, prepared_bytes, try_promise, whatif_view
from charter.store import Database
from charter.store.tickets.stamp import ticket_stamp

TRIES = [
    ("sl-default", "first_response", "4h"),
    ("sl-default", "resolution", "5wd"),
    ("sl-chat", "resolution", "12h"),
    ("sl-urgent", "next_response", "1h"),
]


def store(url: str | None, tickets: int) -> Database:
    database = Database(url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'charter.db'}")
    database.upgrade()
    with database.reading() as session:
        stored = ticket_stamp(session)[0]
    if not stored:
        seed_demo(database, tickets=tickets, today=dt.date(2026, 11, 20))
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    database = store(args.database, args.tickets)
    forget_prepared()
    first, view = best(lambda: whatif_view(database), 1)
    again, _ = best(lambda: whatif_view(database), 3)

    def stamp() -> None:
        with database.reading() as session:
            ticket_stamp(session)

    alone, _ = best(stamp, 3)
    table = Table(title=f"What-if page: {view.tickets:,} tickets in the window, "
                  f"{database.dialect}")  # fmt: skip
    table.add_column("step")
    table.add_column("time", justify="right")
    table.add_row("first page: read the tickets, prepare the runs", f"{first:.2f} s")
    table.add_row(f"page again: stamp + {len(view.promises)} promises' shares", f"{again:.3f} s")
    table.add_row("the tickets' stamp alone", f"{alone * 1000:.1f} ms")
    for rule, metric, within in TRIES:
        tried, _ = best(lambda r=rule, m=metric, w=within: try_promise(database, r, m, within=w), 5)
        table.add_row(f"try {rule} {metric} within {within}", f"{tried * 1000:.1f} ms")
    table.add_row("memory kept for the version", f"{prepared_bytes() / 2**20:.1f} MiB")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
