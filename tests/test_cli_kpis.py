"""``charter kpis`` and the ``--report`` pages of the analytics commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from charter.tickets.dataset import write_dataset
from charter.tickets.synth import synthesize
from support import EXAMPLE_TEXT

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("analytics")
    policy = folder / "policy.yaml"
    policy.write_text(EXAMPLE_TEXT, "utf-8")
    data = synthesize(1500, 56, 3)
    write_dataset(folder / "data", data.tickets, data.events)
    return policy, folder / "data"


def run(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.output


def test_kpis_show_the_latest_period_and_every_target(files: tuple[Path, Path]) -> None:
    policy, data = files
    code, stdout, output = run("kpis", policy, "-t", data)
    assert code == 0, output
    assert "Targets (latest period)" in stdout
    for name in ("First response time", "Customer satisfaction", "Net Promoter Score"):
        assert name in stdout


def test_kpis_json_by_channel_names_clock_and_statistic(files: tuple[Path, Path]) -> None:
    policy, data = files
    code, stdout, output = run("kpis", policy, "-t", data, "--by", "channel", "-f", "json")
    assert code == 0, output
    rows = json.loads(stdout)["kpis"]
    assert {r["group"] for r in rows} == {"email", "chat", "phone", "web"}
    first = [r for r in rows if r["kpi"] == "first_response_time"]
    assert {(r["statistic"], r["clock"]) for r in first} >= {
        ("median", "business"), ("p90", "business"), ("median", "calendar"),
    }  # fmt: skip


def test_kpis_csv_has_one_row_per_period_group_and_kpi(files: tuple[Path, Path]) -> None:
    policy, data = files
    code, stdout, output = run("kpis", policy, "-t", data, "--period", "month", "-f", "csv")
    assert code == 0, output
    assert stdout.splitlines()[0] == "period,group,kpi,statistic,clock,value,unit,count"


@pytest.mark.parametrize(
    ("args", "words"), [(["--by", "colour"], "colour"), (["--period", "fortnight"], "fortnight")]
)
def test_kpis_bad_options_exit_2(files: tuple[Path, Path], args: list[str], words: str) -> None:
    policy, data = files
    code, _, output = run("kpis", policy, "-t", data, *args)
    assert code == 2 and words in output


def _check_page(path: Path, *phrases: str) -> str:
    page = path.read_text("utf-8")
    assert page.startswith("<!doctype html>") and page.count("<main") == 1
    assert not re.search(r"""(src|href)=["']https?:""", page), "the page must fetch nothing"
    for phrase in phrases:
        assert phrase in page, phrase
    return page


@pytest.mark.parametrize(
    ("command", "extra", "phrases"),
    [
        ("backtest", ["--recommend", "90"], ["would have kept", "Recommended targets", "<svg"]),
        ("kpis", [], ["First response time", "against a target of", "<svg"]),
        ("pilot", ["--pilot", "team=tier-2"], ["tickets in the pilot", "<svg"]),
    ],
)
def test_each_analytics_command_writes_a_self_contained_report(
    files: tuple[Path, Path], tmp_path: Path, command: str, extra: list[str], phrases: list[str]
) -> None:
    policy, data = files
    page = tmp_path / f"{command}.html"
    code, _, output = run(command, policy, "-t", data, *extra, "--report", page)
    assert code == 0, output
    _check_page(page, "Larkfield Home", *phrases)


def test_kpis_report_by_channel_shows_every_target_of_every_channel(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    # Issue 14, point 16: with --by channel the terminal lists each KPI target per
    # channel; the report used to keep only the rows without a group and so said "The
    # policy sets no KPI targets". Every (target, channel) the JSON lists must have its
    # verdict on the page.
    policy, data = files
    code, stdout, output = run("kpis", policy, "-t", data, "--by", "channel", "-f", "json")
    assert code == 0, output
    pairs = {(t["name"] or t["kpi"], t["group"]) for t in json.loads(stdout)["targets"]}
    assert {group for _, group in pairs} == {"email", "chat", "phone", "web"}
    page = tmp_path / "kpis.html"
    code, _, output = run("kpis", policy, "-t", data, "--by", "channel", "--report", page)
    assert code == 0, output
    text = _check_page(page, "measured per channel")
    assert "sets no KPI targets" not in text
    for name, group in pairs:
        assert f"{name}, {group}: " in text, (name, group)


def test_a_report_into_a_missing_folder_is_a_usage_error(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    policy, data = files
    code, _, output = run("backtest", policy, "-t", data, "--report", tmp_path / "no" / "r.html")
    assert code == 2 and "cannot write the report" in output


def test_pilot_csv_has_a_row_per_comparison(files: tuple[Path, Path]) -> None:
    policy, data = files
    code, stdout, output = run("pilot", policy, "-t", data, "--pilot", "team=tier-2", "-f", "csv")
    assert code == 0, output
    lines = stdout.splitlines()
    assert lines[0] == "comparison,pilot_count,control_count,p_value,enough,verdict"
    assert any(line.startswith("the first response promise,") for line in lines)


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("csv")
    code, _, output = run("synth", "--tickets", 800, "--days", 20, "--out", folder, "-f", "csv")
    assert code == 0, output
    return folder


def test_backtest_reads_canonical_csv_files(files: tuple[Path, Path], csv_files: Path) -> None:
    policy, _ = files
    code, stdout, output = run("backtest", policy, "--tickets", csv_files / "tickets.csv",
                               "--events", csv_files / "events.csv", "-f", "json")  # fmt: skip
    assert code == 0, output
    assert sum(p["met"] + p["breached"] for p in json.loads(stdout)["promises"]) > 800


def test_unreadable_csv_rows_are_named_by_file_and_row(
    files: tuple[Path, Path], csv_files: Path, tmp_path: Path
) -> None:
    policy, _ = files
    lines = (csv_files / "tickets.csv").read_text("utf-8").splitlines()
    fields = lines[2].split(",", 5)  # id, created_at, updated_at, channel, priority, rest
    fields[4] = "whenever"
    lines[2] = ",".join(fields)
    bad = tmp_path / "tickets.csv"
    bad.write_text("\n".join(lines) + "\n", "utf-8")
    code, _, output = run("backtest", policy, "--tickets", bad)
    assert code == 2, output
    assert f"{bad} row 2" in output and "whenever" in output
