"""KPIs per period and group: response and resolution times, SLA compliance, CSAT,
NPS, first contact resolution, volume and backlog, each saying its clock and statistic.

Every figure is a row of one long table (``KPI_SCHEMA``)::

    period, group, kpi, statistic, clock, value, unit, count

Durations are in seconds on the ``business`` clock (the clock of the ticket's own
service-level target, pauses excluded) or the ``calendar`` clock; medians and p90
are Polars' ``quantile(q, interpolation="linear")``. Shares are in 0-1, NPS in
points, volume and backlog in tickets. A ticket's figures belong to the period it
was created in; the backlog is counted at each period's end.

>>> import datetime as dt
>>> from charter.policy import load_policy_text
>>> from charter.sla.evaluate import evaluate
>>> from charter.tickets.dataset import TicketData, empty_events
>>> from charter.tickets.schema import TICKET_SCHEMA, conform
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... service_levels:
...   rules: [{id: all, targets: {first_response: {within: 1h, clock: 24x7}}}]
... ''').policy
>>> day = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
>>> tickets = conform(pl.DataFrame({"id": ["a", "b"], "created_at": [day, day],
...     "channel": ["email", "chat"], "status": ["solved", "open"],
...     "first_response_at": [day + dt.timedelta(minutes=m) for m in (30, 90)],
...     "solved_at": [day + dt.timedelta(hours=2), None], "csat": [5, None]}), TICKET_SCHEMA)
>>> now = dt.datetime(2026, 1, 9, tzinfo=dt.UTC)
>>> sla = evaluate(policy, TicketData(tickets, empty_events()), now=now)
>>> table = kpis(tickets, sla, period="week", now=now)
>>> pick = pl.col("statistic").cast(pl.String).is_in(["median", "share", "count"])
>>> for row in table.filter(pick).select("kpi", "clock", "value", "count").rows():
...     print(*row)
backlog none 1.0 1
csat none 1.0 1
csat_response_rate none 1.0 1
first_response_time business 3600.0 2
first_response_time calendar 3600.0 2
resolution_time calendar 7200.0 1
sla_compliance.first_response none 0.5 2
volume none 2.0 2
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from charter.analytics.kpis._counts import counts
from charter.analytics.kpis._frame import (
    GROUPS,
    KEYS,
    KPI_SCHEMA,
    PERIODS,
    GroupBy,
    Period,
    conformed,
    ticket_view,
)
from charter.analytics.kpis._observe import durations, indicators, stopped_rows
from charter.analytics.kpis._targets import compare_with_targets
from charter.errors import UsageError

__all__ = ["KPI_SCHEMA", "compare_with_targets", "kpis"]

_OBSERVED = ["period", "group", "kpi", "tag", "unit"]


def kpis(
    tickets: pl.DataFrame,
    sla: pl.DataFrame,
    *,
    period: Period,
    by: GroupBy | None = None,
    now: dt.datetime,
    events: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every KPI per period (and ``by`` group) as it stood at ``now``, in ``KPI_SCHEMA``.

    ``tickets`` are canonical tickets, ``sla`` their ``charter.sla.evaluate`` rows.
    ``group`` is null when ``by`` is None. First contact resolution needs ``events``
    and is left out without them. A naive ``now`` is read as UTC.
    """
    _check(period, by)
    view = ticket_view(tickets, period=period, by=by, now=now)
    closed = stopped_rows(sla, view, now)
    parts = [
        _duration_stats(durations(closed, view)),
        _mean_stats(indicators(closed, view, events, now)),
        counts(view, period=period, now=now),
    ]
    frames = [conformed(part) for part in parts if part.height]
    if not frames:
        return pl.DataFrame(schema=KPI_SCHEMA)
    return pl.concat(frames).sort(list(KEYS), nulls_last=False)


def _check(period: str, by: str | None) -> None:
    if period not in PERIODS:
        raise UsageError(
            f"KPIs cannot be counted per {period!r}: give period as one of {', '.join(PERIODS)}"
        )
    if by is not None and by not in GROUPS:
        raise UsageError(
            f"KPIs cannot be grouped by {by!r}: give by as one of {', '.join(GROUPS)}, "
            "or leave it out for one group"
        )


def _duration_stats(observed: pl.DataFrame) -> pl.DataFrame:
    """Median, p90 and mean of each duration, ``tag`` being its clock."""
    x = pl.col("x")
    stats = observed.group_by(_OBSERVED).agg(
        x.quantile(0.5, interpolation="linear").alias("median"),
        x.quantile(0.9, interpolation="linear").alias("p90"),
        x.mean().alias("mean"),
        pl.len().alias("count"),
    )
    return stats.unpivot(
        index=[*_OBSERVED, "count"],
        on=["median", "p90", "mean"],
        variable_name="statistic",
        value_name="value",
    ).rename({"tag": "clock"})


def _mean_stats(observed: pl.DataFrame) -> pl.DataFrame:
    """Shares and points: the mean of each indicator, ``tag`` being its statistic."""
    return (
        observed.group_by(_OBSERVED)
        .agg(pl.col("x").mean().alias("value"), pl.len().alias("count"))
        .rename({"tag": "statistic"})
        .with_columns(pl.lit("none").alias("clock"))
    )
