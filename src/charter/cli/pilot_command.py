"""``charter pilot``: did the pilot group keep the promises better than the rest?"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from charter.analytics.backtest import backtest
from charter.analytics.pilot import PilotResult, compare_pilot, pilot_marks
from charter.analytics.stats import DurationComparison, ProportionComparison
from charter.cli._inputs import (
    DataFormatOption,
    EventsOption,
    NowOption,
    ReportOption,
    TicketsOption,
    load_inputs,
    parse_now,
)
from charter.cli._output import DataFormat, out, print_json, reporting
from charter.cli._steps import steps
from charter.cli._tables import emit_csv
from charter.errors import UsageError

PILOT_HELP = "The pilot: COLUMN=VALUE[,VALUE...] (team=tier-2), or a true/false COLUMN."


def register(app: typer.Typer) -> None:
    app.command("pilot")(pilot_command)


def pilot_command(
    policy: Annotated[Path, typer.Argument(help="The policy piloted.", show_default=False)],
    tickets: TicketsOption,
    pilot: Annotated[str | None, typer.Option("--pilot", help=PILOT_HELP)] = None,
    pilot_list: Annotated[
        Path | None,
        typer.Option("--pilot-list", help="A file of values (one a line) that mark the pilot."),
    ] = None,
    list_column: Annotated[
        str, typer.Option("--list-column", help="Ticket column --pilot-list values match.")
    ] = "id",
    events: EventsOption = None,
    now: NowOption = None,
    fmt: DataFormatOption = DataFormat.text,
    report: ReportOption = None,
) -> None:
    """Compare a pilot group with the rest: compliance, response times and CSAT."""
    with reporting(), steps() as step:
        column, values = _marker(pilot, pilot_list, list_column)
        loaded, data = step(
            "reading policy and tickets", lambda: load_inputs(policy, tickets, events)
        )
        marks = pilot_marks(data.tickets, column=column, values=values)
        result = step("evaluating service levels", lambda: backtest(
            loaded.policy, data, now=parse_now(now)))  # fmt: skip
        outcome = compare_pilot(result.sla, data.tickets, marks)
        if report is not None:
            from charter.cli._reports import pilot_report

            pilot_report(report, loaded.policy, outcome, result.now)
    _print(fmt, outcome)


def _marker(
    pilot: str | None, pilot_list: Path | None, list_column: str
) -> tuple[str, list[str] | None]:
    if (pilot is None) == (pilot_list is None):
        raise UsageError("mark the pilot with one of --pilot COLUMN=VALUE or --pilot-list FILE")
    if pilot_list is not None:
        try:
            lines = pilot_list.read_text("utf-8").splitlines()
        except OSError as error:
            raise UsageError(f"{pilot_list}: cannot read it ({error.strerror})") from None
        values = [line.strip() for line in lines if line.strip()]
        if not values:
            raise UsageError(f"{pilot_list} is empty; write one value a line")
        return list_column, values
    assert pilot is not None
    column, _, listed = pilot.partition("=")
    marked = [v.strip() for v in listed.split(",") if v.strip()] if listed else None
    return column.strip(), marked


def _print(fmt: DataFormat, outcome: PilotResult) -> None:
    comparisons: list[ProportionComparison | DurationComparison] = [
        *outcome.compliance,
        *outcome.durations,
        outcome.csat,
    ]
    if fmt is DataFormat.csv:
        emit_csv(pl.DataFrame([
            {"comparison": c.label, "pilot_count": _count(c, "pilot"),
             "control_count": _count(c, "control"), "p_value": c.p_value,
             "enough": c.enough, "verdict": c.verdict}
            for c in comparisons
        ]))  # fmt: skip
        return
    if fmt is DataFormat.json:
        print_json({
            "pilot_tickets": outcome.pilot_tickets, "control_tickets": outcome.control_tickets,
            "compliance": [asdict(c) for c in outcome.compliance],
            "durations": [asdict(c) for c in outcome.durations], "csat": asdict(outcome.csat),
        })  # fmt: skip
        return
    out.print(f"Pilot: {outcome.pilot_tickets} tickets; control: {outcome.control_tickets}.")
    for comparison in comparisons:
        out.print(f"• {comparison.verdict}")


def _count(comparison: ProportionComparison | DurationComparison, group: str) -> int:
    if isinstance(comparison, ProportionComparison):
        return comparison.pilot_total if group == "pilot" else comparison.control_total
    return comparison.pilot_count if group == "pilot" else comparison.control_count
