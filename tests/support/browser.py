"""A live Charter on a seeded SQLite store, and Debian's Chromium driven by Playwright.

Never a downloaded browser: Chromium is ``/usr/bin/chromium``, launched with the flags
DEVELOPERS.md lists. Without it the browser tests skip, or fail under
``CHARTER_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from charter.config import Environment, Settings
from charter.services.demo import DemoAccount, seed_demo
from charter.store import Database
from charter.web.app import create_app
from support.db import unavailable

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
TODAY = dt.date(2026, 11, 20)


@dataclass(frozen=True)
class Live:
    url: str
    accounts: dict[str, DemoAccount]  # by role


def chromium_path() -> str:
    if not CHROMIUM.exists():
        unavailable(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    return str(CHROMIUM)


@contextmanager
def live_charter(folder: Path, tickets: int = 2_000) -> Iterator[Live]:
    """The demo store (``tickets`` tickets) served by uvicorn on a free loopback port."""
    database = Database(f"sqlite:///{folder / 'charter.db'}")
    database.upgrade()
    accounts, _ = seed_demo(database, tickets=tickets, today=TODAY, cases=False)
    settings = Settings(environment=Environment.development, data_dir=folder,
                        secret_key="browser-tests-secret-key-long-enough-to-use")  # fmt: skip
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, database), host="127.0.0.1", port=port, log_level="warning"
        )  # fmt: skip
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", {a.role: a for a in accounts})
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        database.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, launched with ``FLAGS``."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=FLAGS)
        yield launched
        launched.close()


def sign_in(page: Any, live: Live, role: str) -> None:
    """Sign ``page`` in through the form as the demo account of ``role``."""
    account = live.accounts[role]
    page.goto(f"{live.url}/login")
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
