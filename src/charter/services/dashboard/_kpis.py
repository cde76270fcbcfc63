"""KPI figures from the daily aggregates, in the shape ``charter.analytics.kpis`` gives.

The rows follow ``KPI_SCHEMA`` (period, group, kpi, statistic, clock, value, unit,
count) with the same definitions as ``charter.analytics.kpis`` (docs/kpis.md), so
``compare_with_targets`` holds them against the policy's targets unchanged. Two
differences, both from reading aggregates instead of tickets: medians and p90 are
estimated from histogram buckets (``quantiles``), and SLA compliance counts a clock
as breached from the moment it passes its target (docs/dashboard.md).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.analytics.kpis import KPI_SCHEMA
from charter.policy.service_level import METRICS
from charter.store.dashboard import EDGES, QUANTILES, holds_rank

_LOWER = {i: (EDGES[i - 1] if i else 0.0) for i in range(len(EDGES) + 1)}
_UPPER = {i: EDGES[i] for i in range(len(EDGES))}
TRUNCATE = {"week": "1w", "month": "1mo"}


def with_period(frame: pl.DataFrame, step: str) -> pl.DataFrame:
    """``frame`` (with a ``day``) and the ``period`` holding each day: the day itself, the
    Monday of its week or the first of its month."""
    day = pl.col("day")
    period = day if step == "day" else day.dt.truncate(TRUNCATE[step])
    return frame.with_columns(period.alias("period"))


def _row(kpi: str, statistic: str, unit: str, value: pl.Expr, count: pl.Expr) -> pl.Expr:
    return pl.struct(
        pl.lit(kpi).alias("kpi"),
        pl.lit(statistic).alias("statistic"),
        pl.lit("none").alias("clock"),
        value.cast(pl.Float64).alias("value"),
        pl.lit(unit).alias("unit"),
        count.cast(pl.Int64).alias("count"),
    )


def _share(part: str, whole: str) -> pl.Expr:
    return pl.when(pl.col(whole) > 0).then(pl.col(part) / pl.col(whole))


def count_rows(sums: pl.DataFrame, backlog_before: int) -> pl.DataFrame:
    """Counts, shares and points per ``period`` and ``group`` of ``sums`` (summed counts
    per period and group; the backlog runs on within each group)."""
    ordered = sums.sort("group", "period", nulls_last=False).with_columns(
        (pl.col("created") - pl.col("solved")).cum_sum().over("group").alias("_moved")
    )
    col = pl.col
    rows = [
        _row("volume", "count", "tickets", col("created"), col("created")),
        _row("backlog", "count", "tickets", col("_moved") + backlog_before,
             col("_moved") + backlog_before),
        _row("csat", "share", "share", _share("csat_positive", "csat_answers"),
             col("csat_answers")),
        _row("csat_response_rate", "share", "share", _share("csat_solved", "resolved"),
             col("resolved")),
        _row("nps", "points", "points",
             pl.when(col("nps_answers") > 0).then(
                 (col("nps_promoters") - col("nps_detractors")) * 100 / col("nps_answers")),
             col("nps_answers")),
        _row("first_contact_resolution", "share", "share",
             pl.when(col("with_events") > 0).then(_share("first_contact", "resolved")),
             col("resolved")),
    ]  # fmt: skip
    for metric in METRICS:
        decided = col(f"{metric}_met") + col(f"{metric}_breached")
        share = pl.when(decided > 0).then(col(f"{metric}_met") / decided)
        rows.append(_row(f"sla_compliance.{metric}", "share", "share", share, decided))
    long = ordered.select("period", "group", pl.concat_list(rows).alias("_row")).explode("_row")
    return _conformed(long.unnest("_row").filter(pl.col("value").is_not_null()))


DURATION_KEYS = ["period", "group", "measure"]


def ranked(times: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Each group's histogram rows (``bucket``, ``tickets``, ``seconds``) in bucket
    order with ``_cum`` (tickets up to and in the bucket), ``_n`` and ``_sum`` (the
    group's tickets and seconds)."""
    col = pl.col
    return times.sort([*keys, "bucket"]).with_columns(
        col("tickets").cum_sum().over(keys).alias("_cum"),
        col("tickets").sum().over(keys).alias("_n"),
        col("seconds").sum().over(keys).alias("_sum"),
    )


def quantiles(times: pl.DataFrame, keys: list[str], q: float) -> pl.DataFrame:
    """``keys, value, count``: the q-quantile of each group's histogram (``bucket``,
    ``tickets``, ``seconds``), at the rank ``(n - 1)·q`` as Polars' linear quantile
    puts it, within the bucket holding that rank; exact where the bucket holds one value."""
    return estimate(ranked(times, keys), keys, q)


def estimate(ranked: pl.DataFrame, keys: list[str], q: float) -> pl.DataFrame:
    """``quantiles`` from ``ranked`` rows, which may leave out buckets that cannot hold
    a rank (``holds_rank``)."""
    col = pl.col
    rank = (col("_n") - 1) * q
    chosen = ranked.filter(holds_rank(col("_cum"), col("tickets"), col("_n"), q)).with_columns(
        col("bucket").replace_strict(_LOWER, return_dtype=pl.Float64).alias("_lo"),
        col("bucket").replace_strict(_UPPER, default=None, return_dtype=pl.Float64).alias("_hi"),
        ((rank - (col("_cum") - col("tickets")) + 0.5) / col("tickets")).clip(0, 1).alias("_f"),
    )
    # The bucket's values are taken as spread evenly around their mean, as widely as
    # the bucket allows: the estimate keeps the bucket's mean and never leaves it.
    mean = col("seconds") / col("tickets")
    half = pl.min_horizontal(mean - col("_lo"), col("_hi") - mean).clip(lower_bound=0)
    value = (
        pl.when(col("tickets") == 1).then(col("seconds"))
        .when(col("_hi").is_null()).then(mean)
        .otherwise(mean - half + 2 * half * col("_f"))
    )  # fmt: skip
    return chosen.select(*keys, value.alias("value"), col("_n").alias("count"))


def duration_rows(times: pl.DataFrame) -> pl.DataFrame:
    """Median, p90 and mean per ``period``, ``group`` and measure of the histogram rows."""
    sums = times.group_by(*DURATION_KEYS, "bucket").agg(pl.col("tickets", "seconds").sum())
    return ranked_duration_rows(ranked(sums, DURATION_KEYS))


def ranked_duration_rows(ranked: pl.DataFrame) -> pl.DataFrame:
    """``duration_rows`` from ``ranked`` rows per ``period``, ``group`` and measure, which
    need only hold the buckets that hold a median or p90 rank."""
    keys = DURATION_KEYS
    mean = ranked.group_by(keys).agg(
        (pl.col("_sum").first() / pl.col("_n").first()).alias("value"),
        pl.col("_n").first().alias("count"),
    )
    parts = [
        *(estimate(ranked, keys, q).with_columns(pl.lit(name).alias("statistic"))
          for name, q in QUANTILES.items()),
        mean.with_columns(pl.lit("mean").alias("statistic")),
    ]  # fmt: skip
    long = pl.concat([p.select(*keys, "statistic", "value", "count") for p in parts])
    named = pl.col("measure").str.split_exact(".", 1)
    return _conformed(
        long.with_columns(
            named.struct.field("field_0").alias("kpi"),
            named.struct.field("field_1").alias("clock"),
            pl.lit("seconds").alias("unit"),
        )
    )


def _conformed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.col(name).cast(dtype) for name, dtype in KPI_SCHEMA.items())


def kpi_rows(
    days: pl.DataFrame, times: pl.DataFrame, backlog_before: int, step: str, start: dt.date
) -> pl.DataFrame:
    """Every KPI per ``step`` (``day``, ``week`` or ``month``); with ``step == "all"`` one
    period starting at ``start`` covering all the days given. ``group`` is null."""
    days, times = (f.with_columns(pl.lit(None, pl.String).alias("group")) for f in (days, times))
    if step == "all":
        days = days.with_columns(pl.lit(start).alias("period"))
        times = times.with_columns(pl.lit(start).alias("period"))
    else:
        days, times = with_period(days, step), with_period(times, step)
    counted = [c for c in days.columns if c not in ("day", "period", "group")]
    sums = days.group_by("period", "group").agg(pl.col(counted).sum())
    parts = [count_rows(sums, backlog_before), duration_rows(times)]
    return pl.concat(parts).sort("period", "kpi", "statistic", "clock")
