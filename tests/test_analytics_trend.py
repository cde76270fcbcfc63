"""Trends and alerts on KPI series, worked out by hand.

The least-squares slope is sum((x - mean x)(y - mean y)) / sum((x - mean x)^2); every
expected slope below is that sum written out in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from charter.analytics.trend import alert, missed_streak, slope, trend_direction, trends
from charter.errors import UsageError

NAN = float("nan")


# --- slope -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "periods", "expected"),
    [
        ([1, 2, 3], None, 1.0),
        ([3, 3, 3, 3], None, 0.0),
        # x 0..3, mean 1.5; y 1, 3, 2, 6, mean 3: (3 + 0 - 0.5 + 4.5) / (2.25 + .25 + .25 + 2.25).
        ([1, 3, 2, 6], None, 1.4),
        # The missing value is skipped, not read as 0: x 0, 2 and y 1, 3.
        ([1, NAN, 3], None, 1.0),
        ([1, None, 3], None, 1.0),
        # Periods two apart: y rises 1 every 2 periods.
        ([1, 2, 3], [0, 2, 4], 0.5),
        # x 1, 2, 4 (mean 7/3), y 10, 8, 4 (mean 22/3): dx -4/3, -1/3, 5/3; dy 8/3, 2/3,
        # -10/3; (-32 - 2 - 50) / 9 over (16 + 1 + 25) / 9 = -2.
        ([10, 8, 4], [1, 2, 4], -2.0),
    ],
)
def test_slope_is_the_least_squares_change_per_period(values, periods, expected):
    assert slope(values, periods) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("values", [[], [5.0], [NAN, 4.0, NAN], [NAN, NAN]])
def test_slope_needs_two_periods_with_values(values):
    assert math.isnan(slope(values))


def test_slope_of_one_repeated_period_is_undefined():
    assert math.isnan(slope([1.0, 2.0], periods=[3, 3]))


def test_slope_refuses_periods_of_another_length():
    with pytest.raises(UsageError, match="same length, got 3 and 2"):
        slope([1, 2, 3], [0, 1])


# --- trend direction ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "higher_is_better", "tolerance", "expected"),
    [
        (0.02, True, 0.0, "improving"),  # compliance rising
        (0.02, False, 0.0, "worsening"),  # response time rising
        (-300.0, False, 0.0, "improving"),  # response time falling
        (-0.02, True, 0.0, "worsening"),
        (0.0, True, 0.0, "steady"),
        (0.005, True, 0.01, "steady"),  # inside the tolerance
        (-0.01, True, 0.01, "steady"),  # on its edge
        (-0.011, True, 0.01, "worsening"),
        (NAN, True, 0.0, "steady"),  # too few periods to tell
    ],
)
def test_trend_direction_reads_the_slope_against_what_is_better(
    value, higher_is_better, tolerance, expected
):
    assert trend_direction(value, higher_is_better, tolerance) == expected


def test_a_negative_tolerance_is_refused():
    with pytest.raises(UsageError, match="tolerance must be 0 or more"):
        trend_direction(1.0, True, -0.1)


# --- streaks and alerts ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "target", "direction", "streak"),
    [
        # Response hours, target at most 4: the last two (5, 6) miss.
        ([3, 5, 4, 5, 6], 4, "at_most", 2),
        # Exactly on target meets it.
        ([5, 5, 4], 4, "at_most", 0),
        ([5, 6, 7], 4, "at_most", 3),
        ([], 4, "at_most", 0),
        # Compliance, target at least 0.85: 0.82 and 0.84 miss; 0.85 meets.
        ([0.9, 0.8, 0.95, 0.82, 0.84], 0.85, "at_least", 2),
        ([0.8, 0.85], 0.85, "at_least", 0),
        # A period without a value is not a miss: it ends the streak.
        ([6, 6, NAN, 6], 4, "at_most", 1),
        ([6, 6, 6, NAN], 4, "at_most", 0),
    ],
)
def test_missed_streak_counts_misses_up_to_the_last_period(values, target, direction, streak):
    assert missed_streak(values, target, direction) == streak


@pytest.mark.parametrize(("after", "expected"), [(1, True), (2, True), (3, False)])
def test_alert_fires_once_the_streak_reaches_after(after, expected):
    assert alert([3, 5, 4, 5, 6], 4, "at_most", after) is expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: alert([1], 1, "at_most", 0), "after must be a whole number of periods, 1"),
        (lambda: alert([1], 1, "at_most", 1.5), "after must be a whole number"),
        (lambda: missed_streak([1], 1, "below"), "direction must be 'at_most' or 'at_least'"),
        (lambda: missed_streak(["x"], 1, "at_most"), "values must be numbers"),
    ],
)
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(UsageError, match=message):
        call()


# --- trends over many series -------------------------------------------------------------

WEEKS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=k) for k in range(4)]


def kpi_rows() -> pl.DataFrame:
    """Two teams' weekly first-response hours (target at most 4) and compliance (at least
    0.9), rows deliberately out of order."""
    rows = [
        # team, kpi, week, value, target, direction
        ("north", "hours", 3, 6.0, 4.0, "at_most"),
        ("north", "hours", 0, 3.0, 4.0, "at_most"),
        ("north", "hours", 2, 5.0, 4.0, "at_most"),
        ("north", "hours", 1, 4.0, 4.0, "at_most"),
        ("south", "hours", 0, 6.0, 4.0, "at_most"),
        ("south", "hours", 1, 5.0, 4.0, "at_most"),
        ("south", "hours", 3, 3.0, 4.0, "at_most"),  # week 2 missing
        ("north", "compliance", 0, 0.95, 0.9, "at_least"),
        ("north", "compliance", 1, 0.95, 0.9, "at_least"),
        ("north", "compliance", 2, 0.85, 0.9, "at_least"),
        ("north", "compliance", 3, None, 0.9, "at_least"),  # nothing decided that week
    ]
    return pl.DataFrame(
        [(t, k, WEEKS[w], v, g, d) for t, k, w, v, g, d in rows],
        schema=["team", "kpi", "period", "value", "target", "direction"],
        orient="row",
    )


def test_trends_gives_one_row_per_group_with_slope_direction_streak_and_alert():
    result = trends(kpi_rows(), by=["team", "kpi"], after=2)
    by_group = {(r["team"], r["kpi"]): r for r in result.iter_rows(named=True)}
    assert result.columns == ["team", "kpi", "slope", "direction", "streak", "alert"]
    assert result.height == 3
    # north hours, weeks 0..3: 3, 4, 5, 6 -> slope 1 h a week, worse; 5 and 6 miss.
    assert by_group["north", "hours"] == {
        "team": "north", "kpi": "hours", "slope": 1.0, "direction": "worsening",
        "streak": 2, "alert": True,
    }  # fmt: skip
    # south hours at weeks 0, 1, 3 (the gap kept): x mean 4/3, y mean 14/3;
    # sum dx dy = (-4/3)(4/3) + (-1/3)(1/3) + (5/3)(-5/3) = -42/9; sum dx^2 = 42/9 -> -1.
    # Falling hours are improving; the last week (3 h) meets the target.
    assert by_group["south", "hours"] == {
        "team": "south", "kpi": "hours", "slope": pytest.approx(-1.0), "direction": "improving",
        "streak": 0, "alert": False,
    }  # fmt: skip
    # north compliance: 0.95, 0.95, 0.85 at weeks 0..2 -> slope -0.05, worse; the last
    # week has no value, which is not a miss, so the streak is 0.
    assert by_group["north", "compliance"]["slope"] == pytest.approx(-0.05)
    assert by_group["north", "compliance"]["direction"] == "worsening"
    assert by_group["north", "compliance"]["streak"] == 0


def test_trends_counts_the_streak_in_period_order_not_row_order():
    frame = kpi_rows().filter(pl.col("kpi") == "hours", pl.col("team") == "north")
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=7)
    assert trends(shuffled, by=["team"], after=2)["streak"].to_list() == [2]


def test_trends_takes_a_target_and_direction_for_every_row():
    frame = pl.DataFrame({"period": [1, 2, 3, 4], "value": [0.8, 0.7, 0.9, 0.6]})
    # No groups: one row. x 0..3 (mean 1.5), y mean 0.75:
    # sum dx dy = (-1.5)(0.05) + (-0.5)(-0.05) + (0.5)(0.15) + (1.5)(-0.15) = -0.2; / 5.
    result = trends(frame, by=[], target=0.75, direction="at_least", after=1)
    assert result.columns == ["slope", "direction", "streak", "alert"]
    row = result.row(0, named=True)
    assert row["slope"] == pytest.approx(-0.04)
    assert (row["direction"], row["streak"], row["alert"]) == ("worsening", 1, True)


def test_trends_reads_a_slope_within_the_tolerance_as_steady():
    frame = pl.DataFrame({"g": ["a"] * 3, "period": [1, 2, 3], "value": [0.90, 0.91, 0.92]})
    loose = trends(frame, by=["g"], target=0.8, direction="at_least", tolerance=0.02)
    tight = trends(frame, by=["g"], target=0.8, direction="at_least", tolerance=0.001)
    assert (loose["direction"][0], tight["direction"][0]) == ("steady", "improving")


def test_a_group_with_one_value_has_no_slope_and_is_steady():
    frame = pl.DataFrame(
        {"g": ["a", "a", "b"], "period": [1, 2, 1], "value": [5.0, float("nan"), 7.0]}
    )
    result = trends(frame, by=["g"], target=6.0, direction="at_most", after=1)
    assert result["slope"].to_list() == [None, None]
    assert result["direction"].to_list() == ["steady", "steady"]
    # a: the NaN week is not a miss; b: 7 > 6 misses.
    assert result["streak"].to_list() == [0, 1]
    assert result["alert"].to_list() == [False, True]


def test_a_null_group_key_is_a_group_of_its_own():
    frame = pl.DataFrame(
        {"g": [None, None, "x", "x"], "period": [1, 2, 1, 2], "value": [1.0, 2.0, 2.0, 1.0]}
    )
    result = trends(frame, by=["g"], target=1.5, direction="at_most", after=1)
    assert dict(zip(result["g"], result["slope"], strict=True)) == {None: 1.0, "x": -1.0}


def test_trends_refuses_missing_columns_and_unknown_directions():
    frame = kpi_rows()
    with pytest.raises(UsageError, match="no column 'week' in the frame"):
        trends(frame, by=["team"], period="week")
    bad = frame.with_columns(pl.lit("below").alias("direction"))
    with pytest.raises(UsageError, match="column 'direction' must hold 'at_most' or 'at_least'"):
        trends(bad, by=["team"])
    with pytest.raises(UsageError, match="after must be a whole number"):
        trends(frame, by=["team"], after=0)


def test_trends_on_an_empty_frame_is_empty():
    frame = kpi_rows().clear()
    result = trends(frame, by=["team", "kpi"])
    assert result.height == 0
    assert result.columns == ["team", "kpi", "slope", "direction", "streak", "alert"]


def test_the_scalar_and_frame_streaks_agree_on_numpy_input():
    values = np.array([4.0, 5.0, 6.0])
    frame = pl.DataFrame({"g": ["a"] * 3, "period": [1, 2, 3], "value": values})
    # 5 and 6 miss "at most 4.5" by hand.
    assert missed_streak(values, 4.5, "at_most") == 2
    assert trends(frame, by=["g"], target=4.5, direction="at_most")["streak"][0] == 2
