"""KPIs and backtests on the tickets in the store.

KPIs are read from the dashboard's aggregates (``charter.services.dashboard``), so they cost a
few grouped queries whatever the number of tickets and agree with the dashboard. A
backtest reads the tickets in columns and hands them to the same pure analytics the
CLI runs on files (``charter.analytics``); its summary is kept in ``backtest_runs``
so it can be read again without recomputing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from sqlalchemy import select

from charter.analytics.backtest import Backtest, backtest, side_by_side
from charter.analytics.kpis import compare_with_targets
from charter.analytics.records import records
from charter.errors import Conflict, InvalidInput, NotFound
from charter.policy.cache import load_cached
from charter.policy.schema import Policy
from charter.services.accounts import Principal
from charter.services.dashboard import (
    AGGREGATED,
    AggregateGroup,
    aggregates_as_of,
    read_figures,
)
from charter.services.lifecycle import get_version, operating_version
from charter.services.tickets import read_ticket_data
from charter.sla.evaluate import prepare
from charter.store import Database
from charter.store.models import BacktestRun, PolicyRecord
from charter.tickets.dataset import TicketData

Period = Literal["day", "week", "month"]
GroupBy = Literal["channel", "priority", "segment", "team"]
NO_TICKETS = "there are no tickets in the store yet; import some with `charter import`"


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


@dataclass(frozen=True)
class BacktestSummary:
    id: int
    policy: str
    versions: list[int]
    created_at: dt.datetime
    user_id: int | None
    tickets: int
    result: dict[str, Any]


def _tickets(database: Database) -> TicketData:
    data = read_ticket_data(database)
    if data.tickets.height == 0:
        raise Conflict(NO_TICKETS)
    return data


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


def run_backtest(
    database: Database,
    slug: str,
    number: int,
    *,
    against: int | None = None,
    actor: Principal,
    now: dt.datetime | None = None,
) -> BacktestSummary:
    """Replay the stored tickets under a version (and another, side by side); keep it."""
    version = get_version(database, slug, number)
    other = get_version(database, slug, against) if against is not None else None
    data = _tickets(database)
    ready = prepare(data)
    result = backtest(version.policy(), data, now=now, prepared=ready)
    old = None
    if other is not None:
        old = backtest(other.policy(), data, now=result.now, prepared=ready)
    summary = _summary(result, old)
    with database.transaction() as session:
        policy_id = session.scalars(select(PolicyRecord.id).where(PolicyRecord.slug == slug)).one()
        run = BacktestRun(
            policy_id=policy_id,
            versions=[number] + ([against] if against is not None else []),
            user_id=actor.id,
            tickets=data.tickets.height,
            result=summary,
        )
        session.add(run)
        session.flush()
        return _backtest(run, slug)


def _summary(result: Backtest, old: Backtest | None) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "now": result.now.isoformat(),
        "promises": records(result.promises),
        "attainment": records(result.attainment),
        "breaches": records(result.breaches),
        "worst": records(result.worst),
    }
    if old is not None:
        summary["side_by_side"] = records(side_by_side(result, old))
    return summary


def list_backtests(database: Database, slug: str | None = None) -> list[BacktestSummary]:
    query = select(BacktestRun, PolicyRecord.slug).join(
        PolicyRecord, PolicyRecord.id == BacktestRun.policy_id
    )
    if slug is not None:
        query = query.where(PolicyRecord.slug == slug)
    with database.reading() as session:
        rows = session.execute(query.order_by(BacktestRun.id.desc())).all()
        return [_backtest(run, policy) for run, policy in rows]


def get_backtest(database: Database, run_id: int) -> BacktestSummary:
    with database.reading() as session:
        row = session.execute(
            select(BacktestRun, PolicyRecord.slug)
            .join(PolicyRecord, PolicyRecord.id == BacktestRun.policy_id)
            .where(BacktestRun.id == run_id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"no backtest with id {run_id}; GET /api/backtests lists them")
        return _backtest(row[0], row[1])


def _backtest(run: BacktestRun, slug: str) -> BacktestSummary:
    return BacktestSummary(
        id=run.id,
        policy=slug,
        versions=list(run.versions),
        created_at=run.created_at,
        user_id=run.user_id,
        tickets=run.tickets,
        result=dict(run.result),
    )
