"""Line charts: one line a series, broken where a value is missing, last value labelled."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from charter import figures
from charter.figures import is_missing
from charter.publish import _prose
from charter.publish._axis import Axis, value_axis
from charter.publish._plot import (
    LABEL_SIZE,
    VALUE_SIZE,
    Box,
    target_across,
    target_text,
    tick_room,
    value_label,
    y_grid,
)
from charter.publish._svg_kit import (
    DASHES,
    INK,
    MARKERS,
    WIDTH,
    colour,
    el,
    frame,
    legend,
    marker,
    no_data,
    num,
    text,
    text_width,
)

if TYPE_CHECKING:
    from charter.publish._chart_spec import LineChart

PLOT_HEIGHT = 220.0
LINE_GAP = 15  # between the baselines of two nudged value labels (12 px text)
ALL_MARKERS_UP_TO = 40  # with more points only isolated ones and the last get a marker
Point = tuple[float, float] | None


def line_chart(chart: LineChart, chart_id: str) -> str:
    """Lines on a shared value axis with a legend when there are several series."""
    names = list(chart.series)
    rows = [[None if is_missing(v) else v for v in chart.series[n]] for n in names]
    if not chart.x_labels or all(v is None for row in rows for v in row):
        return no_data(chart_id, chart.title)
    axis = value_axis(
        [v for row in rows for v in row] + [chart.target], chart.unit, baseline="auto"
    )
    target = target_text(chart.target, chart.unit)
    head, top = "", 8.0
    if len(names) > 1 or target:
        shown = names if len(names) > 1 else []
        head, height = legend(chart_id, shown, 8, lines=True, target=target)
        top += height + 6
    lasts = [_last(row) for row in rows]
    room = 12 + max(text_width(figures.value(v, chart.unit), VALUE_SIZE) for _, v in _known(lasts))
    box = Box(tick_room(axis), top + 20, WIDTH - room, top + 20 + PLOT_HEIGHT)
    xs = _positions(len(chart.x_labels), box)
    body = [head, y_grid(axis, box), _x_labels(chart.x_labels, xs, box)]
    body.append(target_across(axis, box, chart.target))
    for i, row in enumerate(rows):
        points = [None if v is None else (x, box.y(axis, v)) for x, v in zip(xs, row, strict=True)]
        body.append(_series(i, points))
    body.append(_last_values(lasts, xs, axis, box, chart.unit))
    desc = _prose.lines(chart.x_labels, chart.series, chart.unit, chart.target)
    return frame(chart_id, chart.title, desc, box.y1 + 28, "".join(body))


def _positions(count: int, box: Box) -> list[float]:
    if count == 1:
        return [box.x0 + box.width / 2]
    inner = box.width - 16
    return [box.x0 + 8 + i * inner / (count - 1) for i in range(count)]


def _x_labels(labels: Sequence[str], xs: Sequence[float], box: Box) -> str:
    spacing = box.width / len(labels)
    widest = max(text_width(label, LABEL_SIZE) for label in labels) + 10
    every = math.ceil(widest / spacing)
    parts = [
        text(x, box.y1 + 18, label, anchor="middle")
        for i, (x, label) in enumerate(zip(xs, labels, strict=True))
        if i % every == 0
    ]
    return el("g", {"fill": INK}, "".join(parts))


def _series(index: int, points: Sequence[Point]) -> str:
    """Segments between missing values, and markers: every point or, when there are many,
    the isolated ones (a single known value between gaps) and the last."""
    paint, dash = colour(index), DASHES[index % len(DASHES)]
    path = _path(points)
    line = {"d": path, "fill": "none", "stroke": paint, "stroke-width": 2.5}
    line |= {"stroke-linejoin": "round"} | ({"stroke-dasharray": dash} if dash else {})
    kind = MARKERS[index % len(MARKERS)]
    marks = [
        marker(kind, p[0], p[1], paint)
        for i, p in enumerate(points)
        if p is not None and _marked(points, i)
    ]
    return el("g", {"class": "series"}, (el("path", line) if path else "") + "".join(marks))


def _path(points: Sequence[Point]) -> str:
    commands, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{num(point[0])} {num(point[1])}")
        pen_down = True
    return "".join(commands) if len(commands) > 1 else ""


def _marked(points: Sequence[Point], i: int) -> bool:
    if len(points) <= ALL_MARKERS_UP_TO or i == _last_index(points):
        return True
    before = points[i - 1] if i > 0 else None
    after = points[i + 1] if i + 1 < len(points) else None
    return before is None and after is None


def _last_index(points: Sequence[object]) -> int:
    return max((i for i, p in enumerate(points) if p is not None), default=-1)


def _last(row: Sequence[float | None]) -> tuple[int, float] | None:
    i = _last_index(row)
    value = row[i] if i >= 0 else None
    return None if value is None else (i, value)


def _known(lasts: Sequence[tuple[int, float] | None]) -> list[tuple[int, float]]:
    return [last for last in lasts if last is not None]


def _last_values(
    lasts: Sequence[tuple[int, float] | None], xs: Sequence[float], axis: Axis, box: Box, unit: str
) -> str:
    """Each series' last value beside its last point, nudged apart so none overlap."""
    placed: list[tuple[float, float, str]] = []
    for last in sorted(_known(lasts), key=lambda p: -p[1]):
        x, y = xs[last[0]] + 8, box.y(axis, last[1]) + 4
        if placed and y - placed[-1][1] < LINE_GAP:
            y = placed[-1][1] + LINE_GAP
        placed.append((x, y, figures.value(last[1], unit)))
    # labels nudged below the plot would sit on the day labels: lift them all back in
    lift = max(0.0, placed[-1][1] - (box.y1 + 4)) if placed else 0.0
    labels = [value_label(x, y - lift, content, anchor="start") for x, y, content in placed]
    return el("g", {"class": "last-values"}, "".join(labels))
