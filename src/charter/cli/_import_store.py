"""``charter import`` without ``--out``: the imported tickets go into the database."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from charter.cli._output import Format, err, out
from charter.cli._store import open_store, settings
from charter.errors import UsageError
from charter.services.sla_state import SlaSummary
from charter.services.tickets import ImportSummary, import_tickets
from charter.tickets.importing import ImportResult

SHOWN_REJECTS = 10


def into_store(
    result: ImportResult,
    source: str,
    batch_size: int | None,
    rejects_file: Path | None,
    fmt: Format,
) -> ImportSummary:
    """Import ``result`` into ``CHARTER_DATABASE_URL`` in batches, with a progress bar."""
    size = batch_size if batch_size is not None else settings().import_batch_size
    if rejects_file is not None:
        _write_rejects(result, rejects_file)
    database = open_store()
    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )  # fmt: skip
    try:
        with Progress(*columns, console=err, transient=True, disable=fmt is Format.json) as bar:
            task = bar.add_task(f"importing in batches of {size:,}", total=result.imported)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return import_tickets(
                database, result, source=source, batch_size=size, progress=advance
            )
    finally:
        database.dispose()


def summary_json(summary: ImportSummary, result: ImportResult) -> dict[str, Any]:
    fields = asdict(summary)
    fields["sla"] = {**asdict(summary.sla), "computed": summary.sla.computed}
    return {
        "ok": result.complete,
        **fields,
        "rejects": result.rejects.head(SHOWN_REJECTS).to_dicts(),
    }


def print_summary(summary: ImportSummary, result: ImportResult, rejects_file: Path | None) -> None:
    table = Table(title=f"Imported into the store as {escape(summary.source)!r}")
    table.add_column("")
    table.add_column("count", justify="right")
    rows = (
        ("inserted", summary.inserted), ("updated", summary.updated),
        ("unchanged (not rewritten)", summary.unchanged), ("events written", summary.events),
        ("older copies replaced", summary.superseded),
    )  # fmt: skip
    for label, count in rows:
        table.add_row(label, f"{count:,}")
    table.add_row("rows rejected", f"{summary.rejected:,}", style="red" if summary.rejected else "")
    out.print(table)
    out.print(f"{summary.batches:,} batch(es) committed; import run {summary.run_id}.")
    out.print(sla_line(summary.sla))
    if result.rejected:
        _print_rejects(result, rejects_file)


def sla_line(sla: SlaSummary) -> str:
    if not sla.computed:
        return f"SLA state not recomputed: {escape(sla.note)}."
    counts = ", ".join(f"{n:,} {status}" for status, n in sorted(sla.statuses.items()))
    return (
        f"SLA state current for {sla.tickets:,} tickets ({sla.evaluated:,} evaluated) under "
        f"{escape(sla.policy or '')} version {sla.version} ({counts})."
    )


def _print_rejects(result: ImportResult, rejects_file: Path | None) -> None:
    shown = Table("file", "row", "reason", title="Rejected rows", title_justify="left")
    for file, row, reason in result.rejects.head(SHOWN_REJECTS).iter_rows():
        shown.add_row(escape(str(file)), escape(str(row)), escape(str(reason)))
    out.print(shown)
    if rejects_file is not None:
        out.print(f"Every rejected row is in {escape(str(rejects_file))}.")
    elif result.rejected > SHOWN_REJECTS:
        more = result.rejected - SHOWN_REJECTS
        out.print(f"{more:,} more; `--rejects FILE` writes them all.")


def _write_rejects(result: ImportResult, path: Path) -> None:
    try:
        result.rejects.write_csv(path)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
