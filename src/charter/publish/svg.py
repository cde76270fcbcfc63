"""Charts drawn as inline SVG on the server: grouped bars, lines, histograms.

Each chart is a small frozen description; ``draw(chart, chart_id)`` returns one
``<svg role="img">`` element named by the chart's title and described in words. The
same chart always gives the same bytes. Values are in their ``unit``: ``"duration"``
(seconds, labelled ``45 m``, ``3.5 h``, ``2 d``), ``"share"`` (fractions, labelled
``92.5 %``), or any other word naming a plain number (``"tickets"``, ``"points"``).
``None`` and NaN mean "no value": no bar, a gap in a line.

>>> chart = BarChart("First reply", ["Email", "Chat"], {"Median": [12600, 720]}, "duration")
>>> svg = draw(chart, "c1")
>>> svg.startswith('<svg class="chart"'), 'role="img"' in svg, "3 h 30 min" in svg, "12 min" in svg
(True, True, True, True)
"""

from __future__ import annotations

from charter.publish._axis import nice_ticks
from charter.publish._bars import bar_chart, histogram
from charter.publish._chart_spec import BarChart, Chart, Histogram, LineChart
from charter.publish._lines import line_chart
from charter.publish._svg_kit import PALETTE

__all__ = ["PALETTE", "BarChart", "Chart", "Histogram", "LineChart", "draw", "nice_ticks"]


def draw(chart: Chart, chart_id: str) -> str:
    """The chart as one ``<svg>`` element; ``chart_id`` prefixes its ids (unique per page)."""
    if isinstance(chart, BarChart):
        return bar_chart(chart, chart_id)
    if isinstance(chart, LineChart):
        return line_chart(chart, chart_id)
    return histogram(chart, chart_id)
