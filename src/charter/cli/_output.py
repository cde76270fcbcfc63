"""Shared output of the commands: consoles, error reporting, JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from charter.errors import CalendarError, CharterError, PolicyError, UsageError
from charter.policy.diagnostic import Diagnostic, render_path

OK, FINDINGS, USAGE = 0, 1, 2

# Piped output (a file, another program) has no terminal width: give tables room.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    text = "text"
    json = "json"


class DataFormat(StrEnum):
    """Formats of commands whose output is a table of data."""

    text = "text"
    json = "json"
    csv = "csv"


_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def print_diagnostics(diagnostics: Sequence[Diagnostic], console: Console = out) -> None:
    """One line a diagnostic: ``file:line:col: severity CODE path: message. Fix: hint``."""
    for d in diagnostics:
        colour = _COLOURS.get(d.severity, "white")
        fix = f" [dim]Fix: {escape(d.hint)}[/dim]" if d.hint else ""
        message = escape(d.message) + ("" if d.message.endswith(("?", ".")) else ".")
        console.print(
            f"{escape(d.where)}: [{colour}]{d.severity}[/{colour}] [bold]{d.code}[/bold] "
            f"{escape(render_path(d.path))}: {message}{fix}"
        )


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON on stdout, nothing else."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextmanager
def reporting(fmt: Format = Format.text) -> Iterator[None]:
    """Turn Charter's errors into messages and exit codes scripts can trust.

    Policy problems exit 1 with every diagnostic; bad usage exits 2; a calendar
    that cannot answer exits 1. With ``--format json`` errors are JSON too.
    """
    try:
        yield
    except PolicyError as error:
        if fmt is Format.json:
            print_json({"ok": False, "errors": [d.to_json() for d in error.diagnostics]})
        else:
            print_diagnostics(error.diagnostics, err)
            count = len(error.diagnostics)
            err.print(f"[red]{count} error{'s' if count != 1 else ''}[/red]")
        raise typer.Exit(FINDINGS) from None
    except UsageError as error:
        fail(str(error), USAGE, fmt)
    except CalendarError as error:
        fail(str(error), FINDINGS, fmt)
    except CharterError as error:
        fail(str(error), FINDINGS, fmt)


def fail(message: str, code: int, fmt: Format = Format.text) -> NoReturn:
    """Print an error message and exit with ``code``."""
    if fmt is Format.json:
        print_json({"ok": False, "error": message})
    else:
        err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)
