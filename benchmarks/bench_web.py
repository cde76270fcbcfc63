"""Pages under load: the public charter page, handbook search and the dashboard.

Seeds a demo store (``charter demo``'s data: the example policy published, a year of
synthetic tickets, three accounts) in a temporary folder, serves it with uvicorn in a
separate process on a loopback port, and sends requests at a fixed rate from an
asyncio client (open loop: a request leaves on schedule whether or not the previous
one came back, so a slow server shows as latency, not as fewer requests; latency runs
from when a request was due). The client speaks HTTP/1.1 on raw asyncio streams over
kept-alive connections, the cheapest Python client, so it takes little of the cores
the server needs. Each page
is measured against the reference: the same public page saved as a file and served
by the same server as a static file.

    python benchmarks/bench_web.py [--tickets 1000000] [--seconds 10] [--rate 200]
                                   [--dashboard-rate 2] [--connections 32]

Targets: public page p95 under 50 ms at 200 requests/s; dashboard p95 under 300 ms;
each dashboard view, the first time it is asked for (a year, a quarter, filtered),
under one second (its row's p95 column shows the slowest).
The server and the client share the machine's cores: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
from rich.console import Console
from rich.table import Table

console = Console(width=150)
FIRST_VIEWS = "dashboard, first views"
TARGETS = {"public page": 0.050, "dashboard": 0.300, FIRST_VIEWS: 1.0}  # p95, seconds

SERVER = """
import sys
from pathlib import Path
import uvicorn
from fastapi.staticfiles import StaticFiles
from charter.config import Environment, Settings
from charter.web.app import create_app

folder, port = Path(sys.argv[1]), int(sys.argv[2])
secret = (folder / "secret-key").read_text().strip()
app = create_app(Settings(environment=Environment.development, data_dir=folder,
                          secret_key=secret))
app.mount("/reference", StaticFiles(directory=folder / "reference"), name="reference")
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


@dataclass(frozen=True)
class Result:
    name: str
    rate: float
    sent: int
    failed: int
    latencies: list[float]
    seconds: float

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def seed(folder: Path, tickets: int) -> dict[str, tuple[str, str]]:
    """The demo data in ``folder``; the accounts by role (e-mail, password)."""
    command = [sys.executable, "-m", "charter.cli", "demo", "--data-dir", str(folder),
               "--tickets", str(tickets), "--no-serve"]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    accounts = {}
    for line in (folder / "demo-accounts.txt").read_text().splitlines():
        role, email, password, _ = line.split("\t")
        accounts[role] = (email, password)
    return accounts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(folder: Path, port: int) -> subprocess.Popen[bytes]:
    (folder / "reference").mkdir(exist_ok=True)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(folder), str(port)],
                              env={**os.environ})  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def session_cookie(base: str, email: str, password: str) -> str:
    """Sign in through the form; the session cookie as a ``Cookie`` header value."""
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = client.post("/login", data={"email": email, "password": password,
                                             "csrf_token": token})  # fmt: skip
        if answer.status_code >= 400:
            raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


class Connections:
    """Kept-alive HTTP/1.1 connections on raw asyncio streams: the cheapest client that
    Python offers, so the client spends little of the cores the server needs."""

    def __init__(self, port: int, size: int) -> None:
        self.port, self.size = port, size
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )

    async def open(self) -> None:
        for _ in range(self.size):
            self.idle.put_nowait(await asyncio.open_connection("127.0.0.1", self.port))

    async def get(self, path: str, cookie: str, *, authorization: str = "") -> int:
        """GET ``path`` on an idle connection (waiting for one if all are busy); a
        connection the server closed while idle is opened again."""
        reader, writer = await self.idle.get()
        extra = f"Cookie: {cookie}\r\n" if cookie else ""
        if authorization:
            extra += f"Authorization: {authorization}\r\n"
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
        writer.write(request)
        status_line = await reader.readline()
        if not status_line:  # closed after its keep-alive timeout
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            writer.write(request)
            status_line = await reader.readline()
        status = int(status_line.split()[1])
        length, chunked = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value:
                chunked = True
        if chunked:
            while size := int((await reader.readline()).strip(), 16):
                await reader.readexactly(size + 2)
            await reader.readline()
        else:
            await reader.readexactly(length)
        self.idle.put_nowait((reader, writer))
        return status

    async def close(self) -> None:
        while not self.idle.empty():
            _, writer = self.idle.get_nowait()
            writer.close()


async def load(pool: Connections, cookie: str, name: str, path: str, rate: float,
               seconds: float) -> Result:  # fmt: skip
    """``rate`` requests a second to ``path`` for ``seconds``, on schedule. Latency runs
    from when a request was due, so waiting for a connection counts."""
    latencies: list[float] = []
    failed = 0

    async def one(due: float) -> None:
        nonlocal failed
        try:
            status = await pool.get(path, cookie)
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            failed += 1
            return
        if status != 200:
            failed += 1
            return
        latencies.append(time.perf_counter() - due)

    total = int(rate * seconds)
    began = time.perf_counter()
    tasks = []
    for i in range(total):
        due = began + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
    await asyncio.gather(*tasks)
    return Result(name, rate, total, failed, latencies, time.perf_counter() - began)


async def first_views(pool: Connections, cookie: str) -> Result:
    """Each dashboard view once, as the first asked for since the aggregates were
    refilled: nothing is served from memory. Latency is the slowest of them. One other
    view (January's) is asked for first, so the server process has parsed the policy
    and compiled the templates, as it has after serving any page."""
    this_year = dt.date.today().year
    await pool.get(f"/dashboard?period={this_year}-01", cookie)
    views = [f"/dashboard?period={this_year}", f"/dashboard?period={this_year - 1}",
             f"/dashboard?period={this_year}&channel=email",
             f"/dashboard?period={this_year}&channel=email&priority=high",
             f"/dashboard?period={this_year}-Q1", "/dashboard?every=week",
             f"/dashboard?period={this_year}-Q4&every=day"]  # fmt: skip
    console.print(f"  dashboard, first views: {len(views)} views, one request each")
    latencies, failed, began = [], 0, time.perf_counter()
    for view in views:
        sent = time.perf_counter()
        status = await pool.get(view, cookie)
        took = time.perf_counter() - sent
        console.print(f"    {view}: {status}, {took * 1000:,.0f} ms")
        failed += status != 200
        latencies.append(took)
    return Result(FIRST_VIEWS, 0, len(views), failed, latencies, time.perf_counter() - began)


async def measure(port: int, accounts: dict[str, tuple[str, str]], args: argparse.Namespace,
                  folder: Path) -> list[Result]:  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    page = httpx.get(f"{base}/", timeout=30)
    if page.status_code != 200:
        raise SystemExit(f"the public page answered {page.status_code}")
    (folder / "reference" / "charter.html").write_text(page.text, encoding="utf-8")
    manager = session_cookie(base, *accounts["manager"])
    pool = Connections(port, args.connections)
    await pool.open()
    plan = [
        ("", "static file (reference)", "/reference/charter.html", args.rate),
        ("", "public page", "/", args.rate),
        (manager, "handbook search", "/handbook/search?q=refund", args.rate / 4),
        (manager, "dashboard", "/dashboard", args.dashboard_rate),
    ]
    results = [await first_views(pool, manager)]
    for cookie, name, path, rate in plan:
        await pool.get(path, cookie)  # warm up: first render, caches
        console.print(f"  {name}: {rate:g} requests/s for {args.seconds:g} s")
        results.append(await load(pool, cookie, name, path, rate, args.seconds))
    await pool.close()
    return results


def report(results: list[Result], tickets: int) -> None:
    table = Table(title=f"Pages under load (demo data, {tickets:,} tickets, loopback)")
    for column in ("page", "rate /s", "sent", "failed", "achieved /s", "p50 ms", "p95 ms",
                   "p99 ms", "mean ms", "target p95", "met"):  # fmt: skip
        table.add_column(column, justify="left" if column == "page" else "right")
    for r in results:
        target = TARGETS.get(r.name)
        p95 = max(r.latencies) if r.name == FIRST_VIEWS else r.quantile(0.95)
        table.add_row(
            r.name, f"{r.rate:g}" if r.rate else "-", f"{r.sent:,}", f"{r.failed:,}",
            f"{len(r.latencies) / r.seconds:,.1f}", f"{r.quantile(0.5) * 1000:,.1f}",
            f"{p95 * 1000:,.1f}", f"{r.quantile(0.99) * 1000:,.1f}",
            f"{statistics.fmean(r.latencies) * 1000:,.1f}" if r.latencies else "-",
            f"< {target * 1000:.0f} ms" if target else "",
            ("yes" if p95 < target and r.failed == 0 else "no") if target else "",
        )  # fmt: skip
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--dashboard-rate", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--data-dir", type=Path, help="reuse (or create) the demo data here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.data_dir or Path(scratch)
        began = time.perf_counter()
        accounts = seed(folder, args.tickets)
        console.print(f"demo data ready in {time.perf_counter() - began:.1f} s")
        port = free_port()
        server = start(folder, port)
        try:
            results = asyncio.run(measure(port, accounts, args, folder))
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(results, args.tickets)


if __name__ == "__main__":
    main()
