"""The policy's KPI targets held against the computed KPI rows, with trends and alerts."""

from __future__ import annotations

import polars as pl

from charter.analytics.kpis._frame import Clock, Statistic
from charter.analytics.trend import trends
from charter.policy.people import MEASURABLE_KPIS, KpiKind, Kpis, KpiTarget

TARGET_SCHEMA: dict[str, pl.DataType] = {
    "_order": pl.Int64(),
    "target_id": pl.String(),
    "name": pl.String(),
    "kpi": pl.String(),
    "statistic": Statistic,
    "clock": Clock,
    "target": pl.Float64(),
    "direction": pl.String(),
}
# Statistic and clock of the KPI rows a target of each kind is read from; durations
# take both from the target itself.
_READ_AS: dict[KpiKind, tuple[str, str]] = {
    "share": ("share", "none"),
    "score": ("points", "none"),
    "count": ("count", "none"),
}
COMPARISON_COLUMNS = [
    "target_id", "name", "kpi", "statistic", "clock", "period", "group", "value", "unit",
    "count", "target", "direction", "met", "slope", "trend", "streak", "alert",
]  # fmt: skip


def _mapped(order: int, target: KpiTarget) -> dict[str, object] | None:
    """The target as a row keyed like the KPI rows, or None when it cannot be measured."""
    kind = MEASURABLE_KPIS.get(target.metric)
    if kind is None or (target.metric == "sla_compliance" and target.sla_metric is None):
        return None
    kpi = target.metric
    if kpi == "sla_compliance":
        kpi = f"sla_compliance.{target.sla_metric}"
    statistic, clock = _READ_AS.get(kind, (target.statistic, target.clock))
    return {
        "_order": order, "target_id": target.id, "name": target.name or target.id, "kpi": kpi,
        "statistic": statistic, "clock": clock, "target": target.value(),
        "direction": target.direction,
    }  # fmt: skip


def target_table(policy_kpis: Kpis) -> pl.DataFrame:
    """One row per measurable target: ``target_id, name, kpi, statistic, clock, target,
    direction`` (durations in seconds, shares in 0-1)."""
    rows = [_mapped(i, t) for i, t in enumerate(policy_kpis.targets)]
    return pl.DataFrame([r for r in rows if r is not None], schema=TARGET_SCHEMA)


def compare_with_targets(values: pl.DataFrame, policy_kpis: Kpis) -> pl.DataFrame:
    """Each KPI target against its rows of ``values`` (from ``kpis``), per period and group.

    ``met`` is ``value <= target`` for ``at_most`` and ``value >= target`` for
    ``at_least``. Per target and group: the least-squares ``slope`` of the value over
    the periods, the ``trend`` (improving, worsening or steady given the direction),
    the ``streak`` of misses up to the last period, and ``alert`` when that streak
    reaches the policy's ``alert_after``. Targets Charter cannot measure, and targets
    with no KPI rows (first contact resolution without events), are absent.

    >>> import datetime as dt
    >>> from charter.analytics.kpis import KPI_SCHEMA
    >>> from charter.policy.people import Kpis
    >>> policy_kpis = Kpis.model_validate({"alert_after": 2, "targets": [
    ...     {"id": "v", "metric": "volume", "target": 10, "direction": "at_most"}]})
    >>> values = pl.DataFrame({"period": [dt.date(2026, 1, d) for d in (5, 12, 19)],
    ...     "group": None, "kpi": "volume", "statistic": "count", "clock": "none",
    ...     "value": [8.0, 11.0, 12.0], "unit": "tickets", "count": [8, 11, 12]},
    ...     schema_overrides=KPI_SCHEMA)
    >>> table = compare_with_targets(values, policy_kpis)
    >>> table["met"].to_list(), table["trend"][0], table["alert"][0]
    ([True, False, False], 'worsening', True)
    """
    table = target_table(policy_kpis)
    compared = values.join(table, on=["kpi", "statistic", "clock"]).with_columns(
        pl.when(pl.col("direction") == "at_most")
        .then(pl.col("value") <= pl.col("target"))
        .otherwise(pl.col("value") >= pl.col("target"))
        .alias("met")
    )
    trend = _trends(compared, values.select(pl.col("period").unique()), policy_kpis.alert_after)
    return (
        compared.join(trend, on=["target_id", "group"], how="left", nulls_equal=True)
        .sort("_order", "group", "period", nulls_last=False)
        .select(COMPARISON_COLUMNS)
    )


def _trends(compared: pl.DataFrame, periods: pl.DataFrame, after: int) -> pl.DataFrame:
    """``target_id, group, slope, trend, streak, alert`` per target and group.

    Each target and group gets every period of ``periods``, one without a value as
    null: it keeps its place in the slope, and is not a miss, so it ends a streak.
    """
    keys = ["target_id", "group"]
    series = (
        compared.select(*keys, "direction")
        .unique(subset=keys)
        .join(periods, how="cross")
        .join(
            compared.select(*keys, "period", "value", "target"),
            on=[*keys, "period"],
            how="left",
            nulls_equal=True,
        )
    )
    per_group = trends(
        series,
        keys,
        period="period",
        value="value",
        target="target",
        direction="direction",
        after=after,
    )
    return per_group.rename({"direction": "trend"})
