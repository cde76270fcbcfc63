"""Paused time of each clock run, and the part of it that moves the due instant.

A run's paused time is the business time it spent in the paused statuses of its rule's
target for the metric.
Only pauses that begin before the due instant move it: the clock had not yet used
up its target when they began. A running clock paused at ``now`` with target left
has no due instant until it resumes.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours
from charter.sla._clock_ops import instants, per_clock, seconds


def with_pauses(
    runs: pl.DataFrame,
    spells: pl.DataFrame,
    pauses: pl.DataFrame,
    clocks: dict[str, OpeningHours],
) -> pl.DataFrame:
    """Add ``paused_seconds`` (all paused business time up to the run's end),
    ``_paused_due`` (the paused time before the due instant) and ``_waiting`` (a
    running clock paused now with target left: it has no due instant). ``runs``'
    ``_run`` is its row number."""
    overlap = per_clock(
        paused_overlaps(runs, spells, pauses), clocks, _pause_lengths, _LENGTHS_READ
    )
    # Pauses of one run never overlap: in start order, the clock time used before each
    # is the business time before it less the pauses before it.
    before = pl.col("_paused").cum_sum().over("_run") - pl.col("_paused")
    counted = (pl.col("_before") - before) < pl.col("_target")
    open_ended = pl.col("until_at").is_null() | (pl.col("until_at") >= pl.col("_end"))
    totals = (
        overlap.sort("_run", "_from")
        .with_columns(counted.alias("_counted"))
        .group_by("_run")
        .agg(
            pl.col("_paused").sum().alias("paused_seconds"),
            pl.col("_paused").filter("_counted").sum().alias("_paused_due"),
            (open_ended & pl.col("_counted")).any().alias("_waiting"),
        )
    )
    # ``_run`` is the run's row: each total goes to its place, no join needed.
    where = totals["_run"]
    placed = [
        pl.repeat(empty, runs.height, dtype=dtype, eager=True)
        .scatter(where, totals[name])
        .alias(name)
        for name, empty, dtype in (
            ("paused_seconds", 0.0, pl.Float64),
            ("_paused_due", 0.0, pl.Float64),
            ("_waiting", False, pl.Boolean),
        )
    ]
    return runs.with_columns(placed).with_columns(
        (pl.col("stop_at").is_null() & pl.col("_waiting")).alias("_waiting")
    )


def paused_overlaps(runs: pl.DataFrame, spells: pl.DataFrame, pauses: pl.DataFrame) -> pl.DataFrame:
    """Each paused spell of each run, clipped to the run: ``_from`` to ``_until``.

    A status pauses a metric's clock per rule: a run meets its ticket's spells in a
    status some rule pauses in, and keeps those its own rule and metric pause in."""
    paused = spells.filter(pl.col("status").is_in(pauses["status"].unique().implode()))
    return (
        runs.select(
            "_run",
            "ticket_id",
            "rule_id",
            "metric",
            "clock",
            "start_at",
            "_end",
            "target_seconds",
            "target_working_days",
        )  # fmt: skip
        .join(paused, on="ticket_id")
        .with_columns(
            pl.max_horizontal("start_at", "from_at").alias("_from"),
            pl.min_horizontal("_end", pl.coalesce("until_at", "_end")).alias("_until"),
        )
        .filter(pl.col("_until") > pl.col("_from"))
        .join(pauses, on=["rule_id", "metric", "status"], how="semi")
    )


_LENGTHS_READ = ("start_at", "_from", "_until", "target_seconds", "target_working_days")


def _pause_lengths(hours: OpeningHours, frame: pl.DataFrame) -> dict[str, NDArray[np.generic]]:
    start, since = instants(frame, "start_at"), instants(frame, "_from")
    return {
        "_paused": hours.elapsed(since, instants(frame, "_until")),
        "_before": hours.elapsed(start, since),
        "_target": target_business(hours, frame, start),
    }


def target_business(
    hours: OpeningHours, frame: pl.DataFrame, start: NDArray[np.datetime64]
) -> NDArray[np.float64]:
    """The target in business seconds; working days become the time to their due instant."""
    target = seconds(frame, "target_seconds")
    days = frame["target_working_days"].fill_null(0).to_numpy()
    in_days = days > 0
    if in_days.any():
        due = hours.add_working_days(start[in_days], days[in_days])
        target[in_days] = hours.elapsed(start[in_days], due)
    return target
