"""The managers' dashboard: KPIs against the policy's targets, trends, SLA compliance by
group, and the open tickets now, all read from precomputed aggregates.

``refresh_dashboard`` refills the aggregates (``ticket_daily``, ``ticket_daily_times``)
from the stored tickets and their SLA state; imports that change tickets and publishes
call it once their SLA recompute is done, so they leave the aggregates current.
``dashboard`` answers a page's query in a few grouped queries over those tables,
whatever the number of tickets. ``read_figures`` reads the API's KPI report from the same
aggregates, so the API and the page agree. The SQL is ``charter.store.dashboard``'s.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> board = dashboard(db, {"period": "2026-10"})
>>> board.period.label, board.tickets, board.problem
('October 2026', 0, '')
>>> dashboard(db, {"period": "October"}).problem[:30]
"period: 'October' is not a per"
>>> dashboard(db, {}).filters.preset  # a page opens on the last 28 days
'last-28-days'
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from charter import clock, figures
from charter.analytics.kpis import compare_with_targets
from charter.analytics.records import records
from charter.errors import InvalidInput
from charter.policy.cache import load_cached
from charter.policy.people import MEASURABLE_KPIS, Kpis, KpiTarget
from charter.policy.schema import Policy
from charter.publish.public_page import page_timezone
from charter.publish.views import ChartView
from charter.services.dashboard._aggregates import read_figures
from charter.services.dashboard._charts import SLA_SHOWN, age_chart, group_charts, trend_charts
from charter.services.dashboard._filters import (
    Filters,
    Period,
    Step,
    default_filters,
    parse_filters,
    parse_period,
)
from charter.services.dashboard._kpis import kpi_rows, quantiles, with_period
from charter.services.dashboard._period import PRESETS, preset
from charter.services.dashboard._promises import PromiseRow, Promises, promise_table
from charter.services.dashboard.csat import PromiseCsat, promise_csat
from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.store import dashboard as dashboard_store
from charter.store.dashboard import AGGREGATED, aggregates_as_of
from charter.store.dashboard import Group as AggregateGroup

__all__ = [
    "AGGREGATED",
    "AggregateGroup",
    "Dashboard",
    "PRESETS",
    "Filters",
    "Period",
    "PromiseRow",
    "Promises",
    "aggregates_as_of",
    "dashboard",
    "kpi_rows",
    "parse_filters",
    "parse_period",
    "preset",
    "quantiles",
    "read_figures",
    "refresh_dashboard",
    "with_period",
]

DIRECTIONS = {"at_most": "at most", "at_least": "at least"}
STATISTICS = {"median": "median", "p90": "p90", "mean": "mean"}


@dataclass(frozen=True)
class TargetResult:
    """One KPI target of the policy against the period's figure."""

    id: str
    name: str
    measure: str
    value: str
    target: str
    met: bool | None
    count: int | None
    trend: str
    alert: bool
    note: str = ""


@dataclass(frozen=True)
class Now:
    """The open tickets as of the last SLA recompute."""

    as_of: dt.datetime | None
    open: int
    breached: int
    at_risk: int
    clocks: list[tuple[str, int, int]]  # metric, at risk, running on time
    age: ChartView | None


@dataclass(frozen=True)
class Dashboard:
    """What the page shows. ``figures`` are the whole period's KPI rows (``KPI_SCHEMA``
    as records: kpi, statistic, clock, value, unit, count)."""

    filters: Filters
    period: Period
    step: Step
    options: dict[str, list[str]]
    today: dt.date
    timezone: str  # the business's, whose date ``today`` is
    policy: str | None = None
    version: int | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    tickets: int = 0
    targets: list[TargetResult] = field(default_factory=list)
    trends: list[ChartView] = field(default_factory=list)
    groups: list[ChartView] = field(default_factory=list)
    now: Now | None = None
    figures: list[dict[str, Any]] = field(default_factory=list)
    promises: Promises | None = None
    csat: PromiseCsat | None = None  # CSAT when the promise was kept and when broken
    problem: str = ""


def refresh_dashboard(database: Database, as_of: dt.datetime) -> None:
    """Refill the dashboard's aggregates from the stored tickets, as of ``as_of``."""
    with database.transaction() as session:
        dashboard_store.refresh_aggregates(session, as_of)


def _policy(text: str, name: str) -> Policy:
    return load_cached(text, name).policy


def dashboard(database: Database, query: Mapping[str, str]) -> Dashboard:
    """The dashboard for a page's ``query`` (``period``, ``channel``, ``priority``,
    ``team``, ``every``); a bad value gives a dashboard whose ``problem`` says why.

    A period is resolved on today's date on the business's clock (the public page's
    ``page_timezone``; UTC without a policy). The figures change only when the
    aggregates are refilled, another version is published or the day changes, so each
    view is computed once per refill, version and day and then served from memory."""
    operating = operating_version(database)
    policy = _policy(operating.text, operating.file) if operating else None
    zone = page_timezone(policy) if policy else "UTC"
    today = clock.now().astimezone(ZoneInfo(zone)).date()
    with database.reading() as session:
        as_of = aggregates_as_of(session)
    key = tuple(sorted(query.items()))
    return _view(database, operating.id if operating else None, str(as_of), (today, zone), key)


@functools.lru_cache(maxsize=64)
def _view(
    database: Database,
    version_id: int | None,
    as_of: str,
    day: tuple[dt.date, str],
    query: tuple[tuple[str, str], ...],
) -> Dashboard:
    return _compute(database, dict(query), *day)


def _compute(database: Database, query: Mapping[str, str], today: dt.date, zone: str) -> Dashboard:
    operating = operating_version(database)
    policy = _policy(operating.text, operating.file) if operating else None
    kpis = policy.kpis if policy else None
    slug, number = (operating.slug, operating.number) if operating else (None, None)
    with database.reading() as session:
        held = dashboard_store.stored(session)
        options = {name: held.values(name) for name in dashboard_store.GROUPS}
        try:
            filters = parse_filters(query, today)
            _check_groups(filters, options)
        except InvalidInput as error:
            fallback = default_filters(today)
            return Dashboard(fallback, fallback.period, fallback.period.step, options, today,
                             zone, slug, number, problem=str(error))  # fmt: skip
        period = filters.period
        step = filters.step or period.step
        scope = dashboard_store.Scope(filters.channel, filters.priority, filters.team)
        days = dashboard_store.per_day(session, scope, period.start, period.end)
        by_day = "day" in (step, kpis.period if kpis else "week")
        times = dashboard_store.times(session, scope, period.start, period.end, by_day=by_day)
        before = dashboard_store.backlog_before(session, scope, period.start)
        groups = dashboard_store.per_group(session, scope, period.start, period.end)
        open_days = dashboard_store.open_by_day(session, scope)
    return Dashboard(
        filters, period, step, options, today, zone, slug, number,
        first_day=held.first_day, last_day=held.last_day,
        tickets=int(days["created"].sum()),
        figures=records(kpi_rows(days, times, before, "all", period.start)),
        targets=_targets(kpis, days, times, before, period),
        trends=trend_charts(kpi_rows(days, times, before, step, period.start), period, step, kpis),
        groups=group_charts(groups, kpis),
        now=_now(open_days, held.as_of),
        promises=promise_table(database, operating, policy, period) if operating and policy
        else None,
        csat=promise_csat(database, filters, period),
    )  # fmt: skip


def _check_groups(filters: Filters, options: Mapping[str, list[str]]) -> None:
    for name in dashboard_store.GROUPS:
        value = getattr(filters, name)
        if value is not None and value not in options[name]:
            known = ", ".join(v for v in options[name] if v) or "none yet"
            raise InvalidInput(
                f"{name}: no ticket has {name} {value!r}; choose one of {known}, "
                f"or leave it empty for every {name}",
                [{"field": name, "problem": "no ticket has this value"}],
            )


def _targets(
    kpis: Kpis | None, days: pl.DataFrame, times: pl.DataFrame, before: int, period: Period
) -> list[TargetResult]:
    """Each KPI target: the whole period's figure against it, and its trend over the
    policy's own periods within the chosen one."""
    if kpis is None or not kpis.targets:
        return []
    whole = kpi_rows(days, times, before, "all", period.start)
    steps = kpi_rows(days, times, before, kpis.period, period.start)
    overall = compare_with_targets(whole, kpis) if whole.height else None
    trend = compare_with_targets(steps, kpis) if steps.height else None
    return [_target(t, overall, trend) for t in kpis.targets]


def _target(t: KpiTarget, overall: pl.DataFrame | None, trend: pl.DataFrame | None) -> TargetResult:
    kind = MEASURABLE_KPIS.get(t.metric)
    name = t.name or t.id
    if kind is None or (t.metric == "sla_compliance" and t.sla_metric is None):
        return TargetResult(t.id, name, t.metric, "—", str(t.target), None, None, "", False,
                            "Charter cannot measure this target")  # fmt: skip
    goal = f"{DIRECTIONS[t.direction]} {_shown(t.value(), _unit(kind), t)}"
    measure = _measure(t, kind)
    row = _first(overall, t.id)
    if row is None:
        return TargetResult(t.id, name, measure, "—", goal, None, None, "", False,
                            "no figure in this period")  # fmt: skip
    steps = _first(trend, t.id, last=True)
    return TargetResult(
        t.id, name, measure, _shown(row["value"], row["unit"], t), goal, bool(row["met"]),
        int(row["count"]), str(steps["trend"]) if steps else "",
        bool(steps and steps["alert"]),
    )  # fmt: skip


def _first(frame: pl.DataFrame | None, target_id: str, last: bool = False) -> dict | None:  # type: ignore[type-arg]
    if frame is None:
        return None
    rows = frame.filter(pl.col("target_id") == target_id).to_dicts()
    return (rows[-1] if last else rows[0]) if rows else None


def _unit(kind: str) -> str:
    return {"duration": "seconds", "share": "share", "score": "points"}.get(kind, "tickets")


def _measure(t: KpiTarget, kind: str) -> str:
    if kind == "duration":
        return f"{STATISTICS[t.statistic]}, {t.clock} hours"
    if t.metric == "sla_compliance" and t.sla_metric:
        return f"share of {t.sla_metric.replace('_', ' ')} clocks met"
    return {"share": "share", "score": "points", "count": "tickets"}[kind]


def _shown(value: float, unit: str, t: KpiTarget) -> str:
    """As the command line's ``charter kpis`` writes it: one formatter for both."""
    return figures.value(value, unit, business=t.clock == "business")


def _now(open_days: pl.DataFrame, as_of: dt.datetime | None) -> Now:
    totals = {c: int(open_days[c].sum()) for c in open_days.columns if c != "day"}
    clocks = [
        (label, totals[f"{metric}_at_risk"], totals[f"{metric}_pending"])
        for metric, label in SLA_SHOWN.items()
    ]
    age = age_chart(open_days, as_of.date()) if as_of else None
    return Now(as_of, totals["open"], totals["open_breached"], totals["open_at_risk"],
               clocks, age)  # fmt: skip
