"""KPIs of the stored tickets against the operating policy's targets.

They are read from the dashboard's aggregates (``charter.services.dashboard``), so they
cost a few grouped queries whatever the number of tickets, and are the figures the
dashboard shows.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from charter.analytics.kpis import compare_with_targets
from charter.analytics.records import records
from charter.errors import Conflict, InvalidInput
from charter.policy.cache import load_cached
from charter.policy.schema import Policy
from charter.services.dashboard import (
    AGGREGATED,
    AggregateGroup,
    aggregates_as_of,
    read_figures,
)
from charter.services.lifecycle import operating_version
from charter.services.tickets import NO_TICKETS
from charter.store import Database

Period = Literal["day", "week", "month"]
GroupBy = Literal["channel", "priority", "segment", "team"]


@dataclass(frozen=True)
class KpiReport:
    """Every KPI per period under the operating policy, and its targets compared."""

    policy: str
    version: int
    period: str
    now: dt.datetime
    tickets: int
    kpis: list[dict[str, Any]]
    targets: list[dict[str, Any]]


def kpi_report(
    database: Database,
    *,
    period: Period | None = None,
    by: GroupBy | None = None,
    now: dt.datetime | None = None,
) -> KpiReport:
    """KPIs of the stored tickets under the published policy that applies to tickets,
    read from the dashboard's aggregates (``charter.services.dashboard``): the figures stand at the
    aggregates' last refresh, and are the figures the dashboard shows.

    They change only when the aggregates are refilled or another version is published,
    so each report is computed once per refill, version and parameters, then served
    from memory, as the dashboard's views are."""
    operating = operating_version(database)
    if operating is None:
        raise Conflict("no policy is published yet; publish a version to measure against it")
    group = _aggregated(by)
    with database.reading() as session:
        as_of = aggregates_as_of(session)
    if as_of is None:
        raise Conflict(NO_TICKETS)
    if now is not None:
        _check_moment(now, as_of)
    return _report(database, operating.id, as_of, period, group)


@functools.lru_cache(maxsize=8)  # a year per day and team is about 30 MB of rows
def _report(
    database: Database,
    version_id: int,
    as_of: dt.datetime,
    period: Period | None,
    by: AggregateGroup | None,
) -> KpiReport:
    operating = operating_version(database)
    assert operating is not None
    targets = _policy(operating.text, operating.file).kpis
    chosen = period or (targets.period if targets else "week")
    with database.reading() as session:
        figures = read_figures(session, chosen, by)
    if figures.tickets == 0:
        raise Conflict(NO_TICKETS)
    compared = compare_with_targets(figures.rows, targets) if targets else pl.DataFrame()
    return KpiReport(
        policy=operating.slug,
        version=operating.number,
        period=chosen,
        now=as_of,
        tickets=figures.tickets,
        kpis=records(figures.rows),
        targets=records(compared),
    )


def _policy(text: str, name: str) -> Policy:
    return load_cached(text, name).policy


def _aggregated(by: GroupBy | None) -> AggregateGroup | None:
    """``by`` as the aggregates keep it: by channel, priority and team, not segment."""
    if by is None or by in AGGREGATED:
        return by
    raise InvalidInput(
        f"by: the KPIs are read from the dashboard's aggregates, kept per channel, priority "
        f"and team, not per {by}; choose by=channel, priority or team, or run "
        f"`charter kpis --by {by}` on a helpdesk export",
        [{"field": "by", "problem": f"not aggregated per {by}"}],
    )


def _check_moment(now: dt.datetime, as_of: dt.datetime) -> None:
    """Refuse a ``now`` other than the aggregates' instant: no other instant is kept."""
    if now.tzinfo is None:
        raise InvalidInput("now: give a timezone (e.g. 2026-10-31T17:00:00Z)", [{"field": "now"}])
    if now != as_of:
        stamp = as_of.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        raise InvalidInput(
            f"now: the KPIs stand at the last refresh of the dashboard's aggregates, {stamp}; "
            "figures at another instant are not kept. Leave now out (or give that instant), "
            "or run `charter kpis --now` on a helpdesk export",
            [{"field": "now", "problem": f"not the aggregates' instant {stamp}"}],
        )
