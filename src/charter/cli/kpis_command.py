"""``charter kpis``: the service's figures per period, against the policy's targets."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from charter.analytics.backtest import backtest
from charter.analytics.kpis import compare_with_targets, kpis
from charter.analytics.records import records
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
from charter.cli._tables import emit_csv, kpi_value, show, text


class PeriodChoice(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class GroupChoice(StrEnum):
    channel = "channel"
    priority = "priority"
    segment = "segment"
    team = "team"


def register(app: typer.Typer) -> None:
    app.command("kpis")(kpis_command)


def kpis_command(
    policy: Annotated[
        Path, typer.Argument(help="Policy with the KPI targets.", show_default=False)
    ],
    tickets: TicketsOption,
    events: EventsOption = None,
    period: Annotated[
        PeriodChoice | None,
        typer.Option("--period", help="Period of the figures (default: the policy's)."),
    ] = None,
    by: Annotated[GroupChoice | None, typer.Option("--by", help="Break figures down.")] = None,
    now: NowOption = None,
    fmt: DataFormatOption = DataFormat.text,
    report: ReportOption = None,
) -> None:
    """First response, resolution, compliance, CSAT, NPS, backlog and volume per period."""
    with reporting(), steps() as step:
        loaded, data = step(
            "reading policy and tickets", lambda: load_inputs(policy, tickets, events)
        )
        settings = loaded.policy.kpis
        chosen = period.value if period else (settings.period if settings else "week")
        result = step("evaluating service levels", lambda: backtest(
            loaded.policy, data, now=parse_now(now)))  # fmt: skip
        values = step("computing KPIs", lambda: kpis(
            data.tickets, result.sla, period=chosen, by=by.value if by else None,
            now=result.now, events=data.events if data.events.height else None))  # fmt: skip
        compared = compare_with_targets(values, settings) if settings else pl.DataFrame()
        if report is not None:
            from charter.cli._reports import kpi_report

            kpi_report(
                report,
                loaded.policy,
                compared,
                result.now,
                data.tickets.height,
                by.value if by else None,
            )
    _print(fmt, values, compared)


def _print(fmt: DataFormat, values: pl.DataFrame, compared: pl.DataFrame) -> None:
    if fmt is DataFormat.json:
        print_json({"kpis": records(values), "targets": records(compared)})
        return
    if fmt is DataFormat.csv:
        emit_csv(values)
        return
    last_period = values["period"].max()
    latest = values.filter(pl.col("period") == last_period)
    show(latest, f"KPIs for the period starting {last_period!s}", [
        ("group", "group", text), ("kpi", "kpi", text), ("statistic", "statistic", text),
        ("clock", "clock", text), ("*", "value", _value), ("count", "from", text),
    ])  # fmt: skip
    if compared.height:
        last = compared.filter(pl.col("period") == pl.col("period").max().over("target_id"))
        show(last, "Targets (latest period)", [
            ("name", "target", text), ("group", "group", text), ("*", "value", _value),
            ("*", "target", _target), ("met", "met", lambda v: "yes" if v else "NO"),
            ("trend", "trend", text), ("streak", "missed in a row", text),
            ("alert", "alert", lambda v: "ALERT" if v else ""),
        ])  # fmt: skip
    else:
        out.print("The policy sets no KPI targets.")


def _value(row: dict[str, Any]) -> str:
    return kpi_value(row["value"], row["unit"], row.get("clock"))


def _target(row: dict[str, Any]) -> str:
    return kpi_value(row["target"], row["unit"], row.get("clock"))
