"""KPIs and backtests on the tickets in the store.

The tickets are read in columns and handed to the same pure analytics the CLI
runs on files (``charter.analytics``); a backtest's summary is kept in
``backtest_runs`` so it can be read again without recomputing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from sqlalchemy import select

from charter.analytics.backtest import Backtest, backtest, latest_instant, side_by_side
from charter.analytics.kpis import compare_with_targets, kpis
from charter.analytics.records import records
from charter.errors import Conflict, InvalidInput, NotFound
from charter.services.accounts import Principal
from charter.services.lifecycle import get_version, operating_version
from charter.services.tickets import read_ticket_data
from charter.sla.evaluate import evaluate, prepare
from charter.store import Database
from charter.store.models import BacktestRun, PolicyRecord
from charter.tickets.dataset import TicketData

Period = Literal["day", "week", "month"]
GroupBy = Literal["channel", "priority", "segment", "team"]
LATEST_AFTER_DATA = dt.timedelta(days=366)


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
        raise Conflict("there are no tickets in the store yet; import some with `charter import`")
    return data


def kpi_report(
    database: Database,
    *,
    period: Period | None = None,
    by: GroupBy | None = None,
    now: dt.datetime | None = None,
) -> KpiReport:
    """KPIs of the stored tickets under the published policy that applies to tickets."""
    operating = operating_version(database)
    if operating is None:
        raise Conflict("no policy is published yet; publish a version to measure against it")
    policy = operating.policy()
    data = _tickets(database)
    targets = policy.kpis
    chosen = period or (targets.period if targets else "week")
    if now is not None:
        _check_moment(now, data)
    moment = now or latest_instant(data)
    sla = evaluate(policy, data, now=moment)
    events = data.events if data.events.height else None
    values = kpis(data.tickets, sla, period=chosen, by=by, now=moment, events=events)
    compared = compare_with_targets(values, targets) if targets else pl.DataFrame()
    return KpiReport(
        policy=operating.slug,
        version=operating.number,
        period=chosen,
        now=moment,
        tickets=data.tickets.height,
        kpis=records(values),
        targets=records(compared),
    )


def _check_moment(now: dt.datetime, data: TicketData) -> None:
    """Refuse a ``now`` outside the data's years: figures there mean nothing and cost much."""
    first, last = data.tickets["created_at"].min(), latest_instant(data)
    assert isinstance(first, dt.datetime)
    if now.tzinfo is None:
        raise InvalidInput("now: give a timezone (e.g. 2026-10-31T17:00:00Z)", [{"field": "now"}])
    if not first <= now <= last + LATEST_AFTER_DATA:
        raise InvalidInput(
            f"now: {now.isoformat()} is outside the tickets' time; choose an instant between "
            f"{first.date()} and {(last + LATEST_AFTER_DATA).date()}",
            [{"field": "now", "problem": "outside the stored tickets' time"}],
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
