"""What the template shows: sections with ids, blocks as plain views, charts drawn."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from charter import figures
from charter.figures import DURATION, SHARE
from charter.publish import _bars
from charter.publish.svg import BarChart, Chart, Histogram, LineChart, draw
from charter.publish.table import Cell, Table, Tone, as_cell

if TYPE_CHECKING:
    from charter.publish._blocks import Block, Section

CELL_TONES = {"good": ("✓", "good"), "bad": ("✗", "needs attention")}


@dataclass(frozen=True)
class CellView:
    text: str
    numeric: bool
    header: bool
    tone: Tone | None
    mark: str
    tone_text: str


@dataclass(frozen=True)
class TableView:
    caption: str
    headers: list[tuple[str, bool]]
    rows: list[list[CellView]]


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    svg: Markup
    table: TableView


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    blocks: list[tuple[str, object]]


def sections(items: Sequence[Section]) -> list[SectionView]:
    """Sections with unique ids from their titles; charts numbered through the page."""
    seen: set[str] = set()
    charts = 0
    views = []
    for section in items:
        blocks: list[tuple[str, object]] = []
        for block in section.blocks:
            if isinstance(block, BarChart | LineChart | Histogram):
                charts += 1
                blocks.append(("chart", chart_view(block, f"chart-{charts}")))
            else:
                blocks.append(_block(block))
        views.append(SectionView(_unique(_slug(section.title), seen), section.title, blocks))
    return views


def _block(block: Block) -> tuple[str, object]:
    if isinstance(block, Table):
        return "table", table_view(block)
    return type(block).__name__.lower(), block


def table_view(table: Table) -> TableView:
    numeric = [table.is_numeric(i) for i in range(len(table.columns))]
    rows = [
        [
            _cell_view(as_cell(cell), numeric[i], table.row_headers and i == 0)
            for i, cell in enumerate(row)
        ]
        for row in table.rows
    ]
    return TableView(table.caption, list(zip(table.columns, numeric, strict=True)), rows)


def _cell_view(cell: Cell, numeric: bool, header: bool) -> CellView:
    mark, tone_text = CELL_TONES.get(cell.tone or "", ("", ""))
    return CellView(cell.text, numeric, header, cell.tone, mark, tone_text)


def chart_view(chart: Chart, chart_id: str) -> ChartView:
    """The chart drawn, and its data as a table for those who cannot see it."""
    return ChartView(chart_id, chart.title, Markup(draw(chart, chart_id)), table_view(data(chart)))


def data(chart: Chart) -> Table:
    """A chart's values as a table, formatted in the chart's unit."""
    caption = f"Data of “{chart.title}”"
    if isinstance(chart, Histogram):
        bins = _bars.bin_counts(chart)
        rows: list[list[object]] = [
            [f"{low} to {high}", count]
            for low, high, count in zip(bins.labels, bins.labels[1:], bins.counts, strict=False)
        ]
        if bins.outside:
            rows.append(["Outside the bins", bins.outside])
        return Table(["Range", chart.count_label], rows, caption)
    labels = chart.labels if isinstance(chart, BarChart) else chart.x_labels
    first = chart.label_title if isinstance(chart, BarChart) else chart.x_title
    rows = [
        [label, *(_value_cell(values[i], chart.unit) for values in chart.series.values())]
        for i, label in enumerate(labels)
    ]
    columns = [first, *(_heading(name, chart.unit) for name in chart.series)]
    return Table(columns, rows, caption, [False] + [True] * len(chart.series))


def _value_cell(value: float | None, unit: str) -> Cell:
    return Cell(value, None, figures.value(value, unit))


def _heading(name: str, unit: str) -> str:
    return name if unit in (DURATION, SHARE, "") else f"{name} ({unit})"


def _slug(title: str) -> str:
    """Letters and digits joined by single dashes: other ids of the page use ``--`` or
    start with ``chart-``, so a section's id never clashes with them."""
    slug = re.sub(r"[\W_]+", "-", title.lower()).strip("-") or "section"
    return f"section-{slug}" if slug.startswith("chart-") else slug  # chart ids are chart-N


def _unique(slug: str, seen: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in seen or candidate in ("content", "contents"):  # main, nav
        number += 1
        candidate = f"{slug}-{number}"
    seen.add(candidate)
    return candidate
