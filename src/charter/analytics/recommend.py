"""The tightest target each rule would have met for a given share of its tickets.

>>> round_up(50 * 60), round_up(100 * 60), round_up(5.2 * 3600), round_up(30 * 3600)
(3000, 6300, 18900, 108000)
"""

from __future__ import annotations

import math

import polars as pl

# Granularity of a recommended target: people promise "45 minutes", not "43".
_STEPS = ((3600, 300), (8 * 3600, 900), (48 * 3600, 3600))
_COARSE = 4 * 3600


def round_up(seconds: float) -> int:
    """Round up to 5 minutes below 1 h, 15 minutes below 8 h, 1 h below 2 days, else 4 h."""
    step = next((s for limit, s in _STEPS if seconds < limit), _COARSE)
    return max(step, math.ceil(seconds / step) * step)


def _smallest_covering(share: float) -> pl.Expr:
    """The smallest elapsed time at or under which ``share`` of the tickets fall:
    the k-th smallest, k = ceil(share × n) (a hair under, so 0.95 × 20 is 19, not 20)."""
    k = (pl.len() * share - 1e-9).ceil().cast(pl.Int64).clip(lower_bound=1)
    return pl.col("elapsed_seconds").sort().get(k - 1)


def recommend(sla: pl.DataFrame, share: float) -> pl.DataFrame:
    """Per rule and metric: the current target, the share that met it, and the
    tightest target (rounded up) that ``share`` of finished tickets met.

    Only stopped clocks count: a running clock's time is not yet known. Working-day
    targets are compared in business seconds; the recommendation is in hours.
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    stopped = sla.filter(pl.col("stop_at").is_not_null() & pl.col("clock").is_not_null())
    met = pl.col("elapsed_seconds") <= pl.col("target_business_seconds")
    table = (
        stopped.group_by("rule_id", "metric")
        .agg(
            pl.col("clock", "target_seconds", "target_working_days").first(),
            pl.len().alias("tickets"),
            met.mean().alias("share_now"),
            _smallest_covering(share).alias("needed"),
        )
        .sort("rule_id", "metric")
    )
    rounded = [round_up(value) for value in table["needed"].to_list()]
    return table.with_columns(pl.Series("recommended_seconds", rounded, dtype=pl.Int64))
