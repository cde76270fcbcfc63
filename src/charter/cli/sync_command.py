"""``charter sync``: read what changed in a helpdesk's API into the database."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from charter.cli._output import FINDINGS, OK, Format, err, out, print_json, reporting
from charter.cli._store import open_store, settings
from charter.errors import UsageError
from charter.figures import count

if TYPE_CHECKING:
    from charter.services.sync import SyncSummary

sync = typer.Typer(help="Sync tickets live from a helpdesk's API.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sync, name="sync")


SINCE_HELP = (
    "First sync only: read tickets changed from this UTC date (YYYY-MM-DD; default: "
    "every ticket). Later syncs resume from the stored cursor."
)
RESTART_HELP = "Forget the stored cursor and start again from --since."
Since = Annotated[str | None, typer.Option("--since", help=SINCE_HELP)]
Restart = Annotated[bool, typer.Option("--restart", help=RESTART_HELP)]
Fmt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@sync.command("zendesk")
def zendesk(since: Since = None, restart: Restart = False, fmt: Fmt = Format.text) -> None:
    """Store the Zendesk tickets changed since the last sync, with their replies and
    status changes, then recompute SLA state.

    charter sync zendesk --since 2026-01-01

    Reads Zendesk's incremental cursor export a page at a time, each ticket with its
    audits; each page and the cursor of the next are stored in one transaction, so a
    stopped sync resumes where it stopped. Credentials come from the settings
    CHARTER_ZENDESK_* only (see docs/sync.md).

    Exit codes: 0 every ticket stored, 1 some rejected or an error (refused
    credentials, Zendesk failing after the last try), 2 bad usage.
    """
    _run("zendesk", since, restart, fmt)


@sync.command("freshdesk")
def freshdesk(since: Since = None, restart: Restart = False, fmt: Fmt = Format.text) -> None:
    """Store the Freshdesk tickets changed since the last sync, with their
    conversations, then recompute SLA state.

    charter sync freshdesk --since 2026-01-01

    Reads Freshdesk's ticket listing by updated_since a page at a time, each ticket
    with its conversations; each page and where the next starts are stored in one
    transaction, so a stopped sync resumes where it stopped. Credentials come from
    the settings CHARTER_FRESHDESK_* only (see docs/sync.md).

    Exit codes: 0 every ticket stored, 1 some rejected or an error (a refused key,
    Freshdesk failing after the last try), 2 bad usage.
    """
    _run("freshdesk", since, restart, fmt)


def _run(source: str, since: str | None, restart: bool, fmt: Format) -> None:
    from charter.services.sync import forget_sync, sync_helpdesk

    with reporting(fmt):
        start = _epoch(since)
        database = open_store()
        try:
            if restart:
                forget_sync(database, source)
            summary = sync_helpdesk(
                database, settings(), source, start_time=start, progress=_progress(fmt)
            )
        finally:
            database.dispose()
    _report(summary, fmt)
    raise typer.Exit(OK if summary.rejected == 0 else FINDINGS)


def _epoch(since: str | None) -> int:
    if since is None:
        return 0
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        raise UsageError(f"--since: {since!r} is not a date such as 2026-03-01") from None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _progress(fmt: Format) -> Any:
    def show(summary: SyncSummary) -> None:
        if fmt is Format.text:
            err.print(
                f"page {summary.pages}: {count(summary.tickets)} tickets "
                f"({count(summary.inserted)} new, {count(summary.updated)} changed)"
            )

    return show


def _report(summary: SyncSummary, fmt: Format) -> None:
    if fmt is Format.json:
        print_json({
            "ok": summary.rejected == 0, "source": summary.source, "resumed": summary.resumed,
            "pages": summary.pages, "inserted": summary.inserted, "updated": summary.updated,
            "unchanged": summary.unchanged, "events": summary.events,
            "deleted": summary.deleted, "rejected": summary.rejected,
            "requests": summary.requests, "sla_computed": summary.sla.computed,
        })  # fmt: skip
        return
    start = "resumed from the stored cursor" if summary.resumed else "from the start time"
    vendor = summary.source.capitalize()
    out.print(
        f"{vendor} sync, {start}: {count(summary.pages)} page(s), {count(summary.inserted)} new, "
        f"{count(summary.updated)} changed, {count(summary.unchanged)} unchanged tickets; "
        f"{count(summary.events)} events."
    )
    if summary.deleted:
        shown = ", ".join(summary.deleted[:10]) + (" ..." if len(summary.deleted) > 10 else "")
        out.print(f"Deleted in {vendor}, not stored: {count(len(summary.deleted))} ({shown}).")
    for file, row, reason in summary.rejects:
        out.print(f"  rejected {escape(file)} {escape(row)}: {escape(reason)}")
    if summary.rejected:
        out.print(f"{count(summary.rejected)} row(s) rejected.")
    out.print(
        "SLA state recomputed." if summary.sla.computed else f"SLA: {escape(summary.sla.note)}."
    )
