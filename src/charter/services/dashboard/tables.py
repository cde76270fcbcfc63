"""Every table on the dashboard as rows for a CSV download, each the rows the page
shows, with the same figures written the same way (counts as plain whole numbers).

A table is named as the page's download link names it: ``kpis``, ``promises``,
``csat``, ``pilot``, ``complaints``, ``clocks``, and each chart's data table by the
chart's id (``trend-1`` … ``trend-5``, ``by-channel``, ``by-priority``, ``by-team``,
``open-by-age``). ``dashboard_csv`` reads the view the page reads (the same query gives
the same cached dashboard), so a download holds exactly the rows shown for that period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from charter import figures
from charter.errors import NotFound
from charter.publish.spreadsheet import Cell, csv_text
from charter.publish.views import ChartView
from charter.services.complaint_views import Board, complaint_board
from charter.services.dashboard import Dashboard, dashboard
from charter.services.pilots import PilotComparison, dashboard_pilot
from charter.store import Database

__all__ = ["TABLES", "CsvTable", "dashboard_csv", "table_of"]

TABLES = ("kpis", "promises", "csat", "pilot", "complaints", "clocks")


@dataclass(frozen=True)
class CsvTable:
    """One table's header and rows, and the file name a download gets."""

    name: str
    headers: list[str]
    rows: list[list[Cell]]
    filename: str

    @property
    def text(self) -> str:
        return csv_text(self.headers, self.rows)


def dashboard_csv(database: Database, name: str, query: Mapping[str, str]) -> CsvTable:
    """The table ``name`` of the dashboard for ``query``; ``NotFound`` names the tables
    there are when the view has no table of that name (a bad filter raises nothing
    here: the caller shows ``Dashboard.problem``)."""
    board = dashboard(database, query)
    pilot = dashboard_pilot(database) if name == "pilot" else None
    complaints = complaint_board(database) if name == "complaints" else None
    return table_of(board, name, pilot=pilot, complaints=complaints)


def table_of(
    board: Dashboard,
    name: str,
    *,
    pilot: PilotComparison | None = None,
    complaints: Board | None = None,
) -> CsvTable:
    """The table ``name`` as the page shows it for ``board``."""
    makers: dict[str, Callable[[], tuple[list[str], list[list[Cell]]] | None]] = {
        "kpis": lambda: _kpis(board), "promises": lambda: _promises(board),
        "csat": lambda: _csat(board), "clocks": lambda: _clocks(board),
        "pilot": lambda: _pilot(pilot), "complaints": lambda: _complaints(complaints),
    }  # fmt: skip
    charts = {view.id: view for view in (*board.trends, *board.groups)}
    if board.now and board.now.age:
        charts[board.now.age.id] = board.now.age
    made = makers[name]() if name in makers else _chart(charts[name]) if name in charts else None
    if made is None:
        known = ", ".join([*TABLES, *charts])
        raise NotFound(
            f"the dashboard has no table {_shown(name)!r} for this view; its tables are {known}"
        )
    headers, rows = made
    return CsvTable(name, headers, rows, f"dashboard-{name}-{board.period.text}.csv")


def _shown(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "…"


def _kpis(board: Dashboard) -> tuple[list[str], list[list[Cell]]] | None:
    if not board.targets:
        return None
    headers = ["KPI", "Measured as", "Figure", "Target", "Result", "Trend", "Alert", "Based on"]
    rows: list[list[Cell]] = [
        [t.name, t.measure, t.value, t.target,
         t.note if t.met is None else "met" if t.met else "missed", t.trend or figures.MISSING,
         "missed repeatedly" if t.alert else "", t.count]
        for t in board.targets
    ]  # fmt: skip
    return headers, rows


def _promises(board: Dashboard) -> tuple[list[str], list[list[Cell]]] | None:
    if board.promises is None:
        return None
    headers = ["Promise", "Measure", "Channel", "Met", "Breached", "Share met", "Promised",
               "Result"]  # fmt: skip
    rows: list[list[Cell]] = [
        [r.promise, r.metric, r.channel, r.met, r.breached, r.share, r.promised,
         "no ticket measured" if r.kept is None else "kept" if r.kept else "missed"]
        for r in board.promises.rows
    ]  # fmt: skip
    return headers, rows


def _csat(board: Dashboard) -> tuple[list[str], list[list[Cell]]] | None:
    c = board.csat
    if c is None or not c.answers:
        return None
    headers = ["Promise", "Tickets", "Scored", "From surveys", "CSAT"]
    rows: list[list[Cell]] = [
        [g.label, g.tickets, g.answers, g.from_surveys, g.shown] for g in (c.kept, c.broken)
    ]
    return headers, rows


def _clocks(board: Dashboard) -> tuple[list[str], list[list[Cell]]] | None:
    if board.now is None:
        return None
    headers = ["Metric", "At risk (75 % of the target used)", "Running, on time"]
    return headers, [[label, risk, running] for label, risk, running in board.now.clocks]


def _pilot(pilot: PilotComparison | None) -> tuple[list[str], list[list[Cell]]] | None:
    if pilot is None or pilot.note:
        return None
    headers = ["Measure", "Pilot", "Control", "Verdict"]
    return headers, [[r.label, r.pilot, r.control, r.verdict] for r in pilot.figures]


def _complaints(board: Board | None) -> tuple[list[str], list[list[Cell]]] | None:
    if board is None or not board.lines:
        return None
    headers = ["Month", "Stage", "Acknowledged in time", "Share acknowledged in time",
               "Acknowledged late", "Answered in time", "Share answered in time",
               "Answered late"]  # fmt: skip
    rows: list[list[Cell]] = [
        [line.row.month, line.stage_name, line.row.acknowledged_within,
         figures.share(line.share("acknowledged")), line.row.acknowledged_late,
         line.row.answered_within, figures.share(line.share("answered")),
         line.row.answered_late]
        for line in board.lines
    ]  # fmt: skip
    return headers, rows


def _chart(view: ChartView) -> tuple[list[str], list[list[Cell]]] | None:
    if not view.table.rows:
        return None
    headers = [name for name, _ in view.table.headers]
    return headers, [[cell.text for cell in row] for row in view.table.rows]
