"""A self-contained HTML report: one file with inline CSS and SVG charts, no network.

A ``Report`` is a title and sections; a section holds blocks: ``Paragraph``,
``Verdict`` (a highlighted plain-language statement), ``Table`` and charts
(``BarChart``, ``LineChart``, ``Histogram``). ``render`` returns the page; ``write``
saves it. Everything given is shown as text (escaped); the page works without
JavaScript, prints, and carries every chart's data as a table too.

>>> report = Report(
...     "Backtest of policy v3",
...     sections=[Section("Summary", [Verdict("We kept 92.5 % of first-reply promises.", "good")])],
... )
>>> page = render(report)
>>> page.startswith("<!doctype html>"), "<h1>Backtest of policy v3</h1>" in page
(True, True)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import jinja2

from charter import figures
from charter.errors import UsageError
from charter.figures import DURATION, SHARE
from charter.publish import views
from charter.publish._blocks import Block, Paragraph, Section, Verdict
from charter.publish.svg import BarChart, Histogram, LineChart
from charter.publish.table import Cell, Table, Tone

__all__ = [
    "DURATION",
    "SHARE",
    "BarChart",
    "Block",
    "Cell",
    "Histogram",
    "LineChart",
    "Paragraph",
    "Report",
    "Section",
    "Table",
    "Tone",
    "Verdict",
    "heading",
    "render",
    "write",
]

VERDICT_LABELS = {"good": "Good", "bad": "Needs attention", "neutral": "Note"}
# Column names of the analytics' frames as a reader says them; any other lower-case
# or snake_case name reads with spaces and a capital ("first_contact" is "First contact").
HEADINGS = {
    "rule_id": "Rule", "metric": "Promise", "target": "Target", "promised": "Promised",
    "met": "Met", "breached": "Breached", "running": "Still running", "share": "Share met",
    "kept": "Kept", "period": "Month", "segment": "Segment", "channel": "Channel",
    "ticket_id": "Ticket", "elapsed_seconds": "Time taken",
    "target_business_seconds": "Target time", "times_target": "Times the target",
    "tickets": "Tickets", "share_now": "Share met now",
    "recommended_seconds": "Recommended target", "target_seconds": "Target now",
}  # fmt: skip


@dataclass(frozen=True)
class Report:
    """The whole document. ``generated_at`` is shown as given (the page never reads the
    clock, so the same report renders to the same bytes)."""

    title: str
    subtitle: str = ""
    generated_at: datetime | None = None
    sections: Sequence[Section] = ()
    footer: str = ""

    def __post_init__(self) -> None:
        for number, section in enumerate(self.sections, start=1):
            if not isinstance(section, Section):
                raise UsageError(
                    f"report {self.title!r}: section {number} is a {type(section).__name__}; "
                    "wrap its blocks in Section(title, blocks)"
                )


def render(report: Report) -> str:
    """The report as one HTML page."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        generated=_generated(report.generated_at),
        sections=[_readable(section) for section in views.sections(report.sections)],
        verdict_labels=VERDICT_LABELS,
    )


def heading(name: str) -> str:
    """A table's column name as a heading a person reads: ``HEADINGS``, else a
    lower-case or snake_case name with spaces and a capital; anything else as it is.

    >>> heading("rule_id"), heading("first_contact_rate"), heading("met under v2.yaml")
    ('Rule', 'First contact rate', 'met under v2.yaml')
    """
    if name in HEADINGS:
        return HEADINGS[name]
    if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", name):
        words = name.removesuffix("_id").replace("_", " ")
        return words[0].upper() + words[1:]
    return name


def _readable(section: views.SectionView) -> views.SectionView:
    blocks = [
        (kind, replace(block, headers=[(heading(n), numeric) for n, numeric in block.headers]))
        if isinstance(block, views.TableView)
        else (kind, block)
        for kind, block in section.blocks
    ]
    return replace(section, blocks=blocks)


def write(report: Report, path: str | Path) -> Path:
    """Render the report into ``path`` (UTF-8) and return the path."""
    target = Path(path)
    page = render(report)
    if target.is_dir():
        raise UsageError(f"cannot write the report to {target}: it is a folder; name a file")
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(
            f"cannot write the report to {target}: {reason}; "
            "choose a file in an existing folder you can write to"
        ) from None
    return target


def _generated(moment: datetime | None) -> tuple[str, str] | None:
    """``(machine, human)`` forms of the generation time, or ``None`` when not given."""
    if moment is None:
        return None
    return moment.isoformat(timespec="minutes"), figures.instant(moment)


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("charter.publish", "templates"),
        autoescape=jinja2.select_autoescape(["j2"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
