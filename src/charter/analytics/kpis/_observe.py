"""Per-ticket observations behind the KPIs, as long frames ready to aggregate.

Durations are seconds on one clock; every share is the mean of a per-ticket 0/1
indicator and NPS the mean of a per-answer +100 / 0 / -100, so each KPI is one
``group_by`` over whole columns.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.analytics.kpis._frame import moment

_SHARE = ("share", "share")  # statistic, unit
_POINTS = ("points", "points")


def _seconds(start: str, stop: str) -> pl.Expr:
    return (pl.col(stop) - pl.col(start)).dt.total_microseconds() / 1e6


def _rows(frame: pl.DataFrame, kpi: str, tag: tuple[str, str], x: pl.Expr) -> pl.DataFrame:
    """``period, group, kpi, <tag>, x``: ``tag`` is (clock, unit) or (statistic, unit)."""
    return frame.select(
        "period",
        "group",
        pl.lit(kpi).alias("kpi"),
        pl.lit(tag[0]).alias("tag"),
        pl.lit(tag[1]).alias("unit"),
        x.cast(pl.Float64).alias("x"),
    )


def stopped_rows(sla: pl.DataFrame, view: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """SLA rows whose clock stopped by ``now``, with their ticket's period and group."""
    stopped = pl.col("stop_at").is_not_null() & (pl.col("stop_at") <= moment(now))
    return sla.filter(stopped & pl.col("elapsed_seconds").is_not_null()).join(
        view.select("ticket_id", "period", "group"), on="ticket_id"
    )


def durations(stopped: pl.DataFrame, view: pl.DataFrame) -> pl.DataFrame:
    """``period, group, kpi, tag (the clock), unit, x`` in seconds, from the ``stopped``
    SLA rows and the ticket ``view``."""
    first = stopped.filter(pl.col("metric") == "first_response")
    resolved = stopped.filter(pl.col("metric") == "resolution")
    solved = view.filter(pl.col("solved_at").is_not_null())
    business, calendar = ("business", "seconds"), ("calendar", "seconds")
    return pl.concat(
        [
            _rows(first, "first_response_time", business, pl.col("elapsed_seconds")),
            _rows(first, "first_response_time", calendar, _seconds("start_at", "stop_at")),
            _rows(resolved, "resolution_time", business, pl.col("elapsed_seconds")),
            _rows(solved, "resolution_time", calendar, _seconds("created_at", "solved_at")),
        ]
    )


def indicators(
    stopped: pl.DataFrame, view: pl.DataFrame, events: pl.DataFrame | None, now: dt.datetime
) -> pl.DataFrame:
    """``period, group, kpi, tag (the statistic), unit, x``: one row per ticket or answer."""
    decided = stopped.filter(pl.col("status").cast(pl.String).is_in(["met", "breached"]))
    compliance = decided.select(
        "period",
        "group",
        pl.concat_str(pl.lit("sla_compliance."), pl.col("metric")).alias("kpi"),
        pl.lit("share").alias("tag"),
        pl.lit("share").alias("unit"),
        (pl.col("status").cast(pl.String) == "met").cast(pl.Float64).alias("x"),
    )
    csat, nps = pl.col("csat"), pl.col("nps")
    answered = view.filter(csat.is_between(1, 5))
    solved = view.filter(pl.col("solved_at").is_not_null())
    promoter = pl.when(nps >= 9).then(100).when(nps <= 6).then(-100).otherwise(0)
    parts = [
        compliance,
        _rows(answered, "csat", _SHARE, csat >= 4),
        _rows(solved, "csat_response_rate", _SHARE, csat.is_between(1, 5).fill_null(False)),
        _rows(view.filter(nps.is_between(0, 10)), "nps", _POINTS, promoter),
    ]
    if events is not None:
        parts.append(_first_contact(solved, events, now))
    return pl.concat(parts)


def _first_contact(solved: pl.DataFrame, events: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """Solved tickets, 1 when exactly one agent reply reached the customer by ``now``."""
    replies = (
        events.filter((pl.col("kind") == "agent_reply") & (pl.col("at") <= moment(now)))
        .group_by("ticket_id")
        .agg(pl.len().alias("_replies"))
    )
    joined = solved.join(replies, on="ticket_id", how="left")
    return _rows(joined, "first_contact_resolution", _SHARE, pl.col("_replies").fill_null(0) == 1)
