"""``charter sla``: SLA verdicts of the stored tickets (``recompute``) or of ticket
files (``evaluate``, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from charter.cli._import_store import sla_line
from charter.cli._inputs import EventsOption, TicketsOption
from charter.cli._output import Format, out, print_json, reporting
from charter.errors import UsageError

sla = typer.Typer(
    help="SLA verdicts: of the stored tickets, or of ticket files.", no_args_is_help=True
)


class VerdictFormat(StrEnum):
    csv = "csv"
    json = "json"


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
    """Bring the SLA state of every stored ticket up to now, each under its version in force.

    charter sla recompute

    Pending and at-risk clocks move with time: run this on a schedule (every few
    minutes) to keep them current. Only tickets whose state can have changed are
    evaluated: new and re-imported ones, after a publish those created from its
    effective instant, and those whose clocks were still running.
    """
    from charter.cli._store import open_store
    from charter.services.sla_state import recompute_sla

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


@sla.command("evaluate")
def evaluate_command(
    policy: Annotated[Path, typer.Argument(help="The policy file.", show_default=False)],
    tickets: TicketsOption,
    at: Annotated[
        str,
        typer.Option(
            "--at",
            help="Judge the clocks at this instant (ISO 8601 with an offset).",
            show_default=False,
        ),
    ],
    events: EventsOption = None,
    fmt: Annotated[
        VerdictFormat, typer.Option("--format", "-f", help="Output format.")
    ] = VerdictFormat.csv,
) -> None:
    """Write each ticket's verdict per metric, from files, without a database.

    charter sla evaluate policy.yaml --tickets data/ --at 2026-03-31T17:00Z > verdicts.csv

    One row per ticket and metric the policy targets: ticket_id, metric, rule_id,
    clock, target_seconds, start_at, stop_at, due_at, elapsed_seconds,
    paused_seconds, status, runs (durations in business seconds on the clock,
    instants in UTC; docs/sla.md says how each is worked out). The same columns are
    behind the ticket page and /api/tickets/{id}.
    """
    import polars as pl

    from charter.analytics.records import records
    from charter.cli._inputs import load_inputs
    from charter.cli._tables import emit_csv
    from charter.sla.evaluate import evaluate
    from charter.sla.verdicts import verdicts

    shown = Format.json if fmt is VerdictFormat.json else Format.text
    with reporting(shown):
        moment = _instant(at, "--at")
        loaded, data = load_inputs(policy, tickets, events)
        rows = verdicts(evaluate(loaded.policy, data, moment), data.tickets["id"])
    if fmt is VerdictFormat.json:
        at_text = moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        print_json({"at": at_text, "verdicts": records(rows)})
        return
    emit_csv(rows.with_columns(pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%SZ")))


def _instant(text: str, option: str = "--now") -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not an ISO 8601 instant, e.g. 2026-03-02T09:00Z"
        ) from None
    if moment.tzinfo is None:
        raise UsageError(f"{option} {text!r} has no offset; add one, e.g. {text}Z or {text}+01:00")
    return moment
