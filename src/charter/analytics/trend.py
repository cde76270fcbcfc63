"""Trends and alerts: is a KPI getting better, and has it missed its target for too long?

- ``slope``: the least-squares slope of a series per period, missing values ignored.
- ``trend_direction``: ``improving``, ``worsening`` or ``steady`` from a slope and
  whether higher values are better.
- ``missed_streak``: how many periods in a row, up to the last one, missed the
  target; ``alert`` when that streak has reached ``after`` periods.
- ``trends``: all of the above for many series at once, one row per group of a
  Polars frame, computed with expressions (no Python loop per group).

A target is ``at_most`` (a value above it misses, e.g. response time) or
``at_least`` (a value below it misses, e.g. SLA compliance). A period without a
value (NaN or null) is not a miss, so it ends a streak.

>>> weekly_median_hours = [3.0, 3.5, 4.5, 5.0]
>>> slope(weekly_median_hours)
0.7
>>> trend_direction(0.7, higher_is_better=False)
'worsening'
>>> missed_streak(weekly_median_hours, target=4.0, direction="at_most")
2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, cast, get_args

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.errors import UsageError

__all__ = ["Direction", "Trend", "alert", "missed_streak", "slope", "trend_direction", "trends"]

Direction = Literal["at_most", "at_least"]
Trend = Literal["improving", "worsening", "steady"]
Series = Sequence[float | int | None] | NDArray[Any]
DIRECTIONS: tuple[str, ...] = get_args(Direction)


def slope(values: Series, periods: Series | None = None) -> float:
    """Least-squares slope of ``values`` per period; NaN (or None) values are ignored.

    ``periods`` are the periods' numbers (default 0, 1, 2, ...). Fewer than two
    distinct periods with a value give NaN.

    >>> slope([1, 3, None, 2, 6], periods=[0, 1, 2, 2, 3])
    1.4
    """
    y = _floats(values, "values")
    x = np.arange(y.size, dtype=np.float64) if periods is None else _floats(periods, "periods")
    if x.shape != y.shape:
        raise UsageError(f"values and periods must be the same length, got {y.size} and {x.size}")
    known = ~np.isnan(y) & ~np.isnan(x)
    x, y = x[known], y[known]
    if np.unique(x).size < 2:
        return float("nan")
    dx = x - x.mean()
    return float((dx * (y - y.mean())).sum() / (dx * dx).sum())


def trend_direction(slope: float, higher_is_better: bool, tolerance: float = 0.0) -> Trend:
    """``improving`` or ``worsening`` when ``|slope| > tolerance``, else ``steady``.

    ``tolerance`` is in the value's unit per period. A NaN slope (too few periods
    to tell) is ``steady``.

    >>> trend_direction(-0.02, higher_is_better=True, tolerance=0.01)
    'worsening'
    """
    if np.isnan(slope) or abs(slope) <= _tolerance(tolerance):
        return "steady"
    return "improving" if (slope > 0) == higher_is_better else "worsening"


def missed_streak(values: Series, target: float, direction: Direction) -> int:
    """Consecutive periods at the end of ``values`` (oldest first) that missed ``target``.

    >>> missed_streak([0.9, 0.8, 0.95, 0.82, 0.84], target=0.85, direction="at_least")
    2
    """
    missed = _missed(_floats(values, "values"), target, _direction(direction))
    backwards = missed[::-1]
    return int(backwards.size if backwards.all() else np.argmin(backwards))


def alert(values: Series, target: float, direction: Direction, after: int) -> bool:
    """True when the last ``after`` or more periods in a row missed ``target``.

    >>> alert([12, 9, 11, 13], target=10, direction="at_most", after=2)
    True
    """
    return missed_streak(values, target, direction) >= _after(after)


def trends(
    frame: pl.DataFrame,
    by: Sequence[str],
    *,
    period: str = "period",
    value: str = "value",
    target: str | float = "target",
    direction: str = "direction",
    after: int = 3,
    tolerance: float = 0.0,
) -> pl.DataFrame:
    """One row per group of ``by``: ``slope``, ``direction``, ``streak``, ``alert``.

    ``target`` is a column name or one number for every row; ``direction`` is a
    column name or ``"at_most"`` / ``"at_least"`` for every row. Rows are ordered
    by ``period`` (dates, numbers or sortable text); the slope is per period, where
    periods are numbered across the whole frame, so a group missing a period keeps
    the gap. A group's ``direction`` (improving, worsening, steady) reads its slope
    with the direction of its latest row; its ``slope`` is null with fewer than two
    periods holding a value. ``streak`` counts the misses up to the group's latest
    period and ``alert`` is ``streak >= after``.

    >>> hours = pl.DataFrame({"team": ["a", "a", "a", "b", "b", "b"],
    ...     "period": [1, 2, 3, 1, 2, 3], "value": [4.0, 5.0, 6.0, 6.0, 5.0, 4.0]})
    >>> trends(hours, ["team"], target=4.5, direction="at_most", after=2).rows()
    [('a', 1.0, 'worsening', 2, True), ('b', -1.0, 'improving', 0, False)]
    """
    keys = list(by) or ["_all"]
    needed = [*by, period, value]
    needed += [c for c in (target, direction) if isinstance(c, str) and c not in DIRECTIONS]
    _check_columns(frame, needed)
    rows = frame.with_columns(
        _x=pl.col(period).rank("dense").cast(pl.Float64),
        _y=pl.col(value).cast(pl.Float64).fill_nan(None),
        _direction=_direction_expr(frame, direction),
        _target=pl.col(target).cast(pl.Float64) if isinstance(target, str) else pl.lit(target),
        _all=pl.lit(0),
    )
    rows = rows.with_columns(_missed=_missed_expr())
    per_group = rows.group_by(keys, maintain_order=True).agg(
        slope=_slope_expr(),
        _higher=pl.col("_direction").sort_by(period).last() == "at_least",
        streak=pl.col("_missed").cast(pl.Int64).sort_by(period, descending=True).cum_prod().sum(),
    )
    return per_group.select(
        *by,
        "slope",
        _trend_expr(_tolerance(tolerance)).alias("direction"),
        "streak",
        (pl.col("streak") >= _after(after)).alias("alert"),
    )


def _slope_expr() -> pl.Expr:
    known = pl.col("_y").is_not_null()
    x, y = pl.col("_x").filter(known), pl.col("_y").filter(known)
    dx = x - x.mean()
    fitted = (dx * (y - y.mean())).sum() / (dx * dx).sum()
    return pl.when(x.n_unique() >= 2).then(fitted).otherwise(None)


def _missed_expr() -> pl.Expr:
    y, goal = pl.col("_y"), pl.col("_target")
    missed = pl.when(pl.col("_direction") == "at_most").then(y > goal).otherwise(y < goal)
    return missed.fill_null(False)


def _trend_expr(tolerance: float) -> pl.Expr:
    s = pl.col("slope")
    return (
        pl.when(s.is_null() | (s.abs() <= tolerance))
        .then(pl.lit("steady"))
        .when((s > 0) == pl.col("_higher"))
        .then(pl.lit("improving"))
        .otherwise(pl.lit("worsening"))
    )


def _direction_expr(frame: pl.DataFrame, direction: str) -> pl.Expr:
    if direction in DIRECTIONS:
        return pl.lit(direction)
    bad = frame.filter(~pl.col(direction).is_in(DIRECTIONS) | pl.col(direction).is_null())
    if bad.height:
        raise UsageError(
            f"column {direction!r} must hold 'at_most' or 'at_least', "
            f"got {bad[direction][0]!r} in {bad.height} row(s)"
        )
    return pl.col(direction).cast(pl.String)


def _check_columns(frame: pl.DataFrame, needed: Sequence[str]) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise UsageError(
            f"trends: no column {', '.join(map(repr, missing))} in the frame; "
            f"it has {', '.join(frame.columns)}"
        )


def _missed(values: NDArray[np.float64], target: float, direction: Direction) -> NDArray[np.bool_]:
    # NaN compares False both ways: a period without a value is not a miss.
    missed: NDArray[np.bool_] = values > target if direction == "at_most" else values < target
    return missed


def _floats(values: Series, what: str) -> NDArray[np.float64]:
    try:
        return np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise UsageError(f"{what} must be numbers, got {values!r:.80}") from None


def _direction(direction: str) -> Direction:
    if direction in DIRECTIONS:
        return cast(Direction, direction)
    raise UsageError(f"direction must be 'at_most' or 'at_least', got {direction!r}")


def _after(after: int) -> int:
    if isinstance(after, bool) or not isinstance(after, int) or after < 1:
        raise UsageError(f"after must be a whole number of periods, 1 or more, got {after!r}")
    return after


def _tolerance(tolerance: float) -> float:
    if not tolerance >= 0:
        raise UsageError(f"tolerance must be 0 or more, got {tolerance!r}")
    return float(tolerance)
