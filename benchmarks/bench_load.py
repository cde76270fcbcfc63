"""Load with nothing lost: pages and the API answer while a large import runs.

For SQLite (a fresh file in a temporary folder) and PostgreSQL (the schema
``charter_load``, emptied and migrated first): seed the demo (three accounts, the
example policy published, ``--seed-tickets`` tickets), serve it with uvicorn in a
separate process on a loopback port, then upload ``--tickets`` synthetic tickets as
CSV (``POST /api/tickets/import``) while ``--clients`` loopback clients ask, each as
fast as it is answered, for the public page and for an authenticated API list
(``GET /api/tickets`` with an API token), half each. The clients run for
``--seconds`` and at least until the import has answered.

    python benchmarks/bench_load.py [--tickets 200000] [--seconds 30] [--clients 20]
                                    [--seed-tickets 20000] [--postgres URL] [--no-sqlite]

PostgreSQL comes from ``--postgres`` or ``CHARTER_TEST_DATABASE_URL``; without either
it is skipped with a message. Target: no 5xx answer, and the import complete and
exact: every uploaded ticket stored once under the source ``csv``. The import, the
server and the clients share the machine's cores: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from bench_store import postgres_url
from bench_web import Connections, free_port
from charter.services.accounts import find_user
from charter.services.demo import seed_demo
from charter.services.tokens import create_token
from charter.store import Database
from charter.store.models import Ticket
from charter.tickets.synth import synthesize, write_csv

SCHEMA = "charter_load"
SOURCE = "csv"
console = Console(width=150)

SERVER = """
import sys
import uvicorn
from charter.config import Environment, Settings
from charter.web.app import create_app

url, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
app = create_app(Settings(environment=Environment.development, database_url=url,
                          data_dir=folder, secret_key="load-" * 10))
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


@dataclass
class Endpoint:
    """What the clients of one endpoint saw."""

    name: str
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0  # 5xx
    other: int = 0  # any other answer than 200, or no answer

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.server_errors + self.other

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@dataclass
class Upload:
    """The import's answer, how long it took, and what the store holds afterwards."""

    status: int = 0
    body: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""
    stored: int = 0


def prepare(name: str, url: str, folder: Path, seed_tickets: int) -> str:
    """The demo in the database at ``url``; an API token of its manager."""
    database = Database(url)
    database.upgrade()
    began = time.perf_counter()
    seed_demo(database, tickets=seed_tickets, days=365)
    manager = find_user(database, "manager@demo.example")
    token = create_token(database, manager.id, "load benchmark").secret
    database.dispose()
    console.print(f"[bold]{name}[/bold]: demo seeded in {time.perf_counter() - began:.1f} s")
    return token


def start(url: str, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port), str(folder)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server, port
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def upload(port: int, token: str, files: list[Path], into: Upload) -> None:
    """POST the files as one import; runs on its own thread."""
    began = time.perf_counter()
    try:
        with httpx.Client(timeout=3600) as client:
            handles = [(path.name, path.open("rb"), "text/csv") for path in files]
            try:
                answer = client.post(
                    f"http://127.0.0.1:{port}/api/tickets/import",
                    headers={"Authorization": f"Bearer {token}"},
                    data={"source": SOURCE},
                    files=[("files", handle) for handle in handles],
                )
            finally:
                for _, opened, _ in handles:
                    opened.close()
        into.status, into.body = answer.status_code, answer.json()
    except (httpx.HTTPError, ValueError) as error:
        into.error = f"{type(error).__name__}: {error}"
    into.seconds = time.perf_counter() - began


async def client(
    pool: Connections, endpoint: Endpoint, path: str, auth: str, stop: threading.Event,
    until: float,
) -> None:  # fmt: skip
    """Ask for ``path`` again as soon as it is answered, until the import is done and
    ``until`` has passed."""
    while not (stop.is_set() and time.perf_counter() >= until):
        sent = time.perf_counter()
        try:
            status = await pool.get(path, "", authorization=auth)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            endpoint.other += 1
            continue
        if status == 200:
            endpoint.latencies.append(time.perf_counter() - sent)
        elif status >= 500:
            endpoint.server_errors += 1
        else:
            endpoint.other += 1


async def under_load(port: int, token: str, files: list[Path], args: argparse.Namespace
                     ) -> tuple[list[Endpoint], Upload, float]:  # fmt: skip
    public, api = Endpoint("public page /"), Endpoint("GET /api/tickets")
    plan = [(public, "/", ""), (api, "/api/tickets?limit=50", f"Bearer {token}")]
    pool = Connections(port, args.clients)
    await pool.open()
    for _endpoint, path, auth in plan:  # warm up: first render, caches
        await pool.get(path, "", authorization=auth)
    done, result = threading.Event(), Upload()

    def run_upload() -> None:
        upload(port, token, files, result)
        done.set()

    began = time.perf_counter()
    threading.Thread(target=run_upload, daemon=True).start()
    until = began + args.seconds
    await asyncio.gather(*(
        client(pool, *plan[i % len(plan)], done, until) for i in range(args.clients)
    ))  # fmt: skip
    await pool.close()
    return [public, api], result, time.perf_counter() - began


def stored(url: str) -> int:
    database = Database(url)
    with database.reading() as session:
        count = session.scalar(select(func.count()).where(Ticket.source == SOURCE))
    database.dispose()
    return int(count or 0)


def run(name: str, url: str, files: list[Path], tickets: int, args: argparse.Namespace
        ) -> tuple[str, list[Endpoint], Upload, float]:  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        token = prepare(name, url, Path(scratch), args.seed_tickets)
        server, port = start(url, Path(scratch))
        try:
            console.print(f"  uploading {tickets:,} tickets while {args.clients} clients ask")
            endpoints, result, seconds = asyncio.run(under_load(port, token, files, args))
        finally:
            server.terminate()
            server.wait(timeout=60)
    result.stored = stored(url)
    return name, endpoints, result, seconds


def exact(result: Upload, tickets: int) -> bool:
    body = result.body
    return (
        result.status == 201
        and body.get("tickets") == body.get("inserted") == tickets
        and result.stored == tickets
    )


def report(runs: list[tuple[str, list[Endpoint], Upload, float]], tickets: int) -> None:
    table = Table(title=f"Requests while {tickets:,} tickets are imported (loopback)")
    for column in ("database", "endpoint", "seconds", "requests", "5xx", "other errors",
                   "answered /s", "p50 ms", "p95 ms", "mean ms"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("database", "endpoint") else "right")
    for name, endpoints, _, seconds in runs:
        for e in endpoints:
            table.add_row(
                name, e.name, f"{seconds:.1f}", f"{e.requests:,}", f"{e.server_errors:,}",
                f"{e.other:,}", f"{len(e.latencies) / seconds:,.1f}",
                f"{e.quantile(0.5) * 1000:,.1f}", f"{e.quantile(0.95) * 1000:,.1f}",
                f"{statistics.fmean(e.latencies) * 1000:,.1f}" if e.latencies else "-",
            )  # fmt: skip
    console.print(table)
    imports = Table(title="The import under load (target: complete and exact, no 5xx)")
    for column in ("database", "status", "seconds", "tickets", "inserted", "rejected",
                   "stored", "SLA computed", "exact", "no 5xx"):  # fmt: skip
        imports.add_column(column, justify="left" if column == "database" else "right")
    for name, endpoints, result, _ in runs:
        body = result.body
        imports.add_row(
            name, str(result.status or result.error), f"{result.seconds:.1f}",
            f"{body.get('tickets', 0):,}", f"{body.get('inserted', 0):,}",
            f"{body.get('rejected', 0):,}", f"{result.stored:,}",
            str(body.get("sla", {}).get("computed", "-")),
            "yes" if exact(result, tickets) else "no",
            "yes" if not any(e.server_errors for e in endpoints) else "no",
        )  # fmt: skip
    console.print(imports)
    for name, _, result, _ in runs:
        if not exact(result, tickets):
            console.print(f"{name}: the import answered {result.status}: "
                          f"{result.error or str(result.body)[:500]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed-tickets", type=int, default=20_000)
    parser.add_argument("--postgres", default=os.environ.get("CHARTER_TEST_DATABASE_URL"))
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        data = synthesize(args.tickets, 365, seed=11)
        files = write_csv(folder / "upload", data)
        size = sum(path.stat().st_size for path in files) / 1e6
        console.print(f"upload: {args.tickets:,} tickets, {data.events.height:,} events, "
                      f"{size:,.0f} MB of CSV")  # fmt: skip
        if not args.no_sqlite:
            url = f"sqlite:///{folder / 'charter.db'}"
            runs.append(run("SQLite", url, files, args.tickets, args))
        if args.postgres:
            runs.append(run("PostgreSQL", postgres_url(args.postgres, SCHEMA), files,
                            args.tickets, args))  # fmt: skip
        else:
            console.print("PostgreSQL skipped: give --postgres URL or CHARTER_TEST_DATABASE_URL")
    report(runs, args.tickets)


if __name__ == "__main__":
    main()
