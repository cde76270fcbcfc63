"""``charter sla evaluate``: per-ticket verdicts from files, without a database.

One hand-computed story on the ``desk`` calendar (Mon-Fri 09:00-17:30, Europe/London;
January is GMT, so London wall time = UTC). 2026-01-05 is a Monday. The rule ``main``
covers e-mail: first response within 2 h, resolution within 8 h, both on ``desk``;
resolution pauses in pending and on hold (the default). Judged at Tue 16:30.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app

runner = CliRunner()
AT = "2026-01-06T16:30:00Z"
H = 3600.0
POLICY = """
organisation: {name: A, mission: M}
calendars: [{id: desk, timezone: Europe/London,
  weekly: {mon: [09:00-17:30], tue: [09:00-17:30], wed: [09:00-17:30], thu: [09:00-17:30],
           fri: [09:00-17:30]}}]
service_levels:
  rules:
    - id: main
      when: {channel: [email]}
      targets:
        first_response: {within: 2h, clock: desk}
        resolution: {within: 8h, clock: desk}
"""
TICKETS = """id,created_at,channel,priority,status
A,2026-01-05T15:30:00Z,email,normal,solved
C,2026-01-06T15:00:00Z,email,normal,open
D,2026-01-06T09:00:00Z,email,normal,pending
E,2026-01-06T09:00:00Z,phone,normal,open
"""
EVENTS = """ticket_id,at,kind,status
A,2026-01-05T18:00:00Z,agent_reply,
A,2026-01-06T10:00:00Z,status,pending
A,2026-01-06T11:00:00Z,status,open
A,2026-01-06T14:00:00Z,status,solved
D,2026-01-06T09:30:00Z,agent_reply,
D,2026-01-06T10:00:00Z,status,pending
"""

# ticket, metric, rule, clock, target, start, stop, due, elapsed, paused, status, runs
EXPECTED = [
    # A's reply at Mon 18:00: 2 h of desk time (15:30-17:30; closed after), equal to the
    # target, but after the Mon 17:30 due: breached.
    ("A", "first_response", "main", "desk", 2 * H, "2026-01-05T15:30:00Z",
     "2026-01-05T18:00:00Z", "2026-01-05T17:30:00Z", 2 * H, 0.0, "breached", 1),
    # A's resolution: Mon 15:30-17:30 (2 h) + Tue 09:00-14:00 (5 h) = 7 h, less the hour
    # pending (Tue 10:00-11:00) = 6 h. The pause began with 3 h used (< 8 h), so it moves
    # the due: 9 h from Mon 15:30 = 2 h Mon + 7 h Tue = Tue 16:00. Solved 14:00: met.
    ("A", "resolution", "main", "desk", 8 * H, "2026-01-05T15:30:00Z",
     "2026-01-06T14:00:00Z", "2026-01-06T16:00:00Z", 6 * H, H, "met", 1),
    # C, created Tue 15:00, no reply by 16:30: 1.5 h of 2 h is 75 %: at risk; due 17:00.
    ("C", "first_response", "main", "desk", 2 * H, "2026-01-06T15:00:00Z", None,
     "2026-01-06T17:00:00Z", 1.5 * H, 0.0, "at_risk", 1),
    # C's resolution: 1.5 h of 8 h: pending; due 2.5 h Tue (to 17:30) + 5.5 h Wed = 14:30.
    ("C", "resolution", "main", "desk", 8 * H, "2026-01-06T15:00:00Z", None,
     "2026-01-07T14:30:00Z", 1.5 * H, 0.0, "pending", 1),
    # D replied at 09:30: 30 min, due 11:00: met.
    ("D", "first_response", "main", "desk", 2 * H, "2026-01-06T09:00:00Z",
     "2026-01-06T09:30:00Z", "2026-01-06T11:00:00Z", 0.5 * H, 0.0, "met", 1),
    # D pending since 10:00 with 7 h of its 8 h left: paused now, so no due; 7.5 h of
    # desk time less 6.5 h paused = 1 h elapsed.
    ("D", "resolution", "main", "desk", 8 * H, "2026-01-06T09:00:00Z", None, None,
     1 * H, 6.5 * H, "pending", 1),
    # E is a phone ticket: no rule governs it, so no promise and nothing to time.
    ("E", "first_response", None, None, None, None, None, None, None, None, "none", 0),
    ("E", "resolution", None, None, None, None, None, None, None, None, "none", 0),
]  # fmt: skip
COLUMNS = ("ticket_id", "metric", "rule_id", "clock", "target_seconds", "start_at", "stop_at",
           "due_at", "elapsed_seconds", "paused_seconds", "status", "runs")  # fmt: skip


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
