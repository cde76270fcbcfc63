"""``charter sla evaluate``: per-ticket verdicts from files, without a database.

One hand-computed story, worked out row by row in ``support.cases`` (the desk story).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from support.cases import DESK_AT as AT
from support.cases import DESK_COLUMNS as COLUMNS
from support.cases import DESK_EVENTS as EVENTS
from support.cases import DESK_EXPECTED as EXPECTED
from support.cases import DESK_POLICY as POLICY
from support.cases import DESK_TICKETS as TICKETS

runner = CliRunner()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    policy, tickets, events = (tmp_path / n for n in ("p.yaml", "tickets.csv", "events.csv"))
    policy.write_text(POLICY, "utf-8")
    tickets.write_text(TICKETS, "utf-8")
    events.write_text(EVENTS, "utf-8")
    return policy, tickets, events


def run(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def _csv_value(text: str) -> object:
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def test_sla_evaluate_writes_one_csv_row_per_ticket_and_metric_as_worked_by_hand(
    files: tuple[Path, Path, Path],
) -> None:
    policy, tickets, events = files
    code, output = run("sla", "evaluate", policy, "--tickets", tickets, "--events", events,
                       "--at", AT)  # fmt: skip
    assert code == 0, output
    reader = csv.DictReader(io.StringIO(output))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = [tuple(_csv_value(row[c]) for c in COLUMNS) for row in reader]
    expected = [tuple(float(v) if isinstance(v, float) else v for v in row) for row in EXPECTED]
    assert rows == expected


def test_sla_evaluate_json_holds_the_same_verdicts_and_the_instant(
    files: tuple[Path, Path, Path],
) -> None:
    policy, tickets, events = files
    code, output = run("sla", "evaluate", policy, "-t", tickets, "--events", events,
                       "--at", "2026-01-06T16:30:00+00:00", "--format", "json")  # fmt: skip
    assert code == 0, output
    found = json.loads(output)
    assert found["at"] == AT
    assert [tuple(row[c] for c in COLUMNS) for row in found["verdicts"]] == EXPECTED


def test_sla_evaluate_refuses_an_instant_without_an_offset(
    files: tuple[Path, Path, Path],
) -> None:
    policy, tickets, events = files
    code, output = run("sla", "evaluate", policy, "-t", tickets, "--at", "2026-01-06T16:30")
    assert code == 2
    assert "--at '2026-01-06T16:30' has no offset" in output
    assert "Traceback" not in output


def test_sla_evaluate_refuses_an_event_before_its_ticket_naming_file_and_row(
    files: tuple[Path, Path, Path],
) -> None:
    # A reply to C (created Tue 15:00) at Tue 14:00 is an hour before C existed.
    policy, tickets, events = files
    events.write_text(EVENTS + "C,2026-01-06T14:00:00Z,agent_reply,\n", "utf-8")
    code, output = run("sla", "evaluate", policy, "-t", tickets, "--events", events, "--at", AT)
    assert code == 2
    flat = " ".join(output.split())
    assert f"{events} row 7: at 2026-01-06T14:00:00Z is before its ticket's created_at" in flat
