"""Pilot against control: did the pilot change the numbers, or could it be chance?

Each comparison returns a frozen dataclass with the numbers and a ``verdict``: one
sentence a service manager can read out. Tests are two-sided at the 5 % level
(``alpha``); a group with fewer than ``min_count`` (30) observations gives the
verdict "too few ... to tell" whatever the numbers say.

- ``compare_proportions``: shares that met a promise; two-proportion z test with
  the pooled standard error, 95 % Wald interval (unpooled) for the difference.
- ``compare_csat``: 1-5 ratings as the share of 4-5, tested like proportions.
- ``compare_durations``: seconds (NaN dropped); Mann-Whitney U, medians.
- ``compare_means``: any scores (NaN dropped); Welch's t test and interval.

>>> r = compare_proportions(455, 500, 432, 500, label="the promise")
>>> round(r.p_value, 4), round(r.difference, 3)
(0.0216, 0.046)
>>> r.verdict
'The pilot met the promise more often: 91 % vs 86.4 % (difference 4.6 points, p = 0.022); ...'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats  # type: ignore[import-untyped]

from charter import figures
from charter.analytics._stats_input import Values, finite, met_of, ratings
from charter.analytics._stats_words import Words, capital, enough, number

__all__ = [
    "DurationComparison",
    "MeanComparison",
    "ProportionComparison",
    "compare_csat",
    "compare_durations",
    "compare_means",
    "compare_proportions",
]

ALPHA = 0.05
MIN_COUNT = 30
_Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class ProportionComparison:
    """Shares (0-1) that met something, pilot against control.

    ``difference`` is pilot minus control; ``ci_low``/``ci_high`` its 95 % Wald
    interval (unpooled); ``z`` uses the pooled standard error and ``p_value`` is
    two-sided. Figures that need an empty group are NaN.
    """

    label: str
    pilot_met: int
    pilot_total: int
    control_met: int
    control_total: int
    pilot_rate: float
    control_rate: float
    difference: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    enough: bool
    verdict: str


@dataclass(frozen=True)
class DurationComparison:
    """Durations in seconds, pilot against control, by Mann-Whitney U.

    ``u_statistic`` is the pilot's U; ``pilot_longer`` is U / (n_pilot x n_control):
    the chance that a random pilot duration is longer than a random control one,
    ties counting half (0.5 means neither is faster).
    """

    label: str
    pilot_count: int
    control_count: int
    pilot_median: float
    control_median: float
    u_statistic: float
    pilot_longer: float
    p_value: float
    enough: bool
    verdict: str


@dataclass(frozen=True)
class MeanComparison:
    """Means, pilot against control, by Welch's t test (unequal variances).

    ``difference`` is pilot minus control, ``ci_low``/``ci_high`` its 95 % Welch
    interval, ``df`` the Welch-Satterthwaite degrees of freedom.
    """

    label: str
    pilot_count: int
    control_count: int
    pilot_mean: float
    control_mean: float
    difference: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_value: float
    enough: bool
    verdict: str


def compare_proportions(
    pilot_met: int,
    pilot_total: int,
    control_met: int,
    control_total: int,
    *,
    label: str,
    min_count: int = MIN_COUNT,
    alpha: float = ALPHA,
) -> ProportionComparison:
    """How often the pilot met ``label`` (e.g. "the first-response promise") vs control.

    >>> compare_proportions(10, 12, 7, 9, label="the promise").verdict
    'The promise: too few tickets to tell (pilot 12, control 9); collect at least 30 in each.'
    """
    m1, n1 = met_of(pilot_met, pilot_total, "pilot")
    m2, n2 = met_of(control_met, control_total, "control")
    more, less = f"The pilot met {label} more often", f"The pilot met {label} less often"
    words = Words(capital(label), more, less, "tickets")
    return _proportions((m1, n1, m2, n2), label, words, min_count, alpha)


def compare_csat(
    pilot: Values,
    control: Values,
    *,
    label: str = "CSAT",
    min_count: int = MIN_COUNT,
    alpha: float = ALPHA,
) -> ProportionComparison:
    """The share of satisfied ratings (4 or 5 on 1-5), pilot against control.

    Missing ratings (NaN, None) are dropped; anything but 1-5 raises ``UsageError``.

    >>> compare_csat([5, 4, 2, None], [3, 5], min_count=1).pilot_rate
    0.6666666666666666
    """
    a, b = ratings(pilot, "pilot"), ratings(control, "control")
    more = f"The pilot had more satisfied customers ({label} 4-5)"
    less = f"The pilot had fewer satisfied customers ({label} 4-5)"
    words = Words(f"{label} (share of 4-5 ratings)", more, less, "ratings")
    counts = (int((a >= 4).sum()), a.size, int((b >= 4).sum()), b.size)
    return _proportions(counts, label, words, min_count, alpha)


def _proportions(
    counts: tuple[int, int, int, int], label: str, words: Words, min_count: int, alpha: float
) -> ProportionComparison:
    m1, n1, m2, n2 = counts
    r1, r2 = _ratio(m1, n1), _ratio(m2, n2)
    diff = r1 - r2
    pooled = _ratio(m1 + m2, n1 + n2)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)) if n1 and n2 else math.nan
    # Both groups all met (or none met): no spread, and no difference either.
    z = 0.0 if se_pooled == 0 else diff / se_pooled
    p = 1.0 if se_pooled == 0 else float(2 * stats.norm.sf(abs(z)))
    half = _Z95 * math.sqrt(r1 * (1 - r1) / n1 + r2 * (1 - r2) / n2) if n1 and n2 else math.nan
    shown = (figures.share(r1), figures.share(r2), f"{abs(diff) * 100:.1f} points")
    return ProportionComparison(
        label=label,
        pilot_met=m1,
        pilot_total=n1,
        control_met=m2,
        control_total=n2,
        pilot_rate=r1,
        control_rate=r2,
        difference=diff,
        ci_low=diff - half,
        ci_high=diff + half,
        z=z,
        p_value=p,
        enough=enough((n1, n2), min_count),
        verdict=words.verdict((n1, n2), min_count, p, alpha, diff, shown),
    )


def compare_durations(
    pilot: Values,
    control: Values,
    *,
    label: str,
    min_count: int = MIN_COUNT,
    alpha: float = ALPHA,
    business: bool = False,
) -> DurationComparison:
    """Durations in seconds (e.g. first response), pilot against control; ``business``
    when they are business time, which never reads in days.

    Mann-Whitney U (two-sided) on the two samples with NaN dropped; the verdict
    says which group was faster and gives both medians in words.

    >>> pilot, control = [60, 100, 140, 180], [600, 640, 680, 720]
    >>> compare_durations(pilot, control, label="first response", min_count=4).verdict
    'The pilot was faster on first response: median 2 min vs 11 min (p = 0.029); ...'
    """
    a, b = finite(pilot, "pilot"), finite(control, "control")
    slower, faster = f"The pilot was slower on {label}", f"The pilot was faster on {label}"
    words = Words(capital(label), slower, faster, "tickets", "median ")
    u = p = math.nan
    if a.size and b.size:
        result = stats.mannwhitneyu(a, b, alternative="two-sided")
        u, p = float(result.statistic), float(result.pvalue)
    longer = u / (a.size * b.size) if a.size and b.size else math.nan
    med_a, med_b = _median(a), _median(b)
    shown = (figures.duration(med_a, business=business),
             figures.duration(med_b, business=business), "")  # fmt: skip
    return DurationComparison(
        label=label,
        pilot_count=a.size,
        control_count=b.size,
        pilot_median=med_a,
        control_median=med_b,
        u_statistic=u,
        pilot_longer=longer,
        p_value=p,
        enough=enough((a.size, b.size), min_count),
        verdict=words.verdict((a.size, b.size), min_count, p, alpha, longer - 0.5, shown),
    )


def compare_means(
    pilot: Values,
    control: Values,
    *,
    label: str,
    min_count: int = MIN_COUNT,
    alpha: float = ALPHA,
) -> MeanComparison:
    """Means (e.g. the CSAT score), pilot against control, by Welch's t test.

    >>> r = compare_means([4, 5, 5, 4], [3, 4, 3, 4], label="the CSAT score", min_count=4)
    >>> round(r.difference, 2), round(r.ci_low, 3), round(r.ci_high, 3)
    (1.0, 0.001, 1.999)
    """
    a, b = finite(pilot, "pilot"), finite(control, "control")
    higher, lower = f"The pilot scored higher on {label}", f"The pilot scored lower on {label}"
    words = Words(capital(label), higher, lower, "responses", "mean ")
    m1, m2 = _mean(a), _mean(b)
    diff = m1 - m2
    t, df, p, half = _welch(a, b, diff)
    shown = (number(m1), number(m2), number(abs(diff)))
    return MeanComparison(
        label=label,
        pilot_count=a.size,
        control_count=b.size,
        pilot_mean=m1,
        control_mean=m2,
        difference=diff,
        ci_low=diff - half,
        ci_high=diff + half,
        t=t,
        df=df,
        p_value=p,
        enough=enough((a.size, b.size), min_count),
        verdict=words.verdict((a.size, b.size), min_count, p, alpha, diff, shown),
    )


def _welch(
    a: NDArray[np.float64], b: NDArray[np.float64], diff: float
) -> tuple[float, float, float, float]:
    """t, Welch-Satterthwaite df, two-sided p and the 95 % half-width."""
    if a.size < 2 or b.size < 2:
        return math.nan, math.nan, math.nan, math.nan
    va, vb = float(a.var(ddof=1)) / a.size, float(b.var(ddof=1)) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        # No spread in either group: any difference is certain, and none is none.
        return (math.copysign(math.inf, diff), math.nan, 0.0, 0.0) if diff else (0, math.nan, 1, 0)
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    t = diff / se
    # As scipy.stats.ttest_ind(equal_var=False), without its warning for a constant group.
    p = float(2 * stats.t.sf(abs(t), df))
    return t, df, p, float(stats.t.ppf(0.975, df)) * se


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def _mean(values: NDArray[np.float64]) -> float:
    return float(values.mean()) if values.size else math.nan


def _median(values: NDArray[np.float64]) -> float:
    return float(np.median(values)) if values.size else math.nan
