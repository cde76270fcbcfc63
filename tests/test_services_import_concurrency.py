"""One import at a time: a second one at once is refused with 409 saying since when the
first runs (never "database is locked"), and a killed import's run is marked failed by
the next import or when the web app starts."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from charter.cli import import_command
from charter.errors import Conflict
from charter.services.tickets import ImportSummary, import_tickets
from charter.store import Database
from charter.store import import_runs as runs
from charter.store.import_runs import ImportLock
from charter.web.app import create_app
from support.api import assert_error_body
from support.ticket_store import result_of, rows, synthetic
from support.uploads import call, multipart, upload_chunks
from support.web import bearer, make_settings

SINCE = re.compile(r"an import is running since (\w{3} \d\d \w{3} \d{4} \d\d:\d\d:\d\d) UTC")
CSV = "id,created_at,channel,priority,status\n1,2026-03-02T09:00:00Z,email,low,open\n"


def started(database: Database, run_id: int) -> str:
    ((at,),) = rows(database, "SELECT started_at FROM import_runs WHERE id = :i", i=run_id)
    instant = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
    return instant.replace(tzinfo=None).strftime("%a %d %b %Y %H:%M:%S")  # C locale names


def test_two_imports_released_together_run_one_and_refuse_the_other_naming_its_start(
    database: Database,
) -> None:
    result = result_of(synthetic(300))
    barrier = threading.Barrier(2)
    answered = threading.Event()  # the refused import has its answer
    outcomes: list[ImportSummary | Exception] = []

    def hold(_done: int, _total: int) -> None:
        answered.wait(timeout=30)  # the import that runs waits for the other's answer

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(
                import_tickets(database, result, source="synth", batch_size=100, progress=hold)
            )
        except Exception as error:  # the test reads what each import ended with
            outcomes.append(error)
            answered.set()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    summaries = [o for o in outcomes if isinstance(o, ImportSummary)]
    refused = [o for o in outcomes if not isinstance(o, ImportSummary)]
    assert len(summaries) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], Conflict), repr(refused[0])
    found = SINCE.search(str(refused[0]))
    assert found, str(refused[0])
    assert found.group(1) == started(database, summaries[0].run_id)
    assert summaries[0].inserted == 300
    assert rows(database, "SELECT status FROM import_runs") == [("done",)]


def test_one_import_after_the_other_both_succeed(database: Database) -> None:
    result = result_of(synthetic(120))
    first = import_tickets(database, result, source="synth", batch_size=50)
    second = import_tickets(database, result, source="synth", batch_size=50)
    assert (first.inserted, second.unchanged) == (120, 120)
    statuses = rows(database, "SELECT status FROM import_runs ORDER BY id")
    assert statuses == [("done",), ("done",)]


def hold_the_import(database: Database) -> tuple[ImportLock, int]:
    """Be another import: hold the lock with a running row, as an import does."""
    lock = ImportLock.take(database)
    assert lock is not None
    with database.transaction() as session:
        run_id = runs.start_run(session, "zendesk", None, 0, dt.datetime.now(dt.UTC))
    return lock, run_id


def test_an_upload_while_an_import_runs_is_a_409_naming_its_start(
    client: TestClient, database: Database
) -> None:
    lock, run_id = hold_the_import(database)
    try:
        files = [("files", ("tickets.csv", CSV.encode(), "text/csv"))]
        response = client.post(
            "/api/tickets/import", data={"source": "csv"}, files=files,
            headers=bearer(database, "manager"),
        )  # fmt: skip
    finally:
        lock.release()
    assert response.status_code == 409, response.text
    assert_error_body(response.json(), 409, "conflict")
    found = SINCE.search(response.json()["error"]["message"])
    assert found and found.group(1) == started(database, run_id)
    assert "locked" not in response.text


def test_the_command_while_an_import_runs_says_since_when_and_exits_1(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    app = typer.Typer()
    import_command.register(app)
    app.callback()(lambda: None)
    (tmp_path / "t.csv").write_text(CSV)
    lock, run_id = hold_the_import(database)
    try:
        result = CliRunner().invoke(
            app, ["import", "csv", str(tmp_path / "t.csv")],
            env={"CHARTER_DATABASE_URL": database_url},
        )  # fmt: skip
    finally:
        lock.release()
    assert result.exit_code == 1, result.output
    found = SINCE.search(" ".join(result.output.split()))
    assert found and found.group(1) == started(database, run_id), result.output


KILLED = """
import sys, time
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize

data = synthesize(400, 21, 3)
result = ImportResult(data.tickets, data.events, empty_rejects())

def stop_here(done, total):
    print("batch", flush=True)
    time.sleep(600)

import_tickets(Database(sys.argv[1]), result, source="synth", batch_size=100, progress=stop_here)
"""


def kill_an_import_part_way(database_url: str) -> None:
    """Run an import in a process of its own and SIGKILL it after its first batch."""
    command = [sys.executable, "-c", KILLED, database_url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=dict(os.environ))
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == b"batch", "the import did not start"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()


def wait_until_the_lock_is_free(database: Database) -> None:
    """The server drops a dead connection's advisory lock a moment after the kill."""
    deadline = time.monotonic() + 10
    while (lock := ImportLock.take(database)) is None:
        assert time.monotonic() < deadline, "the killed import's lock was never released"
        time.sleep(0.05)
    lock.release()


@pytest.mark.parametrize("then", ["next import", "web app start"])
def test_a_killed_imports_run_is_marked_failed_by_the_next_import_or_the_app_start(
    database_url: str, database: Database, then: str
) -> None:
    kill_an_import_part_way(database_url)
    assert rows(database, "SELECT status FROM import_runs") == [("running",)]
    wait_until_the_lock_is_free(database)
    if then == "next import":
        summary = import_tickets(database, result_of(synthetic(30)), source="csv", batch_size=10)
        assert summary.inserted == 30
    else:
        create_app(make_settings(database_url), database)
    statuses = rows(database, "SELECT status, finished_at IS NOT NULL FROM import_runs ORDER BY id")
    killed = statuses[0]
    assert tuple(killed) == ("failed", True)
    assert [s for s, _ in statuses[1:]] == (["done"] if then == "next import" else [])


def test_an_upload_while_an_import_runs_is_refused_before_its_body_is_read(
    database_url: str, database: Database
) -> None:
    app = create_app(make_settings(database_url), database)
    headers = multipart(**bearer(database, "manager"))
    lock, _run_id = hold_the_import(database)
    try:
        answer = call(app, "/api/tickets/import", headers, upload_chunks(3_000_000))
    finally:
        lock.release()
    assert answer.status == 409, answer.body[:300]
    assert SINCE.search(answer.body.decode())
    assert answer.pulled == 0
