"""``charter import``: the files it writes, what it prints, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from charter.cli.import_command import register

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()
app = typer.Typer()
register(app)


@app.callback()
def _root() -> None:
    """A local app holding only the import command."""


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["import", *[str(a) for a in args]])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def write(tmp_path: Path, text: str, name: str = "tickets.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


CLEAN = "id,created_at,channel,priority,status\n1,2026-03-02T09:00:00Z,email,low,open\n"


def test_a_clean_import_writes_the_dataset_and_exits_zero(tmp_path: Path) -> None:
    out = tmp_path / "data"
    code, output = run("csv", write(tmp_path, CLEAN), "--out", out)
    assert code == 0, output
    assert "tickets imported" in output and "rows rejected" in output
    assert pl.read_parquet(out / "tickets.parquet")["id"].to_list() == ["1"]
    assert pl.read_parquet(out / "events.parquet").height == 0
    assert pl.read_csv(out / "rejects.csv").height == 0


def test_rejected_rows_exit_one_and_every_reject_is_in_rejects_csv(tmp_path: Path) -> None:
    out = tmp_path / "data"
    files = [FIXTURES / "zendesk" / n for n in ("tickets_page1.json", "tickets_page2.json")]
    code, output = run("zendesk", *files, "--out", out)
    assert code == 1, output
    rejects = pl.read_csv(out / "rejects.csv", schema_overrides={"row": pl.String})
    assert rejects.columns == ["file", "row", "reason"]
    # page 1: the deleted ticket; page 2: the missing id and the unreadable created_at
    assert sorted(rejects["row"]) == ["/tickets/2", "/tickets/3", "/tickets/3"]
    assert "deleted in Zendesk" in output
    imported = pl.read_parquet(out / "tickets.parquet")["id"].to_list()
    assert "1500000000001" in imported  # the rest imported


def test_json_output_reports_the_counts(tmp_path: Path) -> None:
    files = [FIXTURES / "freshdesk" / n for n in ("tickets.json", "conversations_1002.json")]
    code, output = run("freshdesk", *files, "--out", tmp_path / "d", "--format", "json")
    assert code == 1, output
    summary = json.loads(output)
    # 8 tickets less status 6 and the one resolved before it was created; the private
    # note is ignored and the reply to ticket 9999 rejected.
    assert (summary["ok"], summary["tickets"], summary["events"]) == (False, 6, 2)
    assert summary["rejected"] == 3
    assert {"file", "row", "reason"} == set(summary["rejects"][0])


def test_the_timezone_option_reads_naive_csv_times(tmp_path: Path) -> None:
    text = "id,created_at,channel,priority,status\n1,2026-03-02 09:00,email,low,open\n"
    out = tmp_path / "data"
    code, output = run("csv", write(tmp_path, text), "--out", out, "--timezone", "Asia/Tokyo")
    assert code == 0, output
    created = pl.read_parquet(out / "tickets.parquet")["created_at"][0]
    assert (created.hour, created.day) == (0, 2)  # 09:00 in Tokyo is 00:00 UTC


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["csv", "missing.csv"], "no such file"),
        (["zendesk", "users.json"], "not a Zendesk tickets page"),
        (["csv", "naive.csv"], "a time without a UTC offset"),
        (["csv", "clean.csv", "--timezone", "Mars/Olympus"], "unknown timezone 'Mars/Olympus'"),
        (["csv", "clean.csv", "--mapping", "typo.yaml"], "typo.yaml:1:1: error M203 colums"),
        (["csv", "clean.csv", "--mapping", "nowhere.yaml"], "no such mapping file"),
        (["csv", "nocolumn.csv"], "no column 'status' for status"),
    ],
)
def test_bad_usage_and_unreadable_files_exit_two(
    tmp_path: Path, args: list[str], words: str
) -> None:
    write(tmp_path, CLEAN, "clean.csv")
    write(tmp_path, "id,created_at,channel,priority,status\n1,2026-03-02 09:00,a,low,open\n",
          "naive.csv")  # fmt: skip
    write(
        tmp_path, "id,created_at,channel,priority\n1,2026-03-02T09:00:00Z,a,low\n", "nocolumn.csv"
    )
    write(tmp_path, "colums: {id: Key}\n", "typo.yaml")
    (tmp_path / "users.json").write_bytes((FIXTURES / "zendesk" / "users.json").read_bytes())
    paths = [str(tmp_path / a) if a.endswith((".csv", ".json", ".yaml")) else a for a in args]
    out = tmp_path / "data"
    code, output = run(*paths, "--out", out)
    assert code == 2, output
    assert words in " ".join(output.split())
    assert not (out / "tickets.parquet").exists()


def test_the_source_must_be_a_known_helpdesk(tmp_path: Path) -> None:
    code, output = run("zammad", write(tmp_path, CLEAN), "--out", tmp_path / "d")
    assert code == 2
    assert "zammad" in output
