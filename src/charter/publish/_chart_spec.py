"""The charts ``charter.publish.svg`` draws, as small frozen descriptions.

They live in this leaf module so that ``svg`` and the modules that draw each kind
(``_bars``, ``_lines``) all import them and none imports another: a chart is checked
when it is made, and drawn by ``charter.publish.svg.draw``.

>>> BarChart("First reply", ["Email"], {"Median": [1, 2]})
Traceback (most recent call last):
charter.errors.UsageError: bar chart 'First reply': series 'Median' has 2 values for 1 ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from charter.errors import UsageError

Orientation = Literal["auto", "horizontal", "vertical"]
Values = Sequence[float | None]


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: one group a label, one bar a series, with an optional target line.

    ``orientation="auto"`` draws upright bars for a few short labels and lying bars
    otherwise. ``label_title`` heads the label column of the chart's data table.
    """

    title: str
    labels: Sequence[str]
    series: Mapping[str, Values]
    unit: str = ""
    target: float | None = None
    orientation: Orientation = "auto"
    label_title: str = "Category"

    def __post_init__(self) -> None:
        _check_series("bar chart", self.title, "labels", len(self.labels), self.series)
        if self.orientation not in ("auto", "horizontal", "vertical"):
            raise UsageError(
                f"bar chart {self.title!r}: orientation {self.orientation!r} is not one of "
                "auto, horizontal, vertical"
            )


@dataclass(frozen=True)
class LineChart:
    """Lines over ordered ``x_labels`` (periods, usually); ``None`` leaves a gap."""

    title: str
    x_labels: Sequence[str]
    series: Mapping[str, Values]
    unit: str = ""
    target: float | None = None
    x_title: str = "Period"

    def __post_init__(self) -> None:
        _check_series("line chart", self.title, "x labels", len(self.x_labels), self.series)


@dataclass(frozen=True)
class Histogram:
    """How ``values`` (a list, a numpy array or a Polars series) spread.

    ``bins`` is at most that many equal bins on nice edges, or the bin edges themselves
    (then every bin is drawn equally wide, like buckets, and values outside the edges
    are counted in a note).
    """

    title: str
    values: Values | npt.NDArray[Any] | pl.Series
    bins: int | Sequence[float] = 10
    unit: str = ""
    count_label: str = "Count"

    def __post_init__(self) -> None:
        if isinstance(self.bins, int):
            if self.bins < 1:
                raise UsageError(f"histogram {self.title!r}: bins must be at least 1")
            return
        edges = list(self.bins)
        if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise UsageError(
                f"histogram {self.title!r}: bin edges {edges} must be at least two "
                "increasing numbers, e.g. [0, 3600, 14400]"
            )

    def finite_values(self) -> npt.NDArray[np.float64]:
        """The values that are numbers: ``None``, nulls, NaN and infinities left out."""
        raw = np.asarray(self.values, dtype=np.float64)  # None and nulls become NaN
        return raw[np.isfinite(raw)]


Chart = BarChart | LineChart | Histogram


def _check_series(
    kind: str, title: str, what: str, expected: int, series: Mapping[str, Values]
) -> None:
    for name, values in series.items():
        if len(values) != expected:
            raise UsageError(
                f"{kind} {title!r}: series {name!r} has {len(values)} values for {expected} "
                f"{what}; give one value per label (None where there is no value)"
            )
