"""Section a: each KPI target over the period against the window of the same length
before it (what the last review read), from the dashboard's aggregates.

The figures are the dashboard's (``charter.services.dashboard.kpi_rows`` over the
aggregates, whole UTC days, compared by ``charter.analytics.kpis.compare_with_targets``)
and are written by ``charter.figures``, so a figure here reads as on the dashboard.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from charter import figures
from charter.analytics.kpis import compare_with_targets
from charter.policy.people import MEASURABLE_KPIS, Kpis, KpiTarget
from charter.services.dashboard import kpi_rows
from charter.services.review_pack._values import KpiLine, Span
from charter.store import Database
from charter.store import dashboard as dashboard_store

DIRECTIONS = {"at_most": "at most", "at_least": "at least"}
UNITS = {"duration": "seconds", "share": "share", "score": "points"}


def _compared(database: Database, kpis: Kpis, first: dt.date, last: dt.date) -> pl.DataFrame | None:
    """Each target's row over the UTC days ``first`` to ``last``; None without figures."""
    scope = dashboard_store.Scope()
    with database.reading() as session:
        days = dashboard_store.per_day(session, scope, first, last)
        times = dashboard_store.times(session, scope, first, last, by_day=True)
        before = dashboard_store.backlog_before(session, scope, first)
    if days.height == 0:
        return None
    rows = kpi_rows(days, times, before, "all", first)
    return compare_with_targets(rows, kpis) if rows.height else None


Row = dict[str, Any]


def _row(frame: pl.DataFrame | None, target_id: str) -> Row | None:
    if frame is None:
        return None
    rows = frame.filter(pl.col("target_id") == target_id).to_dicts()
    return rows[0] if rows else None


def _shown(value: float | None, unit: str, target: KpiTarget) -> str:
    return figures.value(value, unit, business=target.clock == "business")


def _change(before: Row | None, now: Row | None, target: KpiTarget, shown: tuple[str, str]) -> str:
    if now is None:
        return "no figure in the period"
    if before is None:
        return "no figure before the period"
    if shown[0] == shown[1]:  # the same as a person reads it
        return "no change"
    lower_is_better = target.direction == "at_most"
    return "better" if (now["value"] < before["value"]) == lower_is_better else "worse"


def kpi_lines(database: Database, kpis: Kpis | None, span: Span) -> tuple[KpiLine, ...]:
    """Every measurable KPI target of ``kpis``: the window before the period, the period."""
    if kpis is None or not kpis.targets:
        return ()
    last = span.end.date()
    now = _compared(database, kpis, span.start.date(), last)
    first_before = span.previous_start.date()
    before = _compared(database, kpis, first_before, span.start.date() - dt.timedelta(days=1))
    lines = []
    for target in kpis.targets:
        kind = MEASURABLE_KPIS.get(target.metric)
        if kind is None or (target.metric == "sla_compliance" and target.sla_metric is None):
            continue
        unit = UNITS.get(kind, "tickets")
        then_row, now_row = _row(before, target.id), _row(now, target.id)
        shown = (_shown(then_row["value"] if then_row else None, unit, target),
                 _shown(now_row["value"] if now_row else None, unit, target))  # fmt: skip
        goal = f"{DIRECTIONS[target.direction]} {_shown(target.value(), unit, target)}"
        lines.append(KpiLine(
            target.id, target.name or target.id, goal, shown[0], shown[1],
            bool(now_row["met"]) if now_row else None,
            _change(then_row, now_row, target, shown),
            int(now_row["count"]) if now_row else None,
        ))  # fmt: skip
    return tuple(lines)
