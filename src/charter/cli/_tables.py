"""Rich tables and CSV/JSON output of Polars frames, with readable units."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl
import typer
from rich.table import Table

from charter.cli._output import out
from charter.policy.units import Duration

Formatter = Callable[[Any], str]


def share(value: Any) -> str:
    return (
        "—"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value * 100:.1f} %")
    )


def hours(value: Any) -> str:
    """Seconds as hours and minutes: ``45m``, ``3h30m``, ``109h`` (business time has no days)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    hours_, minutes = divmod(max(0, round(float(value) / 60)), 60)
    return (
        f"{hours_}h{minutes:02d}m"
        if hours_ and minutes
        else f"{hours_}h"
        if hours_
        else f"{minutes}m"
    )


def target_words(row: Mapping[str, Any]) -> str:
    """``4 business hours``, ``10 working days``, ``1 day`` for a target row."""
    if row.get("target_working_days"):
        return Duration(working_days=int(row["target_working_days"])).words(business=True)
    if row.get("target_seconds"):
        business = row.get("clock") != "24x7"
        return Duration(seconds=int(row["target_seconds"])).words(business=business)
    return "—"


def show(
    frame: pl.DataFrame,
    title: str,
    columns: Sequence[tuple[str, str, Formatter]],
) -> None:
    """Print ``frame`` as a Rich table: (column, heading, formatter) per column."""
    table = Table(title=title, title_justify="left")
    for _, heading, _ in columns:
        table.add_column(heading, overflow="fold")
    for row in frame.iter_rows(named=True):
        table.add_row(*(fmt(row) if name == "*" else fmt(row[name]) for name, _, fmt in columns))
    out.print(table)


def text(value: Any) -> str:
    return "—" if value is None else str(value)


def emit_csv(frame: pl.DataFrame) -> None:
    buffer = io.StringIO()
    frame.with_columns(pl.col(pl.List(pl.String)).list.join("|")).write_csv(buffer)
    typer.echo(buffer.getvalue(), nl=False)


def kpi_value(value: Any, unit: str | None) -> str:
    """A KPI figure in its unit: durations as hours, shares as %, points, counts."""
    if value is None:
        return "—"
    if unit == "seconds":
        return hours(value)
    if unit == "share":
        return share(value)
    return f"{value:,.1f}" if unit == "points" else f"{value:,.0f}"
