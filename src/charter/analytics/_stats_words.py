"""The plain-language verdicts of pilot-against-control comparisons, and their numbers.

A verdict is one of three sentences: too few observations to tell; no clear
difference; or which way the pilot moved the figure, with ``unlikely to be
chance``. Figures are shown as a service manager reads them: shares in per cent
with one decimal, differences of shares in points, durations in words.
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


def humanise_seconds(seconds: float) -> str:
    """A duration in words: ``45 s``, ``12 min``, ``2 h 10 min``, ``3 d 4 h``.

    >>> humanise_seconds(7800), humanise_seconds(273600), humanise_seconds(float("nan"))
    ('2 h 10 min', '3 d 4 h', 'n/a')
    """
    if math.isnan(seconds):
        return "n/a"
    if seconds < 59.5:
        return f"{math.floor(seconds + 0.5)} s"
    # Halves round up (14.5 minutes is 15 min), not to the even neighbour.
    hours, minutes = divmod(math.floor(seconds / 60 + 0.5), 60)
    if hours >= 24:
        days, hours = divmod(math.floor(seconds / 3600 + 0.5), 24)
        return f"{days} d {hours} h" if hours else f"{days} d"
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def p_text(p: float) -> str:
    """``p < 0.001``, three decimals below 0.1 (``p = 0.003``), else two (``p = 0.41``)."""
    if math.isnan(p):
        return "p not defined"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def percent(share: float) -> str:
    """A 0-1 share in per cent with one decimal: ``91.2 %``."""
    return "n/a" if math.isnan(share) else f"{share * 100:.1f} %"


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
