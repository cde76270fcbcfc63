"""The KPI report read from the dashboard's aggregates: every period of the stored
history, per group, in the rows ``charter.analytics.kpis`` gives (``KPI_SCHEMA``).

The store sums the aggregates into periods (``charter.store.dashboard``), so what
reaches Python is a row per period and group (and measure and histogram bucket), never
a row per ticket. The figures are then made by the dashboard's own functions
(``_kpis``), so the API and the dashboard show the same figure for the same
period and filter: medians and p90 estimated from the histograms, SLA compliance
counting a running clock as breached once it passes its target (docs/dashboard.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import polars as pl

from charter.analytics.kpis import KPI_SCHEMA
from charter.services.dashboard._kpis import count_rows, ranked_duration_rows
from charter.store import dashboard as dashboard_store
from charter.store.dashboard import COUNTED, Group, Period

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

INTERVALS: Final = {"day": "1d", "week": "1w", "month": "1mo"}
KEYS: Final = ["period", "group", "kpi", "statistic", "clock"]


@dataclass(frozen=True)
class Figures:
    """The KPI rows of the stored history, the instant the aggregates stand at, and how
    many tickets they count."""

    as_of: dt.datetime | None
    tickets: int
    rows: pl.DataFrame


def read_figures(session: Session, period: Period, by: Group | None) -> Figures:
    """Every KPI per ``period`` (and ``by`` group) from the first ticket's period to the
    one holding the aggregates' ``as_of``; no rows when no ticket is counted."""
    as_of = dashboard_store.aggregates_as_of(session)
    counts = dashboard_store.counts_per_period(session, period, by)
    tickets = int(counts["created"].sum()) if counts.height else 0
    if as_of is None or tickets == 0:
        return Figures(as_of, 0, pl.DataFrame(schema=KPI_SCHEMA))
    times = dashboard_store.ranked_times_per_period(session, period, by)
    sums = _grid(counts, period, period_of(as_of, period))
    rows = pl.concat([count_rows(sums, 0), ranked_duration_rows(times)])
    return Figures(as_of, tickets, rows.sort(KEYS, nulls_last=False))


def period_of(instant: dt.datetime, period: Period) -> dt.date:
    """The first day of the UTC period holding ``instant`` (weeks start on Monday)."""
    day = instant.astimezone(dt.UTC).date()
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1) if period == "month" else day


def _grid(counts: pl.DataFrame, period: Period, last: dt.date) -> pl.DataFrame:
    """Every period of each group from its first ticket's to ``last``, quiet ones at 0,
    so the backlog is counted at every period's end as the analytics count it."""
    created = counts.filter(pl.col("created") > 0)
    first = created["period"].min()
    assert isinstance(first, dt.date)
    periods = pl.date_range(first, max(first, last), INTERVALS[period], eager=True)
    grid = (
        created.group_by("group")
        .agg(pl.col("period").min().alias("_first"))
        .join(periods.alias("period").to_frame(), how="cross")
        .filter(pl.col("period") >= pl.col("_first"))
        .drop("_first")
    )
    joined = grid.join(counts, on=["period", "group"], how="left", nulls_equal=True)
    return joined.with_columns(pl.col(list(COUNTED)).fill_null(0))
