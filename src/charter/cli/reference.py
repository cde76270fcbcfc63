"""The command reference, generated from the commands' own help.

``python -m charter.cli.reference > docs/cli.md``; a test fails when it is stale.
"""

from __future__ import annotations

import sys

import click
import typer

from charter.cli.app import app

HEADER = """\
# Command reference

<!-- Generated from the commands' help by `make docs`; do not edit by hand. -->

Exit codes: `0` ok, `1` findings or errors in the input, `2` bad usage.
"""


def render() -> str:
    """Markdown for every command: usage, description, arguments and options."""
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    parts = [HEADER]
    for name in sorted(group.commands):
        parts.append(_command(name, group.commands[name]))
    return "\n".join(parts)


def _command(name: str, command: click.Command) -> str:
    context = click.Context(command, info_name=f"charter {name}")
    usage = " ".join(command.collect_usage_pieces(context))
    lines = [f"## `charter {name}`", "", f"`charter {name} {usage}`", ""]
    lines += [(command.help or "").strip(), "", "| argument / option | description |", "|---|---|"]
    for param in command.params:
        record = param.get_help_record(context)
        if isinstance(param, click.Argument):
            help_text = getattr(param, "help", "") or ""
            lines.append(f"| `{param.human_readable_name}` | {help_text} |")
        elif record is not None:
            opts, text = record
            lines.append(f"| `{opts}` | {text.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
