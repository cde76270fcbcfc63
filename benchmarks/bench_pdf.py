"""PDF downloads: time to first byte of the first and the second download.

Seeds a demo store (``charter demo``'s data: the example policy published, a year of
synthetic tickets, three accounts) in a temporary folder and copies it, then measures
two ways a server meets its first download, each on its own copy:

- **after the worker's tick**: one ``charter worker --once`` runs first, as it does
  beside every server (and inside ``charter demo``), then the server starts;
- **first request renders**: the server starts with no tick before it.

For each, ``/charter.pdf`` (anyone) and ``/handbook.pdf`` (signed-in staff) are asked
for twice, one after the other, over a fresh connection each, and the time to the
response's first byte (its status line and headers) is taken, then the time to its
last byte. The ratio is first over second within the same server.

    python benchmarks/bench_pdf.py [--tickets 3000]

Target: the first download under one second at the demo's size.
The server and the client share the machine's cores: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench_web import free_port, seed, session_cookie, start

console = Console(width=150)
TARGET = 1.0  # seconds to the first byte of the first download
DOCUMENTS = (("charter.pdf", False), ("handbook.pdf", True))


def worker_tick(folder: Path) -> float:
    """One worker tick on the store in ``folder``; its seconds."""
    began = time.perf_counter()
    env = {**os.environ, "CHARTER_DATA_DIR": str(folder), "CHARTER_ENVIRONMENT": "development",
           "CHARTER_SECRET_KEY": (folder / "secret-key").read_text().strip()}  # fmt: skip
    subprocess.run([sys.executable, "-m", "charter.cli", "worker", "--once"], check=True,
                   env=env, stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - began


def download(port: int, path: str, cookie: str) -> tuple[float, float, int]:
    """Seconds to the first byte and to the last, and the bytes, of one GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Cookie": cookie} if cookie else {}
    began = time.perf_counter()
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()  # returns once the status line and headers came
    first_byte = time.perf_counter() - began
    body = answer.read()
    last_byte = time.perf_counter() - began
    connection.close()
    if answer.status != 200 or not body.startswith(b"%PDF"):
        raise SystemExit(f"{path}: {answer.status}, {body[:80]!r}")
    return first_byte, last_byte, len(body)


def measure(folder: Path, staff: tuple[str, str]) -> list[tuple[str, float, float, float, int]]:
    """(document, first's first byte, second's first byte, first's last byte, bytes)."""
    port = free_port()
    server = start(folder, port)
    try:
        cookie = session_cookie(f"http://127.0.0.1:{port}", *staff)
        found = []
        for name, signed_in in DOCUMENTS:
            sent = cookie if signed_in else ""
            first, first_end, size = download(port, f"/{name}", sent)
            second, _, _ = download(port, f"/{name}", sent)
            found.append((name, first, second, first_end, size))
        return found
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        ticked, cold = Path(tmp) / "ticked", Path(tmp) / "cold"
        console.print(f"Seeding the demo with {args.tickets:,} tickets...")
        accounts = seed(ticked, args.tickets)
        shutil.copytree(ticked, cold)
        tick = worker_tick(ticked)
        rows = [("after the worker's tick", *row) for row in measure(ticked, accounts["agent"])]
        rows += [("first request renders", *row) for row in measure(cold, accounts["agent"])]
    table = Table(title=f"PDF downloads, demo with {args.tickets:,} tickets "
                        f"(worker tick before: {tick:.1f} s)")  # fmt: skip
    columns = ("server", "document", "1st: first byte", "2nd: first byte", "1st / 2nd",
               "1st: last byte", "bytes", f"1st under {TARGET:.0f} s")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column in ("server", "document") else "right")
    for server, name, first, second, first_end, size in rows:
        table.add_row(server, name, f"{first * 1000:,.0f} ms", f"{second * 1000:,.1f} ms",
                      f"{first / second:,.1f}", f"{first_end * 1000:,.0f} ms", f"{size:,}",
                      "yes" if first < TARGET else "no")  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
