"""The plot area of a chart: its box, grid lines with tick labels, the target line."""

from __future__ import annotations

from dataclasses import dataclass

from charter import figures
from charter.publish._axis import Axis
from charter.publish._svg_kit import GRID, INK, MUTED, TARGET_LINE, WIDTH, el, text, text_width

TICK_SIZE = 12  # every text of a chart is at least 12 px (drawn at its own width)
VALUE_SIZE = 12
LABEL_SIZE = 12
HALO = {"paint-order": "stroke", "stroke": "#fff", "stroke-width": 3}


@dataclass(frozen=True)
class Box:
    """The rectangle the axis maps onto, in viewBox units (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def y(self, axis: Axis, value: float) -> float:
        """The height of ``value`` on an upright axis."""
        return self.y1 - axis.fraction(value) * self.height

    def x(self, axis: Axis, value: float) -> float:
        """The position of ``value`` on a lying axis."""
        return self.x0 + axis.fraction(value) * self.width


def tick_room(axis: Axis) -> float:
    """Room the widest tick label needs to the left of an upright axis."""
    return 14 + max(text_width(label, TICK_SIZE) for label in axis.labels)


def y_grid(axis: Axis, box: Box) -> str:
    """Horizontal grid lines at the ticks, labelled on the left; zero drawn darker."""
    parts = []
    for tick, label in zip(axis.ticks, axis.labels, strict=True):
        y = box.y(axis, tick)
        paint = MUTED if tick == 0 else GRID
        parts.append(el("line", {"x1": box.x0, "y1": y, "x2": box.x1, "y2": y, "stroke": paint}))
        parts.append(text(box.x0 - 6, y + 4, label, anchor="end", fill=MUTED))
    if axis.title:
        parts.append(text(4, box.y0 - 10, axis.title, fill=MUTED))
    return el("g", {"class": "grid", "font-size": TICK_SIZE}, "".join(parts))


def x_grid(axis: Axis, box: Box) -> str:
    """Vertical grid lines at the ticks, labelled below; zero drawn darker."""
    parts = []
    for tick, label in zip(axis.ticks, axis.labels, strict=True):
        x = box.x(axis, tick)
        paint = MUTED if tick == 0 else GRID
        parts.append(el("line", {"x1": x, "y1": box.y0, "x2": x, "y2": box.y1, "stroke": paint}))
        parts.append(text(x, box.y1 + 16, label, anchor="middle", fill=MUTED))
    if axis.title:
        parts.append(text(box.x1, box.y1 + 32, axis.title, anchor="end", fill=MUTED))
    return el("g", {"class": "grid", "font-size": TICK_SIZE}, "".join(parts))


def x_grid_height(axis: Axis) -> float:
    """Room below a lying axis for its tick labels (and title)."""
    return 38 if axis.title else 24


def target_text(target: float | None, unit: str) -> str | None:
    """The target as a legend or line label names it: ``Target 4 h``."""
    return None if target is None else f"Target {figures.value(target, unit)}"


def target_across(axis: Axis, box: Box, target: float | None) -> str:
    """A dashed line at the target across an upright axis (the legend names it)."""
    if target is None:
        return ""
    y = box.y(axis, target)
    line = {"class": "target", "x1": box.x0, "y1": y, "x2": box.x1, "y2": y, **TARGET_LINE}
    return el("line", line)


def target_upright(axis: Axis, box: Box, target: float | None, unit: str) -> str:
    """A dashed line at the target along a lying axis, labelled above the plot."""
    if target is None:
        return ""
    x = box.x(axis, target)
    line = {"class": "target", "x1": x, "y1": box.y0 - 12, "x2": x, "y2": box.y1, **TARGET_LINE}
    caption = f"Target {figures.value(target, unit)}"
    fits = x + 4 + text_width(caption, VALUE_SIZE) <= WIDTH - 4
    label = text(x + 4 if fits else x - 4, box.y0 - 4, caption, anchor="start" if fits else "end")
    return el("line", line) + el("g", {"font-size": VALUE_SIZE, "fill": INK}, label)


def value_label(x: float, y: float, content: str, anchor: str = "middle") -> str:
    return text(x, y, content, anchor=anchor, **{"font-size": VALUE_SIZE, "fill": INK}, **HALO)
