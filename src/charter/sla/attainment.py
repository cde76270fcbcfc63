"""Promises of a share ("85 % within 10 working days") judged per period and segment.

A target with an attainment share is kept in a period when at least that share
of its finished tickets met it. Clocks still running are left out: they have
neither met nor missed yet.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

Period = str  # "day" | "week" | "month"
_TRUNCATE = {"day": "1d", "week": "1w", "month": "1mo"}


def attainment(
    sla: pl.DataFrame,
    tickets: pl.DataFrame,
    *,
    period: Period = "month",
    by: Sequence[str] = ("segment",),
) -> pl.DataFrame:
    """Per rule, metric, period and ``by`` group: met, breached, share, promised, kept.

    The period is that of the ticket's creation. ``promised`` is the target's
    attainment share, or 100 % when the promise is for every ticket.
    """
    if period not in _TRUNCATE:
        raise ValueError(f"period must be one of {', '.join(_TRUNCATE)}, not {period!r}")
    keys = ["rule_id", "metric", "period", *by]
    decided = sla.filter(pl.col("status").cast(pl.String).is_in(["met", "breached"]))
    joined = decided.join(
        tickets.select(pl.col("id").alias("ticket_id"), "created_at", *by), on="ticket_id"
    ).with_columns(pl.col("created_at").dt.truncate(_TRUNCATE[period]).alias("period"))
    met = pl.col("status") == "met"
    return (
        joined.group_by(keys)
        .agg(
            met.sum().alias("met"),
            (~met).sum().alias("breached"),
            pl.col("attainment").first().fill_null(1.0).alias("promised"),
        )
        .with_columns((pl.col("met") / (pl.col("met") + pl.col("breached"))).alias("share"))
        .with_columns((pl.col("share") >= pl.col("promised")).alias("kept"))
        .sort(keys, nulls_last=True)
    )
