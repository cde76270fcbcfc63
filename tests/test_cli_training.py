"""``charter training results`` and ``charter training statements`` on the training
story of ``support.training``: the example policy in force from Monday 7 December 2026
09:00 (London is on UTC in December); Ava (chat) and Ben (e-mail) in "UK care" under
Mo ("Managers"). Version 1's deadline is the close of Saturday 12 December, 17:00
(5 working days on uk-support). On Tuesday 8 December Ava acknowledges at 10:00 and
answers two questions of her quiz, the first wrong (10:01) and the second right (10:02).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from charter import clock
from charter.cli import app
from charter.policy import load_policy_text
from charter.services.training import acknowledge, answer, start_quiz
from charter.store import Database
from charter.training.quiz import questions
from support import EXAMPLE_TEXT
from support.training import V1_AT, Team, digest, make_team, publish_chain, utc

runner = CliRunner()
BASE = "https://charter.example"


@pytest.fixture
def charter(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``charter ARGS`` against the test database on Tuesday 8 December at 12:00."""
    monkeypatch.setattr(clock, "now", lambda: utc("2026-12-08 12:00"))

    def run(*args: str, base_url: str | None = BASE) -> Result:
        env = {"CHARTER_DATABASE_URL": database_url, "COLUMNS": "250",
               "CHARTER_BASE_URL": base_url}  # fmt: skip
        return runner.invoke(app, list(args), env=env)

    return run


def avas_morning(database: Database) -> tuple[Team, list[str]]:
    """The story's Tuesday morning; the clause ids of Ava's two answers."""
    publish_chain(database, (EXAMPLE_TEXT, V1_AT))
    team = make_team(database)
    assert acknowledge(database, team.ava, 1, digest(EXAMPLE_TEXT), utc("2026-12-08 10:00"))
    quiz = start_quiz(database, team.ava, utc("2026-12-08 10:00"))
    key = {q.id: q.answer for q in questions(load_policy_text(EXAMPLE_TEXT).policy)}
    first, second = quiz.questions[:2]
    wrong = next(o for o in first.options if o != key[first.id]) if first.options else "999"
    answer(database, team.ava, quiz.id, first.id, wrong, utc("2026-12-08 10:01"))
    answer(database, team.ava, quiz.id, second.id, key[second.id], utc("2026-12-08 10:02"))
    return team, [first.clause_id, second.clause_id]


def test_statements_are_exactly_avas_acceptance_and_her_two_answers(
    charter: Any, database: Database
) -> None:
    _, clauses = avas_morning(database)
    result = charter("training", "statements")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    # The quiz is not finished (2 of 10 answered): no passed or failed statement.
    assert [(s["verb"]["id"], s["object"]["id"], s["timestamp"]) for s in found] == [
        ("http://activitystrea.ms/schema/1.0/accept", f"{BASE}/handbook?version=1",
         "2026-12-08T10:00:00.000+00:00"),
        ("http://adlnet.gov/expapi/verbs/answered", f"{BASE}/handbook#{clauses[0]}",
         "2026-12-08T10:01:00.000+00:00"),
        ("http://adlnet.gov/expapi/verbs/answered", f"{BASE}/handbook#{clauses[1]}",
         "2026-12-08T10:02:00.000+00:00"),
    ]  # fmt: skip
    assert [s["result"]["success"] for s in found[1:]] == [False, True]
    assert {s["actor"]["mbox"] for s in found} == {"mailto:ava@larkfield.example"}


def test_statements_out_writes_the_same_json_to_a_file(
    charter: Any, database: Database, tmp_path: Path
) -> None:
    avas_morning(database)
    target = tmp_path / "statements.json"
    result = charter("training", "statements", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Wrote 3 statements" in result.stderr
    assert len(json.loads(target.read_text("utf-8"))) == 3


@pytest.mark.parametrize("base_url", [None, "charter.example"])
def test_statements_without_a_base_url_exit_2_naming_the_setting(
    charter: Any, database: Database, base_url: str | None
) -> None:
    avas_morning(database)
    result = charter("training", "statements", base_url=base_url)
    assert result.exit_code == 2
    assert "CHARTER_BASE_URL" in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_statements_on_an_unmigrated_database_say_to_upgrade(tmp_path: Path) -> None:
    env = {"CHARTER_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "CHARTER_BASE_URL": BASE}
    result = runner.invoke(app, ["training", "statements"], env=env)
    # Exit 1, as every command that reads the database says when it needs migrating.
    assert result.exit_code == 1
    assert "charter db upgrade" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def rows_of(output: str) -> dict[str, list[str]]:
    """A Rich table's rows by their first cell; a cell folded onto the next lines (a
    line whose first cell is empty) is joined back with spaces."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        if line.count("│") < 3:
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    return {cells[0]: cells for cells in rows}


def test_results_show_avas_acknowledgment_bens_due_and_uk_cares_completion(
    charter: Any, database: Database
) -> None:
    _, clauses = avas_morning(database)
    result = charter("training", "results")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    # name │ team │ role │ version │ reason │ deadline │ acknowledged │ quiz passed │
    # attempts │ best score │ state; her quiz is unfinished: no finished attempt yet.
    assert rows["Ava"] == ["Ava", "UK care", "agent", "1", "first version",
                           "Sat 12 Dec 2026 17:00 UTC", "Tue 08 Dec 2026 10:00 UTC", "—",
                           "0", "—", "due"]  # fmt: skip
    assert rows["Ben"][6:] == ["—", "—", "0", "—", "due"]
    # Nobody is done: 0 of 2 in UK care, 0 of 1 in Managers.
    assert rows["UK care"] == ["UK care", "2", "0", "0", "0 %"]
    assert rows["Managers"] == ["Managers", "1", "0", "0", "0 %"]
    # Her first answer was wrong: of the 1 person who answered on its clause, 1 was
    # wrong (100 %).
    assert rows[clauses[0]][2:] == ["1", "1", "100 %"]
    assert "3 people" in result.stdout


def test_results_csv_has_exactly_the_filtered_rows(
    charter: Any, database: Database, tmp_path: Path
) -> None:
    avas_morning(database)
    target = tmp_path / "results.csv"
    result = charter("training", "results", "--team", "UK care", "--csv", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote 2 people" in result.stderr
    with target.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["name"], r["team"], r["acknowledged_at"], r["state"]) for r in table] == [
        ("Ava", "UK care", "2026-12-08T10:00:00+00:00", "due"),
        ("Ben", "UK care", "", "due"),
    ]  # fmt: skip
    only = charter("training", "results", "--role", "service-manager", "--csv", "-")
    assert [row[0] for row in csv.reader(only.stdout.splitlines())] == ["name", "Mo"]


def test_results_with_an_unknown_state_exit_2_naming_the_states(
    charter: Any, database: Database
) -> None:
    avas_morning(database)
    result = charter("training", "results", "--state", "late")
    assert result.exit_code == 2
    assert "done, due, overdue, none" in result.stderr
    assert "Traceback" not in result.output


def test_results_filtered_to_no_one_say_so(charter: Any, database: Database) -> None:
    avas_morning(database)
    result = charter("training", "results", "--state", "overdue")
    assert result.exit_code == 0, result.output
    assert "No one matches these filters." in result.stdout
