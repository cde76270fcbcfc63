"""``charter sla``: the SLA state of the tickets in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from charter.cli._import_store import sla_line
from charter.cli._output import Format, out, print_json, reporting
from charter.cli._store import open_store
from charter.errors import UsageError
from charter.services.sla_state import recompute_sla

sla = typer.Typer(help="SLA state of the stored tickets.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sla, name="sla")


@sla.command("recompute")
def recompute(
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Judge running clocks at this instant (ISO 8601 with an offset; "
            "default: the current time).",
        ),
    ] = None,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Evaluate every ticket, not only those whose state can have changed.",
        ),
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Bring the SLA state of every stored ticket up to now under the published policy.

    charter sla recompute

    Pending and at-risk clocks move with time: run this on a schedule (every few
    minutes) to keep them current. Only tickets whose state can have changed are
    evaluated: new and re-imported ones, all of them after a publish, and those
    whose clocks were still running.
    """
    with reporting(fmt):
        moment = _instant(now) if now is not None else None
        database = open_store()
        try:
            summary = recompute_sla(database, now=moment, everything=everything)
        finally:
            database.dispose()
    if fmt is Format.json:
        print_json({"ok": True, **asdict(summary), "computed": summary.computed})
        return
    out.print(sla_line(summary))
    if summary.computed:
        table = Table("status", "states", title="SLA state per ticket and metric")
        for status, count in sorted(summary.statuses.items()):
            table.add_row(status, f"{count:,}")
        out.print(table)
        out.print(
            f"{summary.evaluated:,} of {summary.tickets:,} tickets evaluated; "
            f"{summary.written:,} of {summary.states:,} states rewritten."
        )


def _instant(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--now {text!r} is not an ISO 8601 instant, e.g. 2026-03-02T09:00Z"
        ) from None
    if moment.tzinfo is None:
        raise UsageError(f"--now {text!r} has no offset; add one, e.g. {text}Z or {text}+01:00")
    return moment
