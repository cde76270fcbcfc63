"""The Typer application and the process entry point."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from charter import __version__
from charter.cli import (
    backtest_command,
    db_commands,
    demo_command,
    hours_command,
    import_command,
    kpis_command,
    pilot_command,
    policy_commands,
    publish_command,
    serve_command,
    sla_commands,
    synth_command,
    user_commands,
)
from charter.cli._output import err

app = typer.Typer(
    name="charter",
    help="Customer service policy as data: validate, check, compare and apply it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
policy_commands.register(app)
hours_command.register(app)
backtest_command.register(app)
synth_command.register(app)
import_command.register(app)
kpis_command.register(app)
pilot_command.register(app)
db_commands.register(app)
serve_command.register(app)
demo_command.register(app)
publish_command.register(app)
user_commands.register(app)
sla_commands.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"charter {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Customer service policy as data: validate, check, compare and apply it.

    Exit codes: 0 ok, 1 findings or errors in the input, 2 bad usage.
    """


def main() -> None:
    """Run the CLI; an unexpected failure is reported without a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly instead of dumping a traceback
        err.print(
            f"[red]internal error:[/red] {type(error).__name__}: {error}\n"
            "This is a bug in Charter; please report it with the command you ran."
        )
        sys.exit(70)
