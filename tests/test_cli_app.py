"""The ``charter`` command line: output, exit codes and every bad-input path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from support import EXAMPLE_TEXT

runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def test_init_writes_the_example_policy_which_validates_and_lints_clean(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    code, output = run("init", path)
    assert code == 0, output
    assert path.read_text("utf-8") == EXAMPLE_TEXT
    assert run("validate", path)[0] == 0
    code, output = run("lint", path, "--today", "2026-11-23")
    assert code == 0, output


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("mine", encoding="utf-8")
    code, output = run("init", path)
    assert code == 2 and "already exists" in output
    assert path.read_text("utf-8") == "mine"
    assert run("init", path, "--force")[0] == 0
    assert path.read_text("utf-8") == EXAMPLE_TEXT


def test_init_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("init", tmp_path / "no" / "such" / "policy.yaml")
    assert code == 2 and "cannot write" in output


def test_validate_reports_every_error_with_its_line_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("organisation: {name: A, mision: M}\ncalendars: [{id: x}]\n", "utf-8")
    code, output = run("validate", path)
    assert code == 1
    assert f"{path}:1:" in output and "did you mean 'mission'" in output
    assert f"{path}:2:" in output and "'timezone' is required" in output
    assert "3 errors" in output


def test_validate_json_lists_errors_with_locations(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("organisation: {name: A}\n", "utf-8")
    code, output = run("validate", path, "--format", "json")
    assert code == 1
    data = json.loads(output)
    assert data["ok"] is False
    assert data["errors"][0]["line"] == 1 and data["errors"][0]["path"] == "organisation.mission"


def test_validate_json_on_success_counts_the_sections(example_file: Path) -> None:
    code, output = run("validate", example_file, "--format", "json")
    assert code == 0
    assert json.loads(output)["counts"]["calendars"] == 3


@pytest.mark.parametrize("command", ["validate", "lint", "hours"])
def test_a_missing_policy_file_is_a_usage_error(command: str, tmp_path: Path) -> None:
    code, output = run(command, tmp_path / "missing.yaml")
    assert code == 2 and "no such file" in output


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_binary_policy_file_is_an_error_not_a_traceback(command: str, tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_bytes(b"\x00\x01\x02\xff")
    code, output = run(command, path)
    assert code == 1 and "not a UTF-8 text file" in output


def test_unknown_option_and_missing_argument_exit_2() -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["lint", "x.yaml", "--bogus"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_lint_findings_exit_1_and_name_their_line(tmp_path: Path) -> None:
    text = EXAMPLE_TEXT.replace("next_review: 2027-04-01", "next_review: 2020-01-01")
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    code, output = run("lint", path, "--today", "2026-11-23")
    assert code == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "2020-01-01" in row)
    assert f"{path}:{line}:" in output


def test_lint_fail_on_never_exits_0_with_findings(tmp_path: Path) -> None:
    text = EXAMPLE_TEXT.replace("next_review: 2027-04-01", "next_review: 2020-01-01")
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    code, output = run("lint", path, "--today", "2026-11-23", "--fail-on", "never")
    assert code == 0 and "review" in output


def test_lint_json_is_machine_readable(tmp_path: Path) -> None:
    text = EXAMPLE_TEXT.replace("next_review: 2027-04-01", "next_review: 2020-01-01")
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    code, output = run("lint", path, "--today", "2026-11-23", "--format", "json")
    data = json.loads(output)
    assert code == 1 and data["ok"] is False
    assert {"code", "severity", "message", "hint", "line", "column", "path"} <= set(
        data["findings"][0]
    )


def test_lint_rejects_a_malformed_today() -> None:
    assert runner.invoke(app, ["lint", "x.yaml", "--today", "tomorrow"]).exit_code == 2


def _draft(tmp_path: Path) -> Path:
    text = EXAMPLE_TEXT.replace(
        "first_response: {within: 4h, clock: uk-support}\n        next_response: {within: 8h",
        "first_response: {within: 2h, clock: uk-support}\n        next_response: {within: 8h",
    )
    assert text != EXAMPLE_TEXT
    path = tmp_path / "draft.yaml"
    path.write_text(text, "utf-8")
    return path


def test_diff_describes_a_changed_promise_in_words(example_file: Path, tmp_path: Path) -> None:
    code, output = run("diff", example_file, _draft(tmp_path))
    assert code == 0, output
    assert "first response for email/high: 4 business hours → 2 business hours" in output


def test_diff_exit_code_option_signals_changes(example_file: Path, tmp_path: Path) -> None:
    assert run("diff", example_file, _draft(tmp_path), "--exit-code")[0] == 1
    assert run("diff", example_file, example_file, "--exit-code")[0] == 0


def test_diff_json_classifies_each_change(example_file: Path, tmp_path: Path) -> None:
    code, output = run("diff", example_file, _draft(tmp_path), "--format", "json")
    changes = json.loads(output)["changes"]
    assert code == 0 and len(changes) == 1
    assert changes[0]["level"] == "major" and changes[0]["kind"] == "changed"


def test_diff_with_an_invalid_side_exits_1(example_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: 3\n", "utf-8")
    code, output = run("diff", example_file, bad)
    assert code == 1 and f"{bad}:1:" in output


def test_hours_add_crosses_christmas_closures_to_the_due_time(example_file: Path) -> None:
    # Thu 24 Dec 2026 16:00 is after the Christmas Eve special hours (09:00-12:00).
    # Closed: 25 (Christmas), 26 (Boxing Day), 27 (Sunday), 28 (Boxing Day observed),
    # 29 and 30 (explicit dates). 31 Dec special 09:00-15:00 gives 6 h; 1 Jan is a
    # holiday; Sat 2 Jan opens 09:00, so the last 2 h end at 11:00 GMT.
    code, output = run(
        "hours", example_file, "--calendar", "uk-support", "--add", "8h",
        "--from", "2026-12-24 16:00", "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["due"] == "2027-01-02T11:00:00+00:00"


def test_hours_between_skips_thanksgiving_on_the_us_desk(example_file: Path) -> None:
    # Wed 25 Nov 17:00-18:00 = 1 h; Thu 26 Thanksgiving closed; Fri 27 09:00-18:00 = 9 h;
    # weekend closed; Mon 30 09:00-10:00 = 1 h. Total 11 h.
    code, output = run(
        "hours", example_file, "-c", "us-support",
        "--between", "2026-11-25 17:00", "2026-11-30 10:00",
    )  # fmt: skip
    assert code == 0, output
    assert "11h (39600 s)" in output


def test_hours_at_says_closed_and_when_it_opens(example_file: Path) -> None:
    code, output = run("hours", example_file, "-c", "uk-support", "--at", "2026-12-27 10:00")
    assert code == 0, output
    assert "closed; opens Thu 31 Dec 2026 09:00 GMT" in output


def test_hours_accepts_an_explicit_offset(example_file: Path) -> None:
    code, output = run(
        "hours", example_file, "-c", "24x7", "--between", "2026-06-01T10:00+01:00",
        "2026-06-01T10:00Z", "--format", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(output)["seconds"] == 3600


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-c", "uk-suport", "--at", "2026-01-05 10:00"], "did you mean 'uk-support'"),
        (["--at", "2026-01-05 10:00"], "say which calendar"),
        (["-c", "uk-support", "--add", "eight hours"], "not a duration"),
        (["-c", "uk-support", "--add", "2wd"], "working days"),
        (["-c", "uk-support", "--add", "2h", "--from", "christmas"], "not a date and time"),
        (["-c", "uk-support", "--from", "2026-01-05 10:00"], "--from goes with --add"),
        (["-c", "uk-support", "--add", "2h", "--at", "2026-01-05 10:00"], "one question"),
    ],
)
def test_hours_bad_usage_exits_2_with_a_message(
    example_file: Path, args: list[str], words: str
) -> None:
    code, output = run("hours", example_file, *args)
    assert code == 2, output
    assert words in output


def test_version_is_printed() -> None:
    code, output = run("--version")
    assert code == 0 and output.startswith("charter ")
