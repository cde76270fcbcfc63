"""Grouped bars, upright or lying, and histograms drawn as adjacent upright bars."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from charter import figures
from charter.figures import is_missing
from charter.publish import _prose
from charter.publish._axis import Axis, nice_ticks, value_axis
from charter.publish._plot import (
    LABEL_SIZE,
    VALUE_SIZE,
    Box,
    target_across,
    target_text,
    target_upright,
    tick_room,
    value_label,
    x_grid,
    x_grid_height,
    y_grid,
)
from charter.publish._svg_kit import (
    INK,
    MUTED,
    WIDTH,
    clip_label,
    colour,
    el,
    fill,
    frame,
    legend,
    no_data,
    patterns,
    text,
    text_width,
)

if TYPE_CHECKING:
    from charter.publish._chart_spec import BarChart, Histogram

Grid = list[list[float | None]]  # one row of values a series
PLOT_HEIGHT = 240.0
SHORT_LABEL = 100.0  # labels wider than this read better beside lying bars
NO_VALUE = "n/a"


def bar_chart(chart: BarChart, chart_id: str) -> str:
    """Upright bars for a few short labels, lying bars otherwise (or as asked)."""
    names = list(chart.series)
    values: Grid = [[None if is_missing(v) else v for v in chart.series[n]] for n in names]
    if all(v is None for row in values for v in row) or not chart.labels:
        return no_data(chart_id, chart.title)
    axis = value_axis([v for row in values for v in row] + [chart.target], chart.unit)
    upright = _is_upright(chart, values)
    target = target_text(chart.target, chart.unit) if upright else None
    head, top = "", 8.0
    if len(names) > 1 or target:
        head, height = legend(chart_id, names if len(names) > 1 else [], 8, target=target)
        top += height + 6
    layers = (_upright if upright else _lying)(chart, chart_id, values, axis, top)
    desc = _prose.bars(chart.labels, chart.series, chart.unit, chart.target)
    body = patterns(chart_id, len(names)) + head + "".join(layers[:-1])
    return frame(chart_id, chart.title, desc, layers[-1], body)


def _is_upright(chart: BarChart, values: Grid) -> bool:
    if chart.orientation != "auto":
        return chart.orientation == "vertical"
    band = (WIDTH - 80) / len(chart.labels)
    widest = max(text_width(label, LABEL_SIZE) for label in chart.labels)
    return (
        len(chart.labels) * len(values) <= 12
        and widest <= min(band - 8, SHORT_LABEL)
        and _values_fit(chart, values, band * 0.8 / len(values))
    )


def _values_fit(chart: BarChart, values: Grid, bar_width: float) -> bool:
    shown = [figures.value(v, chart.unit) for row in values for v in row]
    return max(text_width(label, VALUE_SIZE) for label in shown) <= bar_width + 6


Layers = tuple[str, str, str, str, float]  # grid and labels, bars, target, values; height


def _upright(chart: BarChart, chart_id: str, values: Grid, axis: Axis, top: float) -> Layers:
    box = Box(tick_room(axis), top + 20, WIDTH - 12, top + 20 + PLOT_HEIGHT)
    band = box.width / len(chart.labels)
    width = band * 0.8 / len(values)
    show = _values_fit(chart, values, width)
    label_y = box.y1 + (30 if axis.lo < 0 else 16)
    grid, bars, numbers = [y_grid(axis, box)], [], []
    for i, label in enumerate(chart.labels):
        left = box.x0 + i * band + band * 0.1
        for j, row in enumerate(values):
            bars.append(_upright_bar(chart_id, j, left + j * width, width, row[i], axis, box))
            x = left + (j + 0.5) * width
            numbers.append(_upright_value(x, row[i], axis, box, show, chart.unit))
        caption = clip_label(label, band - 4, LABEL_SIZE)
        grid.append(text(box.x0 + (i + 0.5) * band, label_y, caption, anchor="middle", fill=INK))
    target = target_across(axis, box, chart.target)
    return "".join(grid), "".join(bars), target, "".join(numbers), label_y + 10


def _upright_bar(
    chart_id: str, series: int, x: float, width: float, value: float | None, axis: Axis, box: Box
) -> str:
    if value is None:
        return ""
    zero, end = box.y(axis, 0), box.y(axis, value)
    inset = 1.0 if width > 6 else 0.0
    rect: dict[str, object] = {"x": x + inset, "y": min(zero, end), "width": width - 2 * inset}
    rect |= {"height": abs(zero - end), "fill": fill(chart_id, series), "stroke": colour(series)}
    return el("rect", {"class": "bar", **rect})


def _upright_value(
    x: float, value: float | None, axis: Axis, box: Box, show: bool, unit: str
) -> str:
    if value is None:
        return text(x, box.y(axis, 0) - 4, NO_VALUE, anchor="middle", fill=MUTED)
    if not show:
        return ""
    end = box.y(axis, value)
    return value_label(x, end - 5 if value >= 0 else end + 13, figures.value(value, unit))


def _lying(chart: BarChart, chart_id: str, values: Grid, axis: Axis, top: float) -> Layers:
    shown = [figures.value(v, chart.unit) if v is not None else NO_VALUE for r in values for v in r]
    room = 8 + max(text_width(label, VALUE_SIZE) for label in shown)
    labels_end = min(12 + max(text_width(t, LABEL_SIZE) for t in chart.labels), WIDTH * 0.35)
    thick = 18.0 if len(values) <= 3 else 12.0
    band = len(values) * thick + 14
    y0 = top + (18 if chart.target is not None else 4)
    x0 = labels_end + 8 + (room if axis.lo < 0 else 0)
    box = Box(x0, y0, WIDTH - room - 4, y0 + band * len(chart.labels))
    grid, bars, numbers = [x_grid(axis, box)], [], []
    for i, label in enumerate(chart.labels):
        y = box.y0 + i * band + 7
        caption = clip_label(label, labels_end - 12, LABEL_SIZE)
        grid.append(text(labels_end, y + len(values) * thick / 2 + 4, caption, anchor="end"))
        for j, row in enumerate(values):
            place = (y + j * thick, thick)
            bar, number = _lying_bar(chart_id, j, place, row[i], axis, box, chart.unit)
            bars.append(bar)
            numbers.append(number)
    target = target_upright(axis, box, chart.target, chart.unit)
    grid_layer = el("g", {"fill": INK}, "".join(grid))
    return grid_layer, "".join(bars), target, "".join(numbers), box.y1 + x_grid_height(axis)


def _lying_bar(
    chart_id: str,
    series: int,
    row: tuple[float, float],
    value: float | None,
    axis: Axis,
    box: Box,
    unit: str,
) -> tuple[str, str]:
    """The bar from zero to ``value`` in the row ``(top, thickness)``, and its label."""
    (y, thick), zero = row, box.x(axis, 0)
    middle = y + thick / 2 + 4
    if value is None:
        return "", text(zero + 4, middle, NO_VALUE, fill=MUTED, **{"font-size": VALUE_SIZE})
    end = box.x(axis, value)
    rect: dict[str, object] = {
        "x": min(zero, end),
        "y": y + 1,
        "width": abs(end - zero),
        "height": thick - 2,
    }
    rect |= {"fill": fill(chart_id, series), "stroke": colour(series)}
    label_x, anchor = (end + 4, "start") if value >= 0 else (end - 4, "end")
    label = value_label(label_x, middle, figures.value(value, unit), anchor)
    return el("rect", {"class": "bar", **rect}), label


@dataclass(frozen=True)
class Bins:
    """A histogram's finite values, bin edges with their labels, counts, and how many
    values fell outside explicit edges."""

    values: npt.NDArray[np.float64]
    edges: list[float]
    labels: list[str]
    counts: list[int]
    outside: int


def bin_counts(chart: Histogram) -> Bins:
    """Count the chart's values per bin (edges chosen nice in the unit shown)."""
    values = chart.finite_values()
    if values.size == 0:
        return Bins(values, [], [], [], 0)
    edges, labels = _edges(chart, values)
    inside = values[(values >= edges[0]) & (values <= edges[-1])]
    counts = [int(c) for c in np.histogram(inside, bins=np.asarray(edges))[0]]
    return Bins(values, edges, labels, counts, values.size - inside.size)


def histogram(chart: Histogram, chart_id: str) -> str:
    """Counts of values per bin as adjacent bars, edges labelled between them."""
    bins = bin_counts(chart)
    if not bins.counts:
        return no_data(chart_id, chart.title)
    most = max(bins.counts)
    ticks = nice_ticks(0, most, max(1, min(5, most)))
    axis = Axis(tuple(ticks), tuple(figures.number(int(t)) for t in ticks), chart.count_label)
    box = Box(tick_room(axis), 28, WIDTH - 24, 28 + PLOT_HEIGHT)
    body = y_grid(axis, box) + _histogram_bars(bins.counts, axis, box)
    body += _edge_labels(bins.labels, box)
    height = box.y1 + 30
    desc = _prose.histogram(bins.values, bins.labels, bins.counts, chart.unit)
    if bins.outside:
        total = figures.number(int(bins.values.size))
        note = f"{figures.number(bins.outside)} of {total} values lie outside the bins, not shown."
        body += text(box.x0, height + 4, note, fill=MUTED)
        desc, height = f"{desc} {note}", height + 16
    return frame(chart_id, chart.title, desc, height, body)


def _edges(chart: Histogram, values: npt.NDArray[np.float64]) -> tuple[list[float], list[str]]:
    if not isinstance(chart.bins, int):
        edges = [float(e) for e in chart.bins]
        return edges, [figures.value(e, chart.unit) for e in edges]
    low, high = float(values.min()), float(values.max())
    axis = value_axis(
        [low, high], chart.unit, baseline="data", max_intervals=chart.bins, approximate=True
    )
    return list(axis.ticks), list(axis.labels)


def _histogram_bars(counts: Sequence[int], axis: Axis, box: Box) -> str:
    band = box.width / len(counts)
    parts = []
    for i, count in enumerate(counts):
        top = box.y(axis, count)
        rect: dict[str, object] = {"x": box.x0 + i * band + 0.5, "y": top, "width": band - 1}
        rect |= {"height": box.y1 - top, "fill": colour(0)}
        parts.append(el("rect", {"class": "bar", **rect}))
        if count and text_width(str(count), VALUE_SIZE) <= band - 2:
            parts.append(value_label(box.x0 + (i + 0.5) * band, top - 5, figures.number(count)))
    return "".join(parts)


def _edge_labels(labels: Sequence[str], box: Box) -> str:
    step = box.width / (len(labels) - 1)
    widest = max(text_width(label, VALUE_SIZE) for label in labels) + 8
    every = math.ceil(widest / step)
    parts = [
        text(box.x0 + i * step, box.y1 + 16, label, anchor="middle", fill=MUTED)
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    return el("g", {"font-size": VALUE_SIZE}, "".join(parts))
