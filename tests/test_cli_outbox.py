"""``charter outbox list`` and ``charter outbox retry`` on the story of
``support.outbox``: ticket t1's level 1 fired at 11:00 on Monday 5 January 2026 and
left two dead letters, to the ``lead`` role (no address, never tried) and to
ops@acme.example (refused with a 550 at its one try).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from charter.cli import app
from charter.store import Database
from support.outbox import make_dead_letters
from support.ticket_store import rows

runner = CliRunner()


@pytest.fixture
def charter(database_url: str) -> Any:
    """Run ``charter ARGS`` against the test database."""

    def run(*args: str) -> Result:
        env = {"CHARTER_DATABASE_URL": database_url, "COLUMNS": "200"}
        return runner.invoke(app, list(args), env=env)

    return run


def dead(database: Database) -> dict[str, int]:
    found = rows(database, "SELECT recipient, id FROM outbox WHERE state = 'dead'")
    return dict(found)


def test_outbox_list_shows_t1s_two_dead_letters_with_their_tries_and_errors(
    charter: Any, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead(database)
    result = charter("outbox", "list")
    assert result.exit_code == 0, result.output
    assert "2 dead messages" in result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines()
             if line.count("│") > 4 and line.split("│")[1].strip().isdigit()}  # fmt: skip
    lead, ops = lines[str(ids["lead"])], lines[str(ids["ops@acme.example"])]
    # id │ ticket │ level │ channel │ recipient │ tries │ last error │ written
    assert [c.strip() for c in lead.split("│")[2:7]] == ["t1", "1 (l1)", "email", "lead", "0"]
    assert [c.strip() for c in ops.split("│")[2:7]] == [
        "t1", "1 (l1)", "email", "ops@acme.example", "1"
    ]  # fmt: skip
    assert "Mon 05 Jan 2026 11:00 UTC" in lead  # written when level 1 fired
    assert "role 'lead' has no e-mail" in result.output


def test_outbox_list_json_and_the_pending_state(
    charter: Any, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    listed = json.loads(charter("outbox", "list", "--format", "json", "--limit", "1").stdout)
    assert (listed["state"], listed["total"], len(listed["messages"])) == ("dead", 2, 1)
    assert charter("outbox", "list", "--state", "pending").output.strip() == (
        "No pending messages."
    )


def test_outbox_retry_of_the_refused_address_puts_it_back_in_line_for_the_next_tick(
    charter: Any, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ops = dead(database)["ops@acme.example"]
    result = charter("outbox", "retry", str(ops))
    assert result.exit_code == 0, result.output
    assert f"Retried 1 message ({ops})" in result.output
    assert rows(database, "SELECT state, tries FROM outbox WHERE id = :i", i=ops) == [
        ("pending", 0)
    ]
    (detail,) = rows(database, "SELECT detail FROM ticket_audit WHERE kind = 'message retried'")
    assert detail[0].startswith("email to ops@acme.example retried by ")
    assert "on the command line" in detail[0] or "by the command line" in detail[0]


def test_outbox_retry_all_keeps_the_role_without_an_address_dead_and_exits_1(
    charter: Any, database: Database, tmp_path: Path
) -> None:
    make_dead_letters(database, tmp_path)
    ids = dead(database)
    result = charter("outbox", "retry", "--all")
    assert result.exit_code == 1, result.output
    assert f"Retried 1 message ({ids['ops@acme.example']})" in result.output
    assert f"kept dead: message {ids['lead']}: role 'lead' still has no e-mail" in " ".join(
        result.output.split()
    )


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        ((), 2, "name the dead letters to retry (charter outbox retry ID ...) or give --all"),
        (("1", "--all"), 2, "not both and not neither"),
        (("999",), 1, "no outbox message 999"),
        (("x",), 2, "Invalid value"),
    ],
)
def test_outbox_retry_usage_and_unknown_ids_are_clear_errors_without_a_traceback(
    charter: Any, database: Database, args: tuple[str, ...], code: int, words: str
) -> None:
    result = charter("outbox", "retry", *args)
    assert result.exit_code == code, result.output
    assert words in " ".join(result.output.split())
    assert "Traceback" not in result.output
