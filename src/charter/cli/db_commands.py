"""``charter db``: create and upgrade the database schema."""

from __future__ import annotations

from typing import Annotated

import typer

from charter.cli._output import Format, out, print_json, reporting
from charter.cli._store import open_store

db = typer.Typer(help="Create and upgrade the database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db, name="db")


@db.command("upgrade")
def upgrade(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Apply every pending migration (creates the database if it does not exist).

    charter db upgrade

    The database is CHARTER_DATABASE_URL, by default an SQLite file in CHARTER_DATA_DIR.
    """
    with reporting(fmt):
        database = open_store(migrated=False)
        pending = database.pending_migrations()
        database.upgrade()
        database.dispose()
    if fmt is Format.json:
        print_json({"ok": True, "applied": pending})
    elif pending:
        out.print(f"Applied {len(pending)} migration(s): {', '.join(pending)}.")
    else:
        out.print("The database is up to date.")


@db.command("status")
def status(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Say whether the database needs `charter db upgrade`; exit 1 if it does."""
    with reporting(fmt):
        database = open_store(migrated=False)
        pending = database.pending_migrations()
        database.dispose()
    if fmt is Format.json:
        print_json({"ok": not pending, "pending": pending})
    elif pending:
        out.print(
            f"{len(pending)} migration(s) to apply: {', '.join(pending)}. Run `charter db upgrade`."
        )
    else:
        out.print("The database is up to date.")
    raise typer.Exit(1 if pending else 0)
