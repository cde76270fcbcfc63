"""Charts drawn as inline SVG on the server: grouped bars, lines, histograms.

Each chart is a small frozen description; ``draw(chart, chart_id)`` returns one
``<svg role="img">`` element named by the chart's title and described in words. The
same chart always gives the same bytes. Values are in their ``unit``: ``"duration"``
(seconds, labelled ``45 m``, ``3.5 h``, ``2 d``), ``"share"`` (fractions, labelled
``92.5 %``), or any other word naming a plain number (``"tickets"``, ``"points"``).
``None`` and NaN mean "no value": no bar, a gap in a line.

>>> chart = BarChart("First reply", ["Email", "Chat"], {"Median": [12600, 720]}, "duration")
>>> svg = draw(chart, "c1")
>>> svg.startswith('<svg class="chart"'), 'role="img"' in svg, "3.5 h" in svg, "12 m" in svg
(True, True, True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from charter.errors import UsageError
from charter.publish._axis import nice_ticks
from charter.publish._bars import bar_chart, histogram
from charter.publish._lines import line_chart

Orientation = Literal["auto", "horizontal", "vertical"]
Values = Sequence[float | None]

__all__ = ["BarChart", "Chart", "Histogram", "LineChart", "draw", "nice_ticks"]


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


def draw(chart: Chart, chart_id: str) -> str:
    """The chart as one ``<svg>`` element; ``chart_id`` prefixes its ids (unique per page)."""
    if isinstance(chart, BarChart):
        return bar_chart(chart, chart_id)
    if isinstance(chart, LineChart):
        return line_chart(chart, chart_id)
    return histogram(chart, chart_id)


def _check_series(
    kind: str, title: str, what: str, expected: int, series: Mapping[str, Values]
) -> None:
    for name, values in series.items():
        if len(values) != expected:
            raise UsageError(
                f"{kind} {title!r}: series {name!r} has {len(values)} values for {expected} "
                f"{what}; give one value per label (None where there is no value)"
            )
