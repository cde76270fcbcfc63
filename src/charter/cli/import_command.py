"""``charter import``: read helpdesk exports into the database, or into a dataset folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from charter.cli._import_store import into_store, print_summary, summary_json
from charter.cli._output import FINDINGS, OK, Format, err, out, print_json, reporting
from charter.errors import UsageError
from charter.services.helpdesk_files import Source, read_exports
from charter.tickets.dataset import EVENTS_FILE, REJECTS_FILE, TICKETS_FILE, write_dataset
from charter.tickets.importing import ImportResult
from charter.tickets.mapping import check_timezone

SHOWN_REJECTS = 10


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)


def import_files(
    source: Annotated[Source, typer.Argument(help="Where the files come from.")],
    files: Annotated[list[Path], typer.Argument(help="Export files (JSON pages, CSV, Parquet).")],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write a dataset folder here instead of the database."),
    ] = None,
    mapping_file: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="Mapping file (YAML).")
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="Timezone of times written without an offset."),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            min=1,
            help="Database imports: tickets per transaction (default: CHARTER_IMPORT_BATCH_SIZE).",
        ),
    ] = None,
    source_name: Annotated[
        str | None,
        typer.Option(
            "--source-name",
            help="Database imports: the source the tickets are filed under (default: SOURCE); "
            "give two exports whose ids may clash different names.",
        ),
    ] = None,
    rejects_file: Annotated[
        Path | None,
        typer.Option("--rejects", help="Database imports: write every rejected row to this CSV."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Import helpdesk exports into the database, or with --out into a dataset folder.

    charter import zendesk tickets-*.json audits-*.json

    The database is CHARTER_DATABASE_URL. With --out DIR, the tickets go to
    DIR/tickets.parquet, DIR/events.parquet and DIR/rejects.csv instead.

    Tickets are upserted by source and id in batches, each its own transaction;
    importing the same files again changes nothing. SLA state is then recomputed
    for the tickets written.

    Exit codes: 0 every row imported, 1 some rows rejected (the rest imported),
    2 bad usage or a file that cannot be read or recognised.
    """
    with reporting(fmt):
        if timezone is not None:
            try:
                check_timezone(timezone)
            except ValueError as error:
                raise UsageError(f"--timezone: {error}") from None
        result = _run(source, files, mapping_file, timezone, fmt)
        if out_dir is None:
            name = source_name or source.value
            stored = into_store(result, name, batch_size, rejects_file, fmt)
        else:
            write_dataset(out_dir, result.tickets, result.events, result.rejects)
    if out_dir is None:
        if fmt is Format.json:
            print_json(summary_json(stored, result))
        else:
            print_summary(stored, result, rejects_file)
    elif fmt is Format.json:
        print_json(_summary(result, out_dir))
    else:
        _print(result, out_dir)
    raise typer.Exit(OK if result.complete else FINDINGS)


def _run(
    source: Source,
    files: Sequence[Path],
    mapping_file: Path | None,
    timezone: str | None,
    fmt: Format,
) -> ImportResult:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True, disable=fmt is Format.json) as bar:
        task = bar.add_task("reading files", total=len(files))

        def advance(path: Path) -> None:
            bar.update(task, advance=1, description=f"read {path.name}")

        return read_exports(
            source, files, mapping_file=mapping_file, timezone=timezone, progress=advance
        )


def _summary(result: ImportResult, folder: Path) -> dict[str, Any]:
    return {
        "ok": result.complete,
        "tickets": result.imported,
        "events": result.events.height,
        "rejected": result.rejected,
        "superseded": result.superseded,
        "files": {
            "tickets": str(folder / TICKETS_FILE),
            "events": str(folder / EVENTS_FILE),
            "rejects": str(folder / REJECTS_FILE),
        },
        "rejects": result.rejects.head(SHOWN_REJECTS).to_dicts(),
    }


def _print(result: ImportResult, folder: Path) -> None:
    table = Table(title=f"Imported into {escape(str(folder))}", title_justify="left")
    table.add_column("")
    table.add_column("rows", justify="right")
    table.add_row("tickets imported", f"{result.imported:,}")
    table.add_row("events imported", f"{result.events.height:,}")
    table.add_row("older copies replaced", f"{result.superseded:,}")
    table.add_row("rows rejected", f"{result.rejected:,}", style="red" if result.rejected else "")
    out.print(table)
    if result.rejected:
        shown = Table("file", "row", "reason", title="Rejected rows", title_justify="left")
        for file, row, reason in result.rejects.head(SHOWN_REJECTS).iter_rows():
            shown.add_row(escape(str(file)), escape(str(row)), escape(str(reason)))
        out.print(shown)
        more = result.rejected - SHOWN_REJECTS
        tail = f" ({more:,} more)" if more > 0 else ""
        out.print(f"Every rejected row is in {escape(str(folder / REJECTS_FILE))}{tail}.")
