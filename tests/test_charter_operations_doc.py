"""docs/operations.md names only settings and commands that exist.

Every ``CHARTER_*`` variable it writes is a setting of ``charter.config.Settings``, and
every ``charter ...`` command line (in a code span or block) names a real command, a
real subcommand and options that command takes; a renamed setting or option fails here
instead of in someone's production set-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest
import typer

from charter.cli.app import app
from charter.config import Settings

DOC = Path(__file__).parent.parent / "docs" / "operations.md"
SETTING = re.compile(r"\bCHARTER_[A-Z_]*[A-Z]\b")
CODE = re.compile(r"```[a-z]*\n(.*?)```|`([^`]+)`", re.DOTALL)
# A command line: `charter` at the start of the code, after a space or a bin/ folder,
# but not the service account's name (`sudo -u charter`, `User=charter`).
COMMAND = re.compile(
    r"(?:^|(?<=\s)|(?<=bin/))(?<!-u )charter ([a-z]+)(?=\s|$)([^\n;|)]*)", re.MULTILINE
)


def commands_in(text: str) -> list[tuple[str, list[str]]]:
    """Each ``charter NAME ARGS`` in the page's code, its arguments up to a quote."""
    found = []
    for block, span in CODE.findall(text):
        for match in COMMAND.finditer(block or span.replace("\n", " ")):
            rest = match.group(2).split("'")[0].split('"')[0]
            found.append((match.group(1), rest.split()))
    return found


def resolve(name: str, args: list[str]) -> tuple[str, Any]:
    """The command ``charter NAME ARGS`` runs, and how it was named. (Typer's click
    types differ by version, so groups are told by what they do.)"""
    group: Any = typer.main.get_command(app)
    context = click.Context(group)
    command = group.get_command(context, name)
    assert command is not None, f"docs/operations.md: no command `charter {name}`"
    if hasattr(command, "get_command"):
        assert args, f"docs/operations.md: `charter {name}` needs a subcommand"
        sub = command.get_command(context, args[0])
        assert sub is not None, f"docs/operations.md: no command `charter {name} {args[0]}`"
        return f"charter {name} {args[0]}", sub
    return f"charter {name}", command


def test_every_setting_the_operations_page_names_exists() -> None:
    settings = {f"CHARTER_{field.upper()}" for field in Settings.model_fields}
    named = set(SETTING.findall(DOC.read_text("utf-8")))
    assert named, "the page names no setting?"
    assert named - settings == set(), "not settings"


@pytest.mark.parametrize("name, args", commands_in(DOC.read_text("utf-8")))
def test_every_command_the_operations_page_runs_exists_with_its_options(
    name: str, args: list[str]
) -> None:
    shown, command = resolve(name, args)
    options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    used = {a.split("=")[0] for a in args if a.startswith("--")}
    assert used - options == set(), f"`{shown}` takes none of these options"


def test_the_page_runs_the_commands_an_operator_needs() -> None:
    ran = {name for name, _ in commands_in(DOC.read_text("utf-8"))}
    assert {"serve", "worker", "db", "outbox", "token", "user", "kpis", "import"} <= ran
