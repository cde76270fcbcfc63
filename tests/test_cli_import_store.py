"""``charter import`` into the database and ``charter sla recompute``: output, exit codes,
batch sizes, and what an import killed part-way leaves behind."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from charter.cli import import_command, sla_commands
from charter.policy.service_level import METRICS
from charter.store import Database
from charter.tickets.dataset import TicketData, write_dataset
from support.ticket_store import (
    event_counts,
    expected_event_counts,
    publish,
    rows,
    scalar,
    synthetic,
)

runner = CliRunner()
app = typer.Typer()
import_command.register(app)
sla_commands.register(app)


@app.callback()
def _root() -> None:
    """A local app holding the import and sla commands."""


def run(url: str, *args: str | Path, **env: str) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args], env={"CHARTER_DATABASE_URL": url, **env})
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def dataset(folder: Path, data: TicketData) -> tuple[Path, Path]:
    write_dataset(folder, data.tickets, data.events)
    return folder / "tickets.parquet", folder / "events.parquet"


def test_an_import_without_out_goes_into_the_database_and_prints_its_counts(
    database_url: str, tmp_path: Path
) -> None:
    data = synthetic(60)
    code, output = run(database_url, "import", "csv", *dataset(tmp_path, data))
    assert code == 0, output
    words = " ".join(output.split())
    assert "inserted │ 60" in words and "rows rejected │ 0" in words
    assert "SLA state not recomputed: no policy is published yet" in words
    database = Database(database_url)
    assert event_counts(database, "csv") == expected_event_counts(data)
    database.dispose()


def test_json_reports_batches_and_a_second_import_finds_everything_unchanged(
    database_url: str, tmp_path: Path
) -> None:
    files = dataset(tmp_path, synthetic(90))
    args = ("import", "csv", *files, "--batch-size", "40", "--format", "json")
    first = json.loads(run(database_url, *args)[1])
    assert (first["ok"], first["inserted"], first["batches"]) == (True, 90, 3)
    code, output = run(database_url, *args)
    second = json.loads(output)
    assert code == 0
    assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, 90)


def test_the_batch_size_comes_from_the_settings_unless_the_option_gives_one(
    database_url: str, tmp_path: Path
) -> None:
    files = dataset(tmp_path, synthetic(50))
    env = {"CHARTER_IMPORT_BATCH_SIZE": "20"}
    first = json.loads(run(database_url, "import", "csv", *files, "-f", "json", **env)[1])
    assert first["batches"] == 3
    named = ("import", "csv", *files, "-f", "json", "--source-name", "other", "--batch-size", "7")
    second = json.loads(run(database_url, *named, **env)[1])
    assert (second["source"], second["batches"]) == ("other", math.ceil(50 / 7))


def test_rejected_rows_exit_one_and_go_to_the_rejects_file(
    database_url: str, tmp_path: Path
) -> None:
    csv = tmp_path / "tickets.csv"
    csv.write_text(
        "id,created_at,channel,priority,status\n1,2026-03-02T09:00:00Z,email,low,open\n"
        "2,2026-03-02T09:00:00Z,email,whenever,open\n",
        "utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    code, output = run(database_url, "import", "csv", csv, "--rejects", rejects)
    assert code == 1, output
    assert "whenever" in output and "Every rejected row is in" in output
    assert rejects.read_text("utf-8").splitlines()[1].startswith(f"{csv},2,")
    database = Database(database_url)
    assert rows(database, "SELECT source_id FROM tickets") == [("1",)]
    database.dispose()


def test_a_database_that_needs_migrating_is_refused_with_the_fix(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, output = run(url, "import", "csv", *dataset(tmp_path, synthetic(5)))
    assert code == 1
    assert "charter db upgrade" in " ".join(output.split())


def test_sla_recompute_prints_the_states_by_status(database_url: str, tmp_path: Path) -> None:
    code, output = run(database_url, "sla", "recompute")
    assert code == 0 and "no policy is published yet" in " ".join(output.split())
    run(database_url, "import", "csv", *dataset(tmp_path, synthetic(40)))
    publish(Database(database_url))
    code, output = run(database_url, "sla", "recompute", "--now", "2026-10-30T15:00Z")
    assert code == 0, output
    words = " ".join(output.split())
    assert "SLA state current for 40 tickets (40 evaluated) under main version 1" in words
    code, output = run(database_url, "sla", "recompute", "--now", "2026-10-30T15:00Z", "-f", "json")
    summary = json.loads(output)
    database = Database(database_url)
    columns = ", ".join(f"{metric}_status" for metric in METRICS)
    stored = Counter(
        status
        for row in rows(database, f"SELECT {columns} FROM sla_states")
        for status in row
        if status is not None
    )
    assert summary["statuses"] == dict(stored)
    assert summary["tickets"] == 40 and summary["evaluated"] < 40  # settled ones are skipped
    database.dispose()


@pytest.mark.parametrize(
    ("now", "words"),
    [("yesterday", "not an ISO 8601 instant"), ("2026-10-30T15:00", "has no offset")],
)
def test_a_bad_now_is_bad_usage(database_url: str, now: str, words: str) -> None:
    code, output = run(database_url, "sla", "recompute", "--now", now)
    assert code == 2 and words in output


BATCH = 40


def test_an_import_killed_part_way_leaves_whole_batches_each_with_all_its_events(
    database_url: str, tmp_path: Path
) -> None:
    data = synthetic(6000, seed=5)
    files = dataset(tmp_path, data)
    command = [sys.executable, "-c", "from charter.cli import main; main()", "import", "csv",
               *map(str, files), "--batch-size", str(BATCH)]  # fmt: skip
    env = {**os.environ, "CHARTER_DATABASE_URL": database_url}
    database = Database(database_url)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_a_batch(database, process)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    ((status, batches),) = rows(database, "SELECT status, batches FROM import_runs")
    assert status == "running", "the import ended before it was killed; give it more tickets"
    stored = event_counts(database, "csv")
    assert len(stored) == batches * BATCH < data.tickets.height
    expected = expected_event_counts(data)
    assert stored == {ticket: expected[ticket] for ticket in stored}
    # Whole batches: on PostgreSQL two are written at once, so the second may commit
    # before the first, but a batch is all there or not at all.
    order = {ticket: row for row, ticket in enumerate(data.tickets["id"])}
    touched = {order[ticket] // BATCH for ticket in stored}
    whole = {ticket for ticket, row in order.items() if row // BATCH in touched}
    assert set(stored) == whole
    database.dispose()


def wait_for_a_batch(database: Database, process: subprocess.Popen[bytes]) -> None:
    """Return as soon as the import has committed at least one batch."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the import stopped on its own"
        if scalar(database, "SELECT count(*) FROM tickets") > 0:
            return
        time.sleep(0.01)
    pytest.fail("no batch was committed within two minutes")
