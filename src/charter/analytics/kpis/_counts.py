"""Volume and backlog per period: counts over a grid of period buckets.

Each ticket adds +1 to the bucket it was created in and -1 to the bucket it was
solved in; the backlog at a period's end is the running sum of those deltas, so
every period end is answered by one cumulative sum per group.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.analytics.kpis._frame import PERIODS, Period, bucket, moment

_ON = ["period", "group"]


def _grid(view: pl.DataFrame, period: Period, now: dt.datetime) -> pl.DataFrame:
    """Every (group, period) from the first creation's period to the one holding ``now``."""
    first = view["period"].min()
    last = pl.select(bucket(moment(now), period)).item()
    assert isinstance(first, dt.date) and isinstance(last, dt.date)
    periods = pl.date_range(first, last, PERIODS[period], eager=True).alias("period")
    return view.select("group").unique().join(periods.to_frame(), how="cross")


def counts(view: pl.DataFrame, *, period: Period, now: dt.datetime) -> pl.DataFrame:
    """``period, group, kpi, statistic, clock, value, unit, count`` for volume and backlog.

    A group's rows start at the period of its first ticket.
    """
    if view.height == 0:
        return pl.DataFrame()
    created = view.group_by(_ON).agg(pl.len().alias("created"))
    solved = (
        view.filter(pl.col("solved_at").is_not_null())
        .group_by(bucket("solved_at", period).alias("period"), "group")
        .agg(pl.len().alias("solved"))
    )
    table = (
        _grid(view, period, now)
        .join(created, on=_ON, how="left", nulls_equal=True)
        .join(solved, on=_ON, how="left", nulls_equal=True)
        .with_columns(pl.col("created", "solved").fill_null(0).cast(pl.Int64))
        .sort("group", "period", nulls_last=False)
        .with_columns(
            (pl.col("created") - pl.col("solved")).cum_sum().over("group").alias("backlog"),
            pl.col("created").cum_sum().over("group").alias("_seen"),
        )
        .filter(pl.col("_seen") > 0)
    )
    return pl.concat([_count_rows(table, "volume", "created"), _count_rows(table, "backlog")])


def _count_rows(table: pl.DataFrame, kpi: str, column: str | None = None) -> pl.DataFrame:
    number = pl.col(column or kpi)
    return table.select(
        "period",
        "group",
        pl.lit(kpi).alias("kpi"),
        pl.lit("count").alias("statistic"),
        pl.lit("none").alias("clock"),
        number.cast(pl.Float64).alias("value"),
        pl.lit("tickets").alias("unit"),
        number.alias("count"),
    )
