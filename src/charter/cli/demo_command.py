"""``charter demo``: a seeded local Charter to look around in, served on 127.0.0.1.

The data lives in one folder (``demo-data`` by default): the SQLite database, the
session secret and the demo accounts' passwords (``demo-accounts.txt``). The first
run creates and seeds it; later runs reuse it and print the same accounts.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from charter.cli._output import err, out, reporting
from charter.cli._ports import listening_socket, serve_on
from charter.config import Environment, Settings
from charter.errors import CharterError, UsageError
from charter.services.demo import DemoAccount, is_seeded, seed_demo
from charter.store import Database
from charter.web.app import create_app

ACCOUNTS_FILE = "demo-accounts.txt"
SECRET_FILE = "secret-key"
CHOOSE = "--port {port} (with make: make demo PORT={port})"


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Folder for the demo database and accounts.")
    ] = Path("demo-data"),
    tickets: Annotated[
        int, typer.Option(help="Synthetic tickets to seed (over the last year).", min=1)
    ] = 200_000,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(help="Port to listen on (make demo PORT=8001 passes it).", min=0, max=65535),
    ] = 8000,
    serve: Annotated[bool, typer.Option(help="Serve the web app once seeded.")] = True,
) -> None:
    """Seed a local demo (the example policy published, a year of tickets, three
    accounts) on first run, print the accounts, and serve it.

    charter demo --port 8001

    A second run reuses the data in --data-dir; delete the folder to start again.
    A port already in use is reported before anything is seeded.
    """
    with reporting():
        sock = listening_socket(host, port, choose=CHOOSE) if serve else None
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = Settings(
            environment=Environment.development,
            data_dir=data_dir,
            secret_key=_secret(data_dir),
        )
        database = Database(settings.resolved_database_url)
        database.upgrade()
        accounts = _accounts(database, data_dir, tickets)
    _print_accounts(accounts, data_dir)
    if sock is None:
        database.dispose()
        return
    app = create_app(settings, database)
    out.print(f"Charter demo: http://{host}:{sock.getsockname()[1]}/  (Ctrl+C stops it)")
    stop = threading.Event()
    worker = threading.Thread(target=_work, args=(database, settings, stop), daemon=True)
    worker.start()
    try:
        serve_on(app, sock)
    finally:
        stop.set()
        worker.join(timeout=30)


def _work(database: Database, settings: Settings, stop: threading.Event) -> None:
    """The demo's worker, inside the server: clocks stay current and escalations fire
    (with no SMTP server set, their e-mail waits in the outbox and says why)."""
    from charter.services.worker import run_worker, worker_name

    try:
        run_worker(database, settings, stop=stop, worker=f"demo {worker_name()}")
    except CharterError as error:
        err.print(f"The demo's worker did not start: {escape(str(error))}")


def _secret(data_dir: Path) -> str:
    path = data_dir / SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _accounts(database: Database, data_dir: Path, tickets: int) -> list[DemoAccount]:
    path = data_dir / ACCOUNTS_FILE
    if is_seeded(database):
        if not path.exists():
            raise UsageError(
                f"{data_dir} holds a demo database but not {ACCOUNTS_FILE}; delete the folder "
                "to seed a new demo"
            )
        err.print(f"Reusing the demo data in {data_dir}.")
        return _read_accounts(path)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(f"{step} tickets", total=total)
            bar.update(tasks[step], completed=done)

        accounts, summary = seed_demo(database, tickets=tickets, progress=progress)
    err.print(f"Seeded {summary.inserted:,} tickets; SLA state for {summary.sla.tickets:,}.")
    lines = [f"{a.role}\t{a.email}\t{a.password}\t{a.name}" for a in accounts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return accounts


def _read_accounts(path: Path) -> list[DemoAccount]:
    accounts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        role, email, password, name = line.split("\t")
        accounts.append(DemoAccount(email, password, role, name))
    return accounts


def _print_accounts(accounts: list[DemoAccount], data_dir: Path) -> None:
    table = Table("role", "e-mail", "password", title="Demo accounts (sign in at /login)")
    for account in accounts:
        table.add_row(account.role, account.email, account.password)
    out.print(table)
    out.print(f"The passwords are kept in {data_dir / ACCOUNTS_FILE}.")
