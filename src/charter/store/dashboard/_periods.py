"""Reading the dashboard's aggregates per period, for the KPI report: every period of
the stored history, per group.

Counts come from ``ticket_daily``, durations from the ``ticket_daily_times`` rows kept
for exactly the asked group (or for none), each summed into periods by the database:
what reaches Python is a row per period and group (and measure and histogram bucket),
never a row per ticket.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

import polars as pl
from sqlalchemy import ColumnElement, Date, DateTime, Select, cast, func, or_, select
from sqlalchemy.orm import Session

from charter.store.dashboard._histogram import QUANTILES, holds_rank
from charter.store.dashboard._read import COUNTED, DAILY, TIMES
from charter.store.models import SPLIT_BITS

Period = Literal["day", "week", "month"]
Group = Literal["channel", "priority", "team"]
AGGREGATED: Final = ("channel", "priority", "team")


def aggregates_as_of(session: Session) -> dt.datetime | None:
    """The instant the aggregates were last refilled at; None when they are empty."""
    as_of: dt.datetime | None = session.execute(select(func.max(DAILY.c.as_of))).scalar()
    return as_of


def _period(day: ColumnElement[dt.date], period: Period, dialect: str) -> ColumnElement[dt.date]:
    """The first day of the period holding each ``day``, computed by the database."""
    if period == "day":
        return day
    if dialect == "postgresql":  # on a timestamp without time zone: 3x faster than on a date
        return cast(func.date_trunc(period, cast(day, DateTime())), Date)
    if period == "week":
        return func.date(day, "-6 days", "weekday 1", type_=Date)  # Monday on or before
    return func.date(day, "start of month", type_=Date)


def counts_per_period(session: Session, period: Period, by: Group | None) -> pl.DataFrame:
    """``period, group`` and every count of ``ticket_daily`` summed over the rest, for
    each ``period`` (and ``by`` group) holding a stored day."""
    first_day = _period(DAILY.c.day, period, session.get_bind().dialect.name)
    keys = [first_day.label("period"), *([DAILY.c[by]] if by else [])]
    sums = [func.sum(DAILY.c[c]).label(c) for c in COUNTED]
    frame = _frame(session, select(*keys, *sums).group_by(*keys), by, list(COUNTED))
    return frame.cast(dict.fromkeys(COUNTED, pl.Int64))


def ranked_times_per_period(session: Session, period: Period, by: Group | None) -> pl.DataFrame:
    """``period, group, measure`` and the histogram rows that can hold a median or p90
    (``bucket, tickets, seconds``, ranked: ``_cum, _n, _sum``), from the rows kept for
    ``by``: the database ranks the buckets, so a few rows per period reach Python."""
    first_day = _period(TIMES.c.day, period, session.get_bind().dialect.name)
    keys = [first_day.label("period"), *([TIMES.c[by]] if by else []), TIMES.c.measure]
    level = TIMES.c.split == (SPLIT_BITS[by] if by else 0)
    if period == "day":  # a level's rows are one per day, group, measure and bucket: nothing to sum
        rows = select(*keys, TIMES.c.bucket, TIMES.c.tickets, TIMES.c.seconds).where(level)
    else:
        rows = (
            select(*keys, TIMES.c.bucket, func.sum(TIMES.c.tickets).label("tickets"),
                   func.sum(TIMES.c.seconds).label("seconds"))
            .where(level)
            .group_by(*keys, TIMES.c.bucket)
        )  # fmt: skip
    # Materialized, else PostgreSQL sorts every row for the window rather than the sums.
    summed = rows.cte("summed").prefix_with("MATERIALIZED")
    c = summed.c
    part = [c.period, *([c[by]] if by else []), c.measure]
    windowed = select(
        *part, c.bucket, c.tickets, c.seconds,
        func.sum(c.tickets).over(partition_by=part, order_by=c.bucket).label("cum"),
        func.sum(c.tickets).over(partition_by=part).label("n"),
        func.sum(c.seconds).over(partition_by=part).label("total"),
    ).subquery("windowed")  # fmt: skip
    w = windowed.c
    held = [holds_rank(w.cum, w.tickets, w.n, q, slack=0.5) for q in QUANTILES.values()]
    query = select(*windowed.c).where(or_(*held))
    names = ["measure", "bucket", "tickets", "seconds", "_cum", "_n", "_sum"]
    frame = _frame(session, query, by, names)
    return frame.cast({"measure": pl.String, "bucket": pl.Int32, "tickets": pl.Int64,
                       "seconds": pl.Float64, "_cum": pl.Int64, "_n": pl.Int64,
                       "_sum": pl.Float64})  # fmt: skip


def _frame(
    session: Session, query: Select[tuple[object, ...]], by: Group | None, names: list[str]
) -> pl.DataFrame:
    """The query's rows with ``period`` and ``group`` first: a missing channel, priority
    or team is kept as '' in the aggregates and shown as null, as the analytics do."""
    rows = [tuple(row) for row in session.execute(query).all()]
    keys = ["period", "group"] if by else ["period"]
    frame = pl.DataFrame(rows, schema=[*keys, *names], orient="row", infer_schema_length=None)
    group = pl.col("group") if by else pl.lit(None, pl.String)
    named = pl.when(group.cast(pl.String) != "").then(group.cast(pl.String))
    return frame.with_columns(pl.col("period").cast(pl.Date), named.alias("group"))
