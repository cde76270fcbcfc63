"""The command reference, generated from the commands' own ``--help``.

``python -m charter.reference.cli > docs/cli.md``; a test fails when it is stale.
"""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from charter.cli.app import COMMANDS, app

HEADER = """\
# Command reference

<!-- Generated from the commands' help by `make docs`; do not edit by hand. -->

Exit codes: `0` ok, `1` findings or errors in the input, `2` bad usage.
"""

_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def command_names() -> list[str]:
    """Every command of the ``charter`` app, in the order ``charter --help`` lists them."""
    return list(COMMANDS)


def render() -> str:
    """Markdown with each command's help text, exactly as ``--help`` prints it."""
    runner = CliRunner()
    parts = [HEADER, _block("charter", runner.invoke(app, ["--help"], env=_ENV).output)]
    for name in command_names():
        help_text = runner.invoke(app, [name, "--help"], env=_ENV).output
        parts.append(_block(f"charter {name}", help_text))
    return "\n".join(parts)


def _block(title: str, text: str) -> str:
    body = "\n".join(line.rstrip() for line in text.strip("\n").splitlines())
    return f"## `{title}`\n\n```text\n{body}\n```\n"


if __name__ == "__main__":
    sys.stdout.write(render())
