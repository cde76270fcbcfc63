"""``charter worker``: one tick with ``--once``, and SQLite's one worker.

Acme promises a first response within 1 hour around the clock; its breach level
e-mails ops@acme.example. The ticket was written 2 hours ago, so at the worker's tick
the level is due (it fell due an hour ago) and its e-mail goes out once.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from charter.cli import app
from charter.config import Settings
from charter.services.tickets import import_tickets
from charter.services.worker import run_worker
from charter.store import Database
from support.sla import data, make_ticket
from support.smtp import Mailbox, smtp_server
from support.ticket_store import publish, result_of, rows

runner = CliRunner()
POLICY = """\
organisation: {name: Acme, mission: Delight}
service_levels:
  rules:
    - id: sl-all
      targets: {first_response: {within: 1h, clock: 24x7}}
escalation:
  - {id: breached, metric: first_response, level: 1, at: breach, notify: [ops@acme.example]}
"""


@pytest.fixture
def mailbox() -> Any:
    with smtp_server() as box:
        yield box


@pytest.fixture
def charter(database_url: str, mailbox: Mailbox) -> Any:
    def run(*args: str) -> Result:
        env = {
            "CHARTER_DATABASE_URL": database_url,
            "CHARTER_SMTP_HOST": mailbox.host,
            "CHARTER_SMTP_PORT": str(mailbox.port),
            "CHARTER_SMTP_TLS": "none",
            "CHARTER_SMTP_FROM_ADDRESS": "charter@acme.example",
            "CHARTER_WORKER_DOCUMENTS": "false",  # the PDFs are not what these tests follow
            "COLUMNS": "200",
        }
        return runner.invoke(app, ["worker", *args], env=env)

    return run


def two_hours_old_ticket(database: Database) -> None:
    publish(database, POLICY)
    written = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    ticket = make_ticket(id="T9", created_at=written)
    import_tickets(database, result_of(data([ticket])), source="helpdesk", batch_size=10)


def test_one_tick_fires_the_breach_level_of_t9_and_mails_it_once(
    charter: Any, database: Database, mailbox: Mailbox
) -> None:
    two_hours_old_ticket(database)
    first = charter("--once", "--name", "w1")
    assert first.exit_code == 0, first.output
    assert "fired 1, sent 1" in first.output
    assert [r.recipients for r in mailbox.received] == [["ops@acme.example"]]
    subject = mailbox.received[0].message["Subject"]
    assert subject.startswith("Ticket T9: first response overdue by 1 h")
    ticks = rows(database, "SELECT worker, ticks, last_error FROM worker_ticks")
    assert ticks == [("w1", 1, None)]


def test_a_second_worker_on_sqlite_is_refused_naming_the_first_while_it_runs(
    charter: Any, database: Database, database_url: str, mailbox: Mailbox, tmp_path: Path
) -> None:
    two_hours_old_ticket(database)
    stop, ticked = threading.Event(), threading.Event()
    first = threading.Thread(
        target=run_worker,
        args=(Database(database_url), Settings(data_dir=tmp_path)),
        kwargs={"every": 0.2, "stop": stop, "worker": "w1", "report": lambda _: ticked.set()},
    )
    first.start()
    try:
        assert ticked.wait(timeout=60)
        second = charter("--once", "--name", "w2")
    finally:
        stop.set()
        first.join(timeout=60)
    if database.dialect == "postgresql":  # several workers share PostgreSQL
        assert second.exit_code == 0, second.output
        return
    assert second.exit_code == 1
    assert "worker w1 is running on charter.db, and SQLite runs one worker" in second.output
    assert "Traceback" not in second.output
    # Once w1 has stopped, the lock is free again.
    assert charter("--once", "--name", "w2").exit_code == 0
