"""Pilot against control: the statistics and the verdicts a service manager reads.

Expected values are worked out by hand below, from the textbook formulas:

- two proportions: pooled p = (m1 + m2) / (n1 + n2), z = (p1 - p2) / sqrt(p (1 - p)
  (1/n1 + 1/n2)), two-sided p = erfc(|z| / sqrt 2); 95 % Wald interval
  (p1 - p2) +- 1.959964 sqrt(p1 (1 - p1) / n1 + p2 (1 - p2) / n2);
- Mann-Whitney: U of the pilot counts the pairs where the pilot is longer (ties
  half); normal approximation with tie and continuity correction;
- Welch: se = sqrt(s1^2/n1 + s2^2/n2), Welch-Satterthwaite df, t quantiles from a
  printed table.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import betainc

from charter.analytics.stats import (
    compare_csat,
    compare_durations,
    compare_means,
    compare_proportions,
)
from charter.errors import UsageError

Z975 = 1.959963984540054
PROMISE = "the first-response promise"


def two_proportions_by_hand(m1: int, n1: int, m2: int, n2: int) -> tuple[float, ...]:
    """difference, z, two-sided p, ci_low, ci_high."""
    p1, p2, pooled = m1 / n1, m2 / n2, (m1 + m2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    half = Z975 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return p1 - p2, z, math.erfc(abs(z) / math.sqrt(2)), p1 - p2 - half, p1 - p2 + half


def mann_whitney_by_hand(a: list[float], b: list[float]) -> tuple[float, float]:
    """U of ``a`` by counting pairs, and the two-sided p of the normal approximation."""
    u = sum((x > y) + 0.5 * (x == y) for x in a for y in b)
    n1, n2 = len(a), len(b)
    n = n1 + n2
    ties = [list(a + b).count(v) for v in set(a + b)]
    variance = n1 * n2 / 12 * ((n + 1) - sum(t**3 - t for t in ties) / (n * (n - 1)))
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(variance)
    return u, min(1.0, math.erfc(z / math.sqrt(2)))


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t, by the regularised incomplete beta function."""
    return float(betainc(df / 2, 0.5, df / (df + t * t)))


# --- two proportions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "by_hand"),
    [
        # 455/500 = 91 % vs 432/500 = 86.4 %: pooled 0.887, se 0.020023, z 2.2973.
        ((455, 500, 432, 500), (0.046, 2.2973481, 0.0215989, 0.0068592, 0.0851408)),
        # 40/40 vs 30/40: pooled 0.875, se 0.073951, z 3.3806; the pilot's side adds no spread.
        ((40, 40, 30, 40), (0.25, 3.3806170, 0.0007232, 0.1158104, 0.3841896)),
        # 412/480 vs 451/490: the pilot is lower.
        ((412, 480, 451, 490), (-0.0620748, -3.0854803, 0.0020322, -0.1014126, -0.0227371)),
    ],
)
def test_two_proportions_follow_the_z_test_and_wald_interval(counts, by_hand):
    result = compare_proportions(*counts, label=PROMISE)
    got = (result.difference, result.z, result.p_value, result.ci_low, result.ci_high)
    assert got == pytest.approx(by_hand, abs=1e-7)
    assert got == pytest.approx(two_proportions_by_hand(*counts), rel=1e-12)
    assert (result.pilot_rate, result.control_rate) == (
        counts[0] / counts[1],
        counts[2] / counts[3],
    )


@pytest.mark.parametrize(
    ("counts", "verdict"),
    [
        (
            (455, 500, 432, 500),
            "The pilot met the first-response promise more often: 91 % vs 86.4 % "
            "(difference 4.6 points, p = 0.022); unlikely to be chance.",
        ),
        (
            (412, 480, 451, 490),
            "The pilot met the first-response promise less often: 85.8 % vs 92 % "
            "(difference 6.2 points, p = 0.002); unlikely to be chance.",
        ),
        (
            (40, 40, 30, 40),
            "The pilot met the first-response promise more often: 100 % vs 75 % "
            "(difference 25.0 points, p < 0.001); unlikely to be chance.",
        ),
        # 75 % vs 70 %: z 0.5008, p 0.6165.
        (
            (30, 40, 28, 40),
            "The first-response promise: no clear difference (pilot 75 %, control 70 %; p = 0.62).",
        ),
        (
            (10, 12, 7, 9),
            "The first-response promise: too few tickets to tell (pilot 12, control 9); "
            "collect at least 30 in each.",
        ),
        (
            (0, 0, 0, 0),
            "The first-response promise: too few tickets to tell (pilot 0, control 0); "
            "collect at least 30 in each.",
        ),
    ],
)
def test_the_proportion_verdict_reads_as_a_sentence(counts, verdict):
    assert compare_proportions(*counts, label=PROMISE).verdict == verdict


def test_too_few_tickets_says_so_even_when_the_gap_is_large():
    result = compare_proportions(29, 29, 0, 40, label=PROMISE)
    assert result.p_value < 1e-6  # pooled 29/69: z 8.31
    assert not result.enough
    assert result.verdict.startswith("The first-response promise: too few tickets to tell")


def test_a_lower_minimum_lets_small_groups_be_judged():
    # 10/12 vs 7/9 at min_count=5: p = 0.75 by hand (pooled 17/21, z 0.32).
    result = compare_proportions(10, 12, 7, 9, label=PROMISE, min_count=5)
    assert result.enough
    assert result.p_value == pytest.approx(two_proportions_by_hand(10, 12, 7, 9)[2], rel=1e-12)
    assert "no clear difference" in result.verdict


@pytest.mark.parametrize("counts", [(40, 40, 40, 40), (0, 35, 0, 50), (27, 40, 27, 40)])
def test_identical_shares_give_no_difference_and_p_one(counts):
    # All met, none met, or the same share: the difference is 0 and z is 0 (p = 1), also
    # when the pooled share is 0 or 1 and the standard error is 0.
    result = compare_proportions(*counts, label=PROMISE)
    assert (result.difference, result.z, result.p_value) == (0.0, 0.0, 1.0)
    assert "no clear difference" in result.verdict


def test_all_met_in_both_gives_a_zero_width_interval():
    result = compare_proportions(40, 40, 40, 40, label=PROMISE)
    assert (result.ci_low, result.ci_high) == (0.0, 0.0)
    assert result.verdict == (
        "The first-response promise: no clear difference (pilot 100 %, control 100 %; p = 1.00)."
    )


def test_an_empty_group_leaves_the_figures_undefined():
    result = compare_proportions(0, 0, 30, 40, label=PROMISE)
    assert math.isnan(result.pilot_rate) and math.isnan(result.p_value)
    assert math.isnan(result.ci_low) and result.control_rate == 0.75
    assert "too few tickets to tell (pilot 0, control 40)" in result.verdict


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((41, 40, 30, 40), r"pilot_met \(41\) is more than pilot_total \(40\)"),
        ((30, 40, -1, 40), "control_met must be a whole number of tickets, 0 or more, got -1"),
        ((30, 40.5, 20, 40), "pilot_total must be a whole number.*got 40.5"),
        ((30, 40, 20, float("nan")), "control_total must be a whole number.*got nan"),
        ((True, 40, 20, 40), "pilot_met must be a whole number.*got True"),
        (("30", 40, 20, 40), "pilot_met must be a whole number"),
    ],
)
def test_counts_that_are_not_whole_or_exceed_the_total_are_refused(counts, message):
    with pytest.raises(UsageError, match=message):
        compare_proportions(*counts, label=PROMISE)


# --- CSAT: the share of 4-5 ratings --------------------------------------------------------


def test_csat_compares_the_share_of_four_and_five_ratings():
    # Pilot: 34 of 40 rated 4-5 (85 %); control 26 of 40 (65 %). Pooled 0.75, se 0.096825,
    # z 2.0656, p 0.0389. NaN and None ratings are dropped, not counted as unhappy.
    pilot = [5] * 20 + [4] * 14 + [3] * 4 + [1] * 2 + [float("nan"), None]
    control = [5] * 10 + [4] * 16 + [2] * 14 + [float("nan")]
    result = compare_csat(pilot, control)
    assert (result.pilot_met, result.pilot_total) == (34, 40)
    assert (result.control_met, result.control_total) == (26, 40)
    assert result.z == pytest.approx(2.0655911, abs=1e-7)
    assert result.p_value == pytest.approx(0.0388671, abs=1e-7)
    assert result.verdict == (
        "The pilot had more satisfied customers (CSAT 4-5): 85 % vs 65 % "
        "(difference 20.0 points, p = 0.039); unlikely to be chance."
    )


def test_csat_with_few_ratings_asks_for_more():
    result = compare_csat(np.array([5, 4, 5]), np.array([1, 2]))
    assert result.verdict == (
        "CSAT (share of 4-5 ratings): too few ratings to tell (pilot 3, control 2); "
        "collect at least 30 in each."
    )


@pytest.mark.parametrize(("bad", "shown"), [(6, "6"), (0, "0"), (4.5, "4.5")])
def test_csat_ratings_off_the_one_to_five_scale_are_refused(bad, shown):
    with pytest.raises(UsageError, match=f"pilot ratings must be whole numbers 1-5.*got {shown}"):
        compare_csat([5, 4, bad], [4, 4])


# --- durations ----------------------------------------------------------------------------


def test_separate_small_samples_give_the_exact_mann_whitney_p():
    # Every pilot time is shorter: U = 0. Exactly: 1 of the C(8, 4) = 70 ways to split the
    # ranks is this extreme in each direction, so p = 2/70.
    result = compare_durations([60, 100, 140, 180], [600, 640, 680, 720], label="x", min_count=4)
    assert (result.u_statistic, result.pilot_longer) == (0.0, 0.0)
    assert result.p_value == pytest.approx(2 / 70, rel=1e-12)


def test_the_faster_group_is_named_with_both_medians_in_words():
    # Pilot 1..30 minutes, control 11..40: the pilot is longer in sum(1..19) = 190 pairs,
    # tied in 20: U = 200 of 900. Medians 15.5 and 25.5 minutes, shown 16 and 26 min.
    pilot = [60.0 * k for k in range(1, 31)]
    control = [60.0 * k + 600 for k in range(1, 31)]
    result = compare_durations(pilot, control, label="first response")
    u, p = mann_whitney_by_hand(pilot, control)
    assert result.u_statistic == u == 200
    assert result.pilot_longer == pytest.approx(200 / 900)
    assert result.p_value == pytest.approx(p, rel=1e-9)  # z 3.6897, p 0.00022
    assert (result.pilot_median, result.control_median) == (930.0, 1530.0)
    assert result.verdict == (
        "The pilot was faster on first response: median 16 min vs 26 min (p < 0.001); "
        "unlikely to be chance."
    )


def test_a_slower_pilot_is_called_slower():
    pilot = [3600.0 * k for k in range(2, 32)]  # 2..31 hours
    control = [3600.0 * k for k in range(1, 31)]  # 1..30 hours
    result = compare_durations(pilot, control, label="resolution", min_count=30)
    u, p = mann_whitney_by_hand(pilot, control)
    assert result.u_statistic == u  # 465 longer + 29 ties / 2 = 479.5 of 900
    assert result.p_value == pytest.approx(p, rel=1e-9)  # z 0.4289, p 0.668
    assert result.verdict == (
        "Resolution: no clear difference (median pilot 16 h 30 min, control 15 h 30 min; p = 0.67)."
    )
    wide = compare_durations([x + 36_000 for x in pilot], control, label="resolution")
    assert wide.verdict.startswith(
        "The pilot was slower on resolution: median 26 h 30 min vs 15 h 30 min"
    )


def test_missing_durations_are_dropped_and_not_counted():
    result = compare_durations(
        np.array([60.0, np.nan, 120.0]), [np.nan, 600.0], label="first response"
    )
    assert (result.pilot_count, result.control_count) == (2, 1)
    assert (result.pilot_median, result.control_median) == (90.0, 600.0)
    assert result.verdict == (
        "First response: too few tickets to tell (pilot 2, control 1); collect at least 30 in each."
    )


def test_identical_durations_show_no_difference():
    result = compare_durations([600.0] * 40, [600.0] * 40, label="first response")
    assert (result.u_statistic, result.pilot_longer, result.p_value) == (800.0, 0.5, 1.0)
    assert result.verdict == (
        "First response: no clear difference (median pilot 10 min, control 10 min; p = 1.00)."
    )


def test_an_empty_group_of_durations_has_no_test():
    result = compare_durations([], [60.0] * 40, label="first response")
    assert math.isnan(result.p_value) and math.isnan(result.pilot_median)
    assert "too few tickets to tell (pilot 0, control 40)" in result.verdict


def test_durations_that_are_not_numbers_are_refused():
    with pytest.raises(UsageError, match="control must be numbers"):
        compare_durations([60.0], ["soon"], label="first response")


# --- means (Welch) ------------------------------------------------------------------------


def test_welch_interval_and_p_match_the_formulas():
    # Means 4.5 and 3.5, variances 1/3 each: se = sqrt(1/12 + 1/12) = 0.408248, t = 2.449490,
    # df = (1/6)^2 / (2 (1/12)^2 / 3) = 6; t(0.975, 6) = 2.446912 from the table.
    result = compare_means([4, 5, 5, 4], [3, 4, 3, 4], label="the CSAT score", min_count=4)
    se = math.sqrt(1 / 6)
    assert (result.pilot_mean, result.control_mean, result.difference) == (4.5, 3.5, 1.0)
    assert result.t == pytest.approx(1 / se, rel=1e-12)
    assert result.df == pytest.approx(6.0, rel=1e-12)
    assert result.ci_low == pytest.approx(1 - 2.446912 * se, abs=1e-6)
    assert result.ci_high == pytest.approx(1 + 2.446912 * se, abs=1e-6)
    assert result.p_value == pytest.approx(t_two_sided_p(1 / se, 6), rel=1e-9)  # 0.0498


def test_welch_with_unequal_variances_and_sizes():
    # Pilot 1, 2, 3, 4, 5 (mean 3, variance 2.5); control 2, 2, 2, 8 (mean 3.5, variance 9).
    # se^2 = 0.5 + 2.25 = 2.75; df = 2.75^2 / (0.5^2 / 4 + 2.25^2 / 3) = 4.3597.
    result = compare_means([1, 2, 3, 4, 5], [2, 2, 2, 8], label="x", min_count=4)
    df = 2.75**2 / (0.5**2 / 4 + 2.25**2 / 3)
    assert result.df == pytest.approx(df, rel=1e-12)
    assert result.t == pytest.approx(-0.5 / math.sqrt(2.75), rel=1e-12)
    assert result.p_value == pytest.approx(t_two_sided_p(-0.5 / math.sqrt(2.75), df), rel=1e-9)


def test_a_clear_gap_in_means_is_reported_with_its_size():
    # 20 fives and 20 fours vs 20 fours and 20 threes: difference 1, se 0.113228, t 8.83.
    result = compare_means([5] * 20 + [4] * 20, [4] * 20 + [3] * 20, label="the CSAT score")
    assert result.df == pytest.approx(78.0)
    assert result.verdict == (
        "The pilot scored higher on the CSAT score: mean 4.50 vs 3.50 "
        "(difference 1.00, p < 0.001); unlikely to be chance."
    )


def test_equal_means_show_no_difference():
    result = compare_means([5, 3] * 20, [4] * 40, label="the CSAT score")
    assert result.p_value == pytest.approx(1.0)
    assert result.verdict == (
        "The CSAT score: no clear difference (mean pilot 4.00, control 4.00; p = 1.00)."
    )


@pytest.mark.parametrize(
    ("pilot", "control", "p", "interval"),
    [([5] * 30, [4] * 30, 0.0, (1.0, 1.0)), ([4] * 30, [4] * 30, 1.0, (0.0, 0.0))],
)
def test_groups_without_spread_are_certainly_different_or_certainly_not(
    pilot, control, p, interval
):
    result = compare_means(pilot, control, label="the CSAT score")
    assert result.p_value == p
    assert (result.ci_low, result.ci_high) == interval


def test_means_drop_missing_values_and_say_when_there_are_too_few():
    result = compare_means([5, np.nan, 4], [None, 3], label="the CSAT score")
    assert (result.pilot_count, result.control_count, result.pilot_mean) == (2, 1, 4.5)
    assert math.isnan(result.p_value)  # one control value has no variance
    assert result.verdict == (
        "The CSAT score: too few responses to tell (pilot 2, control 1); "
        "collect at least 30 in each."
    )


def test_infinite_values_are_refused():
    with pytest.raises(UsageError, match="pilot holds an infinite value"):
        compare_means([1.0, math.inf], [1.0], label="x")
