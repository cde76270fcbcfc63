"""The KPI table's schema and the ticket view every KPI is computed from."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

import polars as pl

Period = Literal["day", "week", "month"]
GroupBy = Literal["channel", "priority", "segment", "team"]

PERIODS: Final[dict[str, str]] = {"day": "1d", "week": "1w", "month": "1mo"}
GROUPS: Final = ("channel", "priority", "segment", "team")
STATISTICS: Final = ("median", "p90", "mean", "share", "points", "count")
CLOCKS: Final = ("business", "calendar", "none")

Statistic = pl.Enum(STATISTICS)
Clock = pl.Enum(CLOCKS)
UTC = pl.Datetime("us", "UTC")

KPI_SCHEMA: Final[dict[str, pl.DataType]] = {
    "period": pl.Date(),
    "group": pl.String(),
    "kpi": pl.String(),
    "statistic": Statistic,
    "clock": Clock,
    "value": pl.Float64(),
    "unit": pl.String(),
    "count": pl.Int64(),
}
KEYS: Final = ("period", "group", "kpi", "statistic", "clock")


def moment(now: dt.datetime) -> pl.Expr:
    """``now`` as a UTC literal; a naive ``now`` is read as UTC."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=dt.UTC)
    return pl.lit(aware.astimezone(dt.UTC)).cast(UTC)


def bucket(column: str | pl.Expr, period: Period) -> pl.Expr:
    """The UTC date the period holding each instant starts on (weeks start Monday)."""
    instant = pl.col(column) if isinstance(column, str) else column
    return instant.dt.truncate(PERIODS[period]).dt.date()


def ticket_view(
    tickets: pl.DataFrame, *, period: Period, by: GroupBy | None, now: dt.datetime
) -> pl.DataFrame:
    """Tickets as they stood at ``now``: ``ticket_id, created_at, period, group,
    solved_at, csat, nps``. Tickets created after ``now`` are left out; a solve after
    ``now`` is not yet known."""
    at = moment(now)
    group = pl.col(by).cast(pl.String) if by else pl.lit(None, pl.String)
    return tickets.filter(pl.col("created_at") <= at).select(
        pl.col("id").alias("ticket_id"),
        "created_at",
        bucket("created_at", period).alias("period"),
        group.alias("group"),
        pl.when(pl.col("solved_at") <= at).then(pl.col("solved_at")).alias("solved_at"),
        "csat",
        "nps",
    )


def conformed(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` in ``KPI_SCHEMA``: its columns, cast, in order."""
    return frame.select(pl.col(name).cast(dtype) for name, dtype in KPI_SCHEMA.items())
