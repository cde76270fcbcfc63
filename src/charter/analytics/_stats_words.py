"""The plain-language verdicts of pilot-against-control comparisons, and their numbers.

A verdict is one of three sentences: too few observations to tell; no clear
difference; or which way the pilot moved the figure, with ``unlikely to be
chance``. Figures are shown as a service manager reads them, in ``charter.figures``'
words; differences of shares read in points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """How one comparison speaks: ``name`` opens the "too few" and "no clear
    difference" sentences, ``higher`` / ``lower`` open a verdict when the pilot's
    figure is higher or lower, ``noun`` is what was counted, ``prefix`` names the
    statistic shown ("median ")."""

    name: str
    higher: str
    lower: str
    noun: str
    prefix: str = ""

    def verdict(
        self,
        counts: tuple[int, int],
        min_count: int,
        p: float,
        alpha: float,
        direction: float,
        shown: tuple[str, str, str],
    ) -> str:
        """The sentence for sample sizes ``counts``, p value ``p`` and the sign of
        ``direction`` (pilot minus control); ``shown`` is the pilot's figure, the
        control's and the difference ("" to leave it out)."""
        n1, n2 = counts
        if not enough(counts, min_count):
            return (
                f"{self.name}: too few {self.noun} to tell (pilot {n1}, control {n2}); "
                f"collect at least {min_count} in each."
            )
        pilot, control, gap = shown
        if not p < alpha:
            return (
                f"{self.name}: no clear difference ({self.prefix}pilot {pilot}, "
                f"control {control}; {p_text(p)})."
            )
        head = self.higher if direction > 0 else self.lower
        detail = f"difference {gap}, {p_text(p)}" if gap else p_text(p)
        return f"{head}: {self.prefix}{pilot} vs {control} ({detail}); unlikely to be chance."


def enough(counts: tuple[int, int], min_count: int) -> bool:
    """Whether both groups hold at least ``min_count`` observations (and any at all)."""
    return min(counts) >= max(min_count, 1)


def p_text(p: float) -> str:
    """``p < 0.001``, three decimals below 0.1 (``p = 0.003``), else two (``p = 0.41``)."""
    if math.isnan(p):
        return "p not defined"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def number(value: float) -> str:
    """A mean or difference: two decimals below 10, one below 100, else whole."""
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def capital(label: str) -> str:
    """``label`` with its first letter in upper case, to open a sentence."""
    return label[:1].upper() + label[1:]
