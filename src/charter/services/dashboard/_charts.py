"""The dashboard's charts: server-side SVG from ``charter.publish.svg``, each with its
description and its data as a table (``charter.publish.views.chart_view``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from charter.figures import DURATION, SHARE
from charter.policy.people import Kpis
from charter.publish.svg import BarChart, Chart, LineChart
from charter.publish.views import ChartView, chart_view
from charter.services.dashboard._filters import MONTHS, Period, Step

Values = list[float | None]
SLA_SHOWN = {"first_response": "First response", "next_response": "Next response",
             "resolution": "Resolution"}  # fmt: skip
GROUP_TITLES = {"channel": "Channel", "priority": "Priority", "team": "Team"}
AGES = ((0, 1, "under 1 day"), (1, 3, "1–2 days"), (3, 8, "3–7 days"),
        (8, 31, "8–30 days"), (31, None, "over 30 days"))  # fmt: skip
NO_GROUP = "(none)"


def target_of(kpis: Kpis | None, metric: str, **fields: str) -> float | None:
    """The value of the policy's first KPI target on ``metric`` with these fields."""
    for target in kpis.targets if kpis else []:
        if target.metric == metric and all(getattr(target, k) == v for k, v in fields.items()):
            return target.value()
    return None


def periods(period: Period, step: Step) -> list[dt.date]:
    """Every trend period of ``period``: its days, or the Mondays of its weeks."""
    first = period.start if step == "day" else period.start - dt.timedelta(period.start.weekday())
    every = dt.timedelta(days=1 if step == "day" else 7)
    count = (period.end - first) // every + 1
    return [first + i * every for i in range(count)]


def _label(day: dt.date, step: Step) -> str:
    if step == "week":
        return f"W{day.isocalendar()[1]:02d}"
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def _series(values: pl.DataFrame, dates: Sequence[dt.date], kpi: str, statistic: str,
            clock: str = "none") -> Values:  # fmt: skip
    chosen = values.filter(
        (pl.col("kpi") == kpi)
        & (pl.col("statistic").cast(pl.String) == statistic)
        & (pl.col("clock").cast(pl.String) == clock)
    )
    found = dict(zip(chosen["period"].to_list(), chosen["value"].to_list(), strict=True))
    return [found.get(day) for day in dates]


def trend_charts(
    values: pl.DataFrame, period: Period, step: Step, kpis: Kpis | None
) -> list[ChartView]:
    """Volume and backlog, response and resolution times, compliance and satisfaction
    per trend period, each with the policy's target where it sets one."""
    dates = periods(period, step)
    labels = [_label(day, step) for day in dates]
    title = "Day" if step == "day" else "Week"

    def line(name: str, series: dict[str, Values], unit: str, target: float | None) -> Chart:
        return LineChart(name, labels, series, unit, target, x_title=title)

    def times(kpi: str) -> dict[str, Values]:
        return {"Median": _series(values, dates, kpi, "median", "business"),
                "p90": _series(values, dates, kpi, "p90", "business")}  # fmt: skip

    charts = [
        line("Tickets created and open", {
            "Created": _series(values, dates, "volume", "count"),
            "Open at the end": _series(values, dates, "backlog", "count")}, "tickets", None),
        line("First response time (business hours)", times("first_response_time"), DURATION,
             target_of(kpis, "first_response_time", statistic="median", clock="business")),
        line("Resolution time (business hours)", times("resolution_time"), DURATION,
             target_of(kpis, "resolution_time", statistic="median", clock="business")),
        line("SLA compliance", {
            name: _series(values, dates, f"sla_compliance.{metric}", "share")
            for metric, name in SLA_SHOWN.items()}, SHARE,
            target_of(kpis, "sla_compliance", sla_metric="first_response")),
        line("Customer satisfaction and first contact resolution", {
            "CSAT": _series(values, dates, "csat", "share"),
            "First contact resolution": _series(values, dates, "first_contact_resolution",
                                                "share")}, SHARE, target_of(kpis, "csat")),
    ]  # fmt: skip
    return [chart_view(chart, f"trend-{i}") for i, chart in enumerate(charts, start=1)]


def group_charts(groups: pl.DataFrame, kpis: Kpis | None) -> list[ChartView]:
    """SLA compliance of first response and resolution by channel, priority and team."""
    target = target_of(kpis, "sla_compliance", sla_metric="first_response")
    views = []
    for name, heading in GROUP_TITLES.items():
        metrics = ("first_response", "resolution")
        columns = [f"{m}_{s}" for m in metrics for s in ("met", "breached")]
        sums = groups.group_by(name).agg(pl.col(columns).sum()).sort(name)
        series: dict[str, Values] = {}
        for metric in metrics:
            decided = pl.col(f"{metric}_met") + pl.col(f"{metric}_breached")
            share = pl.when(decided > 0).then(pl.col(f"{metric}_met") / decided)
            series[SLA_SHOWN[metric]] = sums.select(share)[:, 0].to_list()
        labels = [value or NO_GROUP for value in sums[name].to_list()]
        chart = BarChart(f"SLA compliance by {name}", labels, series, SHARE, target,
                         label_title=heading)  # fmt: skip
        views.append(chart_view(chart, f"by-{name}"))
    return views


def age_chart(open_days: pl.DataFrame, today: dt.date) -> ChartView:
    """Open tickets now by how long ago they were created."""
    age = (pl.lit(today) - pl.col("day")).dt.total_days()
    columns = {"Open": "open", "Broken a promise": "open_breached", "At risk": "open_at_risk"}
    series: dict[str, Values] = {name: [] for name in columns}
    for low, high, _ in AGES:
        inside = (age >= low) if high is None else age.is_between(low, high - 1)
        chosen = open_days.filter(inside)
        for name, column in columns.items():
            series[name].append(float(chosen[column].sum()))
    labels = [label for _, _, label in AGES]
    chart = BarChart("Open tickets by age", labels, series, "tickets", label_title="Age")
    return chart_view(chart, "open-by-age")
