"""``charter synth``: write a realistic synthetic ticket history."""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from charter.cli._output import err, out, reporting
from charter.errors import UsageError
from charter.tickets.dataset import EVENTS_FILE, TICKETS_FILE, TicketData, write_dataset
from charter.tickets.synth import check_arguments, default_start, synthesize, write_csv


class FileFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)


def synth(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the dataset into.")],
    tickets: Annotated[int, typer.Option("--tickets", "-n", help="Number of tickets.")] = 50_000,
    days: Annotated[int, typer.Option("--days", help="Length of the history in days.")] = 365,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same data.")] = 7,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="First day YYYY-MM-DD (default: the history ends on 2026-10-31).",
            show_default=False,
        ),
    ] = None,
    file_format: Annotated[
        FileFormat, typer.Option("--format", "-f", help="parquet, or csv for `charter import`.")
    ] = FileFormat.parquet,
) -> None:
    """Generate tickets and their events, reproducibly, and write them to a folder.

    charter synth --tickets 1000000 --days 365 --seed 7 --out data/
    """
    with reporting():
        first = _date(start) if start is not None else None
        check_arguments(tickets, days, seed, first)
        first = first or default_start(days)
        _check_writable(out_dir)
        data = _generate(tickets, days, seed, first)
        files = _write(out_dir, data, file_format)
    last = first + dt.timedelta(days=days - 1)
    out.print(
        f"{data.tickets.height:,} tickets and {data.events.height:,} events "
        f"created {first} to {last} (seed {seed})"
    )
    for path in files:
        out.print(f"  {escape(str(path))}")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--start {text!r} is not a date; write YYYY-MM-DD, e.g. 2025-11-01"
        ) from None


def _check_writable(folder: Path) -> None:
    """Refuse a folder that cannot be written before the work starts, not after."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"--out {folder}: cannot create the folder ({error.strerror or error}); "
            "choose a folder you can write to"
        ) from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"--out {folder}: the folder is not writable; choose another")


def _generate(tickets: int, days: int, seed: int, first: dt.date) -> TicketData:
    columns = (TextColumn("synthesizing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("tickets", total=tickets)
        return synthesize(
            tickets,
            days,
            seed,
            start=first,
            progress=lambda done: progress.update(task, completed=done),
        )


def _write(folder: Path, data: TicketData, file_format: FileFormat) -> list[Path]:
    if file_format is FileFormat.csv:
        return write_csv(folder, data)
    write_dataset(folder, data.tickets, data.events)
    return [folder / TICKETS_FILE, folder / EVENTS_FILE]
