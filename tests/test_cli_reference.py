"""docs/cli.md is generated from the commands' help and must not go stale."""

from __future__ import annotations

from pathlib import Path

from charter.reference.cli import render

DOC = Path(__file__).parent.parent / "docs" / "cli.md"


def test_committed_cli_reference_matches_the_commands() -> None:
    assert DOC.read_text("utf-8") == render(), "docs/cli.md is stale: run `make docs`"


def test_cli_reference_lists_every_command_with_its_options() -> None:
    text = render()
    for command in ("init", "validate", "lint", "diff", "hours"):
        assert f"## `charter {command}`" in text
    for option in ("--between", "--add", "--from", "--fail-on", "--exit-code", "--force"):
        assert f"│ {option} " in text, option
