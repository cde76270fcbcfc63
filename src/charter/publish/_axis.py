"""Value axes: nice tick values (1, 2 or 5 × 10^k) in the unit a reader sees.

>>> nice_ticks(0, 97)
[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
>>> value_axis([5400, 27000], "duration").labels
('0 h', '2 h', '4 h', '6 h', '8 h')
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from charter.figures import DURATION, SHARE, is_missing

_MANTISSAS = (1, 2, 5)
# symbol and seconds of the unit a duration axis counts in, by the largest value shown
_DURATION_AXIS = (("s", 1, 60), ("min", 60, 3600), ("h", 3600, 172_800), ("d", 86400, math.inf))


def nice_ticks(lo: float, hi: float, max_intervals: int = 5) -> list[float]:
    """Evenly spaced ticks covering ``[lo, hi]`` with a step of 1, 2 or 5 × 10^k: the
    smallest such step that needs at most ``max_intervals`` intervals.

    >>> nice_ticks(-42, 63)
    [-50.0, 0.0, 50.0, 100.0]
    >>> nice_ticks(0, 0)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    """
    return next(t for t in _candidates(lo, hi, max_intervals) if len(t) - 1 <= max_intervals)


def about_ticks(lo: float, hi: float, intervals: int) -> list[float]:
    """Like ``nice_ticks``, but with the count of intervals nearest ``intervals`` (fewer
    on a tie): histogram bins, where "at most" would often halve the count asked for.

    >>> about_ticks(0, 42, 8)
    [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0]
    """
    options = _candidates(lo, hi, intervals)
    return min(options, key=lambda t: (abs(len(t) - 1 - intervals), len(t)))


def _candidates(lo: float, hi: float, intervals: int) -> list[list[float]]:
    """Ticks for each nice step from a tenth of the rough step to ten times it."""
    lo, hi = min(lo, hi), max(lo, hi)
    if lo == hi:
        lo, hi = (0.0, 1.0) if lo == 0 else (min(lo, 0.0), max(hi, 0.0))
    exponent = math.floor(math.log10((hi - lo) / intervals))
    options = []
    for power in (exponent - 1, exponent, exponent + 1):
        for mantissa in _MANTISSAS:
            step = mantissa * 10.0**power
            first = math.floor(round(lo / step, 9))
            last = math.ceil(round(hi / step, 9))
            digits = max(0, -power)
            options.append(
                [round((first + i) * step, digits) + 0.0 for i in range(last - first + 1)]
            )
    return options


@dataclass(frozen=True)
class Axis:
    """Ticks in data units, their labels, and the mapping of a value onto ``[0, 1]``."""

    ticks: tuple[float, ...]
    labels: tuple[str, ...]
    title: str

    @property
    def lo(self) -> float:
        return self.ticks[0]

    @property
    def hi(self) -> float:
        return self.ticks[-1]

    def fraction(self, value: float) -> float:
        """Where ``value`` lies between the first tick (0) and the last (1)."""
        return (value - self.lo) / (self.hi - self.lo)


def display_unit(unit: str, largest: float) -> tuple[str, float]:
    """The symbol an axis shows and the data units one displayed unit holds.

    >>> display_unit("duration", 7200), display_unit("share", 1), display_unit("tickets", 9)
    (('h', 3600), ('%', 0.01), ('', 1.0))
    """
    if unit == DURATION:
        return next((sym, size) for sym, size, below in _DURATION_AXIS if largest < below)
    if unit == SHARE:
        return "%", 0.01
    return "", 1.0


Baseline = Literal["zero", "auto", "data"]


def value_axis(
    values: Iterable[float | None],
    unit: str,
    *,
    baseline: Baseline = "zero",
    max_intervals: int = 5,
    approximate: bool = False,
) -> Axis:
    """An axis covering the finite ``values`` with nice ticks in the unit shown: at most
    ``max_intervals`` intervals, or as near that count as ``approximate`` allows.

    ``baseline`` says where the axis starts: ``"zero"`` always includes zero (bars must);
    ``"data"`` spans just the values (histogram edges); ``"auto"`` (lines) includes zero
    when the values lie near it and otherwise spans at least a fifth of their magnitude,
    so that small wobbles do not fill the chart.
    """
    finite = [float(v) for v in values if v is not None and not is_missing(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 0.0)
    if baseline == "zero" or (baseline == "auto" and _near_zero(lo, hi)):
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    elif baseline == "auto":
        lo, hi = _widened(lo, hi, 1.0 if unit == SHARE else math.inf)
    symbol, size = display_unit(unit, max(abs(lo), abs(hi)))
    shown = (about_ticks if approximate else nice_ticks)(lo / size, hi / size, max_intervals)
    step = shown[1] - shown[0]
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    suffix = f" {symbol}" if symbol else ""
    labels = tuple(_tick_label(t, digits) + suffix for t in shown)
    title = unit if unit not in (DURATION, SHARE) else ""
    return Axis(tuple(t * size for t in shown), labels, title)


def _near_zero(lo: float, hi: float) -> bool:
    """Values that reach closer to zero than their own spread, or straddle it."""
    return lo <= 0 <= hi or min(abs(lo), abs(hi)) <= hi - lo


def _widened(lo: float, hi: float, ceiling: float) -> tuple[float, float]:
    """``[lo, hi]`` grown evenly to a fifth of its magnitude, without crossing zero or
    ``ceiling`` (a share never passes 100 %) where the values themselves do not."""
    need = 0.2 * max(abs(lo), abs(hi))
    if hi - lo >= need:
        return lo, hi
    pad = (need - (hi - lo)) / 2
    low, high = lo - pad, hi + pad
    if high > ceiling >= hi:
        low, high = low - (high - ceiling), ceiling
    if low < 0 <= lo:
        low, high = 0.0, high - low
    if high > 0 >= hi:
        low, high = low - high, 0.0
    return low, high


def _tick_label(value: float, digits: int) -> str:
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").removesuffix(".")
    return "0" if text == "-0" else text
