"""The Typer application and the process entry point.

Each command's module is imported when that command runs (or its help is shown), not
when the program starts: ``charter --version`` loads Typer and nothing else, and
``charter validate`` only the policy package. The table below names every command and
the module that registers it.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from charter import __version__

# Command name -> module of charter.cli that registers it (with its ``register(app)``),
# in the order ``charter --help`` lists them.
COMMANDS = {
    "init": "policy_commands",
    "validate": "policy_commands",
    "lint": "policy_commands",
    "diff": "policy_commands",
    "hours": "hours_command",
    "backtest": "backtest_command",
    "synth": "synth_command",
    "import": "import_command",
    "sync": "sync_command",
    "kpis": "kpis_command",
    "pilot": "pilot_command",
    "serve": "serve_command",
    "demo": "demo_command",
    "publish": "publish_command",
    "db": "db_commands",
    "user": "user_commands",
    "token": "user_commands",
    "sla": "sla_commands",
    "worker": "worker_command",
    "outbox": "outbox_command",
    "training": "training_command",
    "decide": "decide_command",
}


class LazyCommands(TyperGroup):
    """The root group: a command is built from its module the first time it is asked for.

    Contexts and commands are typed ``Any``: Typer's own click types differ by version.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands.update(_load(COMMANDS[cmd_name]))
        return self.commands.get(cmd_name)


def _load(module: str) -> dict[str, Any]:
    """The click commands that ``charter.cli.<module>`` registers, by name."""
    registered = typer.Typer(add_completion=False)
    import_module(f"charter.cli.{module}").register(registered)
    registered.callback()(_no_callback)  # always a group, even for one command
    group = typer.main.get_command(registered)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


def _no_callback() -> None:
    """Commands of one module, gathered to be added to the root group."""


app = typer.Typer(
    name="charter",
    cls=LazyCommands,
    help="Customer service policy as data: validate, check, compare and apply it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
        _err().print("interrupted")
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly instead of dumping a traceback
        _err().print(
            f"[red]internal error:[/red] {type(error).__name__}: {error}\n"
            "This is a bug in Charter; please report it with the command you ran."
        )
        sys.exit(70)


def _err() -> Any:
    from charter.cli._output import err

    return err
