"""``charter backtest`` on files: tables, JSON, CSV, two drafts, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from charter.tickets.dataset import write_dataset
from support.cases import backtest_tickets

runner = CliRunner()
POLICY = """
organisation: {name: A, mission: M}
calendars: [{id: office, timezone: Europe/London,
  weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00], thu: [09:00-17:00],
           fri: [09:00-17:00]}}]
service_levels:
  rules: [{id: main, targets: {first_response: {within: TARGET, clock: office}}}]
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    new, old = tmp_path / "new.yaml", tmp_path / "old.yaml"
    new.write_text(POLICY.replace("TARGET", "2h"), "utf-8")
    old.write_text(POLICY.replace("TARGET", "4h"), "utf-8")
    data = backtest_tickets()
    write_dataset(tmp_path / "data", data.tickets, data.events)
    return new, old, tmp_path / "data"


def run(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_backtest_prints_the_share_met_per_promise(files: tuple[Path, Path, Path]) -> None:
    new, _, data = files
    code, output = run("backtest", new, "--tickets", data, "--now", "2026-01-12T09:00Z")
    assert code == 0, output
    assert "60 %" in output and "The ten worst tickets" in output


def test_backtest_json_against_another_draft_with_recommendations(
    files: tuple[Path, Path, Path],
) -> None:
    new, old, data = files
    code, output = run("backtest", new, "-t", data, "--against", old, "--recommend", "80",
                       "--now", "2026-01-12T09:00Z", "--format", "json")  # fmt: skip
    assert code == 0, output
    result = json.loads(output)
    assert result["promises"][0]["share"] == pytest.approx(0.6)
    assert result["against"][0]["change_points"] == pytest.approx(-20.0)
    assert result["recommendations"][0]["recommended_seconds"] == 10800
    assert [w["ticket_id"] for w in result["worst"]] == ["t5", "t4"]


def test_backtest_csv_is_the_promise_table(files: tuple[Path, Path, Path]) -> None:
    new, _, data = files
    result = runner.invoke(app, ["backtest", str(new), "-t", str(data), "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, first = result.stdout.splitlines()[:2]
    assert header.startswith("rule_id,metric,") and first.startswith("main,first_response,")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["-t", "missing-folder"], 2, "no such file"),
        (["-t", "DATA", "--now", "yesterday"], 2, "not an ISO 8601"),
        (["-t", "DATA", "--timezone", "Mars/Base"], 2, "not an IANA timezone"),
        (["-t", "DATA", "--recommend", "150"], 2, ""),
        (["-t", "DATA", "--against", "nope.yaml"], 2, "no such file"),
    ],
)
def test_backtest_bad_usage_exits_2(
    files: tuple[Path, Path, Path], args: list[str], code: int, words: str
) -> None:
    new, _, data = files
    exit_code, output = run("backtest", new, *[str(data) if a == "DATA" else a for a in args])
    assert exit_code == code, output
    assert words in output


def test_backtest_of_an_invalid_policy_exits_1_with_its_line(
    files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, _, data = files
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: {name: A}\n", "utf-8")
    code, output = run("backtest", bad, "-t", data)
    assert code == 1 and f"{bad}:1:" in output


def test_backtest_of_an_empty_ticket_set_is_refused(tmp_path: Path) -> None:
    from charter.tickets.dataset import empty_events, empty_tickets

    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY.replace("TARGET", "2h"), "utf-8")
    write_dataset(tmp_path / "empty", empty_tickets(), empty_events())
    code, output = run("backtest", policy, "-t", tmp_path / "empty")
    assert code == 2 and "no tickets to work on" in output


def test_backtest_against_names_both_policy_files_and_says_which_keeps_more_promises(
    tmp_path: Path, files: tuple[Path, Path, Path]
) -> None:
    # Issue 14, point 16: the two drafts promise 70 % of first replies within 2 h (new)
    # and within 4 h (old). On backtest_tickets 3 of 5 replies come within 2 h (60 %,
    # under 70 %: not kept) and 4 of 5 within 4 h (80 %: kept), so the old file keeps
    # one promise and the new one none: the old one keeps more.
    new, old, data = files
    new.write_text(POLICY.replace("TARGET", "2h, attainment: 70%"), "utf-8")
    old.write_text(POLICY.replace("TARGET", "4h, attainment: 70%"), "utf-8")
    page = tmp_path / "against.html"
    code, output = run("backtest", new, "-t", data, "--against", old, "--now",
                       "2026-01-12T09:00Z", "--report", page)  # fmt: skip
    assert code == 0, output
    flat = " ".join(output.split())
    assert f"{old} keeps more promises" in flat
    assert f"{new} keeps 0 of its 1 measured promises, {old} keeps 1 of its 1" in flat
    report = page.read_text("utf-8")
    for heading in (f"met under {old}", f"met under {new}", f"kept under {old}",
                    f"kept under {new}", f"{new} minus {old} (points)"):  # fmt: skip
        assert heading in report, heading
    assert "other draft" not in report and "this draft" not in report
    assert f"{old} keeps more promises" in report


def test_backtest_against_a_draft_keeping_as_many_promises_says_which_meets_more_tickets(
    files: tuple[Path, Path, Path],
) -> None:
    # Neither draft promises a share, so each promises every reply: 60 % and 80 % both
    # fall short, a tie at 0 kept; on the one shared promise old.yaml meets 80 - 60 = 20
    # points more tickets.
    new, old, data = files
    code, output = run("backtest", new, "-t", data, "--against", old, "--now",
                       "2026-01-12T09:00Z", "--format", "json")  # fmt: skip
    assert code == 0, output
    result = json.loads(output)
    assert result["policies"] == {"this": str(new), "against": str(old)}
    assert result["verdict"].endswith(
        f"neither keeps more promises; on the promises both make, {old} meets them on more "
        f"tickets (20.0 points more on average than {new})."
    )
