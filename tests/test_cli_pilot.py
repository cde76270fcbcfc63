"""``charter pilot`` on files: verdicts, JSON, and every way to mark the pilot badly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from charter.tickets.dataset import empty_events, write_dataset
from support.cases import pilot_tickets

runner = CliRunner()
POLICY = """
organisation: {name: A, mission: M}
calendars: [{id: office, timezone: Europe/London,
  weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00], thu: [09:00-17:00],
           fri: [09:00-17:00]}}]
service_levels:
  rules: [{id: main, targets: {first_response: {within: 1h, clock: office}}}]
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, "utf-8")
    write_dataset(tmp_path / "data", pilot_tickets(), empty_events())
    return policy, tmp_path / "data"


def run(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_pilot_prints_a_verdict_for_each_comparison(files: tuple[Path, Path]) -> None:
    policy, data = files
    code, output = run("pilot", policy, "-t", data, "--pilot", "team=blue")
    assert code == 0, output
    assert "Pilot: 3 tickets; control: 4." in output
    assert output.count("•") == 3  # first-response compliance, its times, CSAT


def test_pilot_from_a_list_of_ticket_ids_in_json(files: tuple[Path, Path], tmp_path: Path) -> None:
    policy, data = files
    listing = tmp_path / "pilot.txt"
    listing.write_text("b1\nb2\n\nb3\n", "utf-8")
    code, output = run("pilot", policy, "-t", data, "--pilot-list", listing, "-f", "json")
    assert code == 0, output
    result = json.loads(output)
    assert (result["pilot_tickets"], result["control_tickets"]) == (3, 4)
    assert result["compliance"][0]["pilot_met"] == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "mark the pilot"),
        (["--pilot", "team=blue", "--pilot-list", "x.txt"], "mark the pilot"),
        (["--pilot", "teem=blue"], "did you mean 'team'"),
        (["--pilot", "team=green"], "both groups"),
        (["--pilot-list", "missing.txt"], "cannot read"),
    ],
)
def test_pilot_bad_usage_exits_2(files: tuple[Path, Path], args: list[str], words: str) -> None:
    policy, data = files
    code, output = run("pilot", policy, "-t", data, *args)
    assert code == 2, output
    assert words in output
