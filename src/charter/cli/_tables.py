"""Rich tables and CSV/JSON output of Polars frames, with readable units."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl
import typer
from rich.table import Table

from charter import figures
from charter.cli._output import out
from charter.policy.units import Duration

Formatter = Callable[[Any], str]


def share(value: Any) -> str:
    return figures.share(value)


def hours(value: Any) -> str:
    """Business seconds as hours and minutes: ``45 min``, ``3 h 30 min``, ``109 h``."""
    return figures.duration(value, business=True)


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
    return figures.MISSING if value is None else str(value)


def emit_csv(frame: pl.DataFrame) -> None:
    buffer = io.StringIO()
    frame.with_columns(pl.col(pl.List(pl.String)).list.join("|")).write_csv(buffer)
    typer.echo(buffer.getvalue(), nl=False)


def kpi_value(value: Any, unit: str | None, clock: str | None = None) -> str:
    """A KPI figure in its unit, as the dashboard shows it: business-hours durations
    stay in hours, shares in per cent, points with one decimal, counts."""
    return figures.value(value, unit or "", business=clock == "business")


def kept_more(compared: pl.DataFrame, this: str, other: str) -> str:
    """Which of two policies keeps more promises on the same tickets, in words, from
    ``side_by_side``'s table (``kept`` under ``this``, ``kept_old`` under ``other``); on a
    tie, which meets its promises on more tickets, over the promises both make."""
    kept, kept_old = (
        int(compared["kept"].fill_null(False).sum()),
        int(compared["kept_old"].fill_null(False).sum()),
    )
    made, made_old = (
        int(compared["share"].is_not_null().sum()),
        int(compared["share_old"].is_not_null().sum()),
    )
    counts = (
        f"{this} keeps {kept} of its {made} measured promises, "
        f"{other} keeps {kept_old} of its {made_old}"
    )
    if kept != kept_old:
        return f"{counts}: {this if kept > kept_old else other} keeps more promises."
    both = compared.filter(pl.col("share").is_not_null() & pl.col("share_old").is_not_null())
    change = sum(both["change_points"].to_list()) / both.height if both.height else 0.0
    if abs(change) < 0.05:
        return f"{counts}: neither keeps more promises, and they meet them on as many tickets."
    better, worse = (this, other) if change > 0 else (other, this)
    return (
        f"{counts}: neither keeps more promises; on the promises both make, {better} meets "
        f"them on more tickets ({abs(change):.1f} points more on average than {worse})."
    )
