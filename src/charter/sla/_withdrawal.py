"""Levels planned before that are no longer wanted: withdrawn, with the reason.

Two plans of the same tickets (before and after something changed: events arrived, a
clock stopped, a new version took effect) are compared on whole columns by one join
on ticket, metric and level; nothing is dropped without a row saying why.
"""

from __future__ import annotations

import polars as pl
from polars._typing import JoinStrategy

KEY = ["ticket_id", "metric", "level_id"]
WITHDRAWN_COLUMNS = [
    "ticket_id", "metric", "level_id", "level", "rule_id", "due_at", "deliver_at", "reason",
]  # fmt: skip
CLOCK_STOPPED = "clock stopped"
LEVEL_REMOVED = "level removed"
TARGET_REMOVED = "target removed"


def withdrawn(before: pl.DataFrame, after: pl.DataFrame, levels: pl.DataFrame) -> pl.DataFrame:
    """The levels ``before`` still had to deliver that ``after`` no longer wants.

    ``before`` and ``after`` are plans of ``escalation_plan``; ``levels`` is the
    ``level_table`` of the version ``after`` was planned under. Reasons, first that
    holds: ``clock stopped`` (the metric stopped at or before the level's delivery
    instant), ``level removed`` (the version has no such level for the metric),
    ``target removed`` (the ticket's rule no longer sets a target for the metric).
    A level already due before was handed over for delivery and is not withdrawn.
    """
    waiting = before.filter(~pl.col("stopped_before") & ~pl.col("due_now"))
    now = after.select(*KEY, pl.col("stopped_before").alias("stopped_after"))
    kept = levels.select("metric", "level_id", pl.lit(True).alias("kept")).unique()
    joined = join_on_key(waiting, now.drop(KEY), now, how="left")
    joined = joined.join(kept, on=KEY[1:], how="left")
    reason = (
        pl.when(pl.col("stopped_after").fill_null(False))
        .then(pl.lit(CLOCK_STOPPED))
        .when(pl.col("kept").is_null())
        .then(pl.lit(LEVEL_REMOVED))
        .when(pl.col("stopped_after").is_null())
        .then(pl.lit(TARGET_REMOVED))
    )
    return (
        joined.with_columns(reason.alias("reason"))
        .filter(pl.col("reason").is_not_null())
        .select(WITHDRAWN_COLUMNS)
    )


def join_on_key(
    left: pl.DataFrame, values: pl.DataFrame, right: pl.DataFrame, *, how: JoinStrategy
) -> pl.DataFrame:
    """``left.join(right, on=KEY, how=how)`` keeping ``values``' columns of ``right``.

    With integer ticket ids the three key columns are joined as one integer (ticket,
    then the metric and level's place among those present), which is about three
    times faster over millions of levels than the three columns; the rows are the
    same either way."""
    if not (left.schema["ticket_id"].is_integer() and right.schema["ticket_id"].is_integer()):
        return left.join(right.select(*KEY, *values.columns), on=KEY, how=how)
    metrics = _present(left, right, "metric")
    levels = _present(left, right, "level_id")

    def key(frame: pl.DataFrame) -> pl.Expr:
        metric = pl.col("metric").cast(pl.Enum(metrics)).to_physical().cast(pl.Int64)
        level = pl.col("level_id").cast(pl.Enum(levels)).to_physical().cast(pl.Int64)
        width = len(metrics) * len(levels)
        return (pl.col("ticket_id").cast(pl.Int64) * width + metric * len(levels) + level).alias(
            "_key"
        )

    keyed = right.select(key(right), *values.columns)
    return left.with_columns(key(left)).join(keyed, on="_key", how=how).drop("_key")


def _present(left: pl.DataFrame, right: pl.DataFrame, column: str) -> list[str]:
    values = pl.concat([left[column].unique(), right[column].unique()]).drop_nulls()
    return sorted(values.unique().to_list())
