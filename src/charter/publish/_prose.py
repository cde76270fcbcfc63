"""Charts told in words: the text alternative a screen reader announces.

>>> bars(["Email", "Chat"], {"Median": [12600.0, None]}, "duration", 14400)
'Bar chart. Email: 3 h 30 min; Chat: no value. Target 4 h.'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TypeGuard

import numpy as np
import numpy.typing as npt

from charter import figures

MAX_ITEMS = 12  # beyond this the description points to the data table


def bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    unit: str,
    target: float | None,
) -> str:
    """Each label with its values, up to ``MAX_ITEMS`` labels, and the target."""
    names = list(series)
    items = []
    for i, label in enumerate(labels[:MAX_ITEMS]):
        values = [_value(series[name][i], unit) for name in names]
        shown = (
            values[0]
            if len(names) == 1
            else ", ".join(map(" ".join, zip(names, values, strict=True)))
        )
        items.append(f"{label}: {shown}")
    return _sentences("Bar chart", items, len(labels), unit, target)


def lines(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    unit: str,
    target: float | None,
) -> str:
    """For each series: first and last value, lowest and highest, with their labels."""
    items = []
    for name, values in list(series.items())[:MAX_ITEMS]:
        points = [(x, float(v)) for x, v in zip(x_labels, values, strict=True) if _finite(v)]
        if not points:
            items.append(f"{name}: no values")
            continue
        low = min(points, key=lambda p: p[1])
        high = max(points, key=lambda p: p[1])
        items.append(
            f"{name} from {_point(points[0], unit)} to {_point(points[-1], unit)}, "
            f"lowest {_point(low, unit)}, highest {_point(high, unit)}"
        )
    head = f"Line chart over {len(x_labels)} points"
    return _sentences(head, items, len(series), unit, target)


def histogram(
    values: npt.NDArray[np.float64], edge_labels: Sequence[str], counts: Sequence[int], unit: str
) -> str:
    """How many values, their range and median, and the fullest bin."""
    fullest = int(np.argmax(counts))
    spread = (
        f"Histogram of {values.size} values from {figures.value(float(values.min()), unit)} "
        f"to {figures.value(float(values.max()), unit)}, "
        f"median {figures.value(float(np.median(values)), unit)}"
    )
    bin_text = f"{edge_labels[fullest]} to {edge_labels[fullest + 1]}"
    return f"{spread}. The fullest bin is {bin_text} with {counts[fullest]}."


def _sentences(head: str, items: list[str], total: int, unit: str, target: float | None) -> str:
    text = f"{head}. " + "; ".join(items) + "."
    if total > MAX_ITEMS:
        text += f" {total - MAX_ITEMS} more in the data table."
    if target is not None:
        text += f" Target {figures.value(target, unit)}."
    return text


def _finite(value: float | None) -> TypeGuard[float]:
    return value is not None and math.isfinite(value)


def _value(value: float | None, unit: str) -> str:
    return figures.value(value, unit) if _finite(value) else "no value"


def _point(point: tuple[str, float], unit: str) -> str:
    return f"{figures.value(point[1], unit)} ({point[0]})"
