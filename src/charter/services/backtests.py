"""Backtests on the tickets in the store: "would we have kept this draft's promises?".

A backtest reads the tickets in columns and hands them to the same pure analytics the
CLI runs on files (``charter.analytics``); its summary is kept in ``backtest_runs``
so it can be read again without recomputing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from charter.analytics.backtest import Backtest, backtest, side_by_side
from charter.analytics.records import records
from charter.errors import Conflict, NotFound
from charter.services.accounts import Principal
from charter.services.lifecycle import get_version
from charter.services.tickets import NO_TICKETS, read_ticket_data
from charter.sla.evaluate import prepare
from charter.store import Database
from charter.store import tickets as stored
from charter.store.models import BacktestRun
from charter.tickets.dataset import TicketData


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
        run = stored.add_backtest_run(
            session,
            slug,
            versions=[number] + ([against] if against is not None else []),
            user_id=actor.id,
            tickets=data.tickets.height,
            result=summary,
        )
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
    """The kept backtests, newest first; only those of the policy ``slug``, given one."""
    with database.reading() as session:
        return [_backtest(run, policy) for run, policy in stored.backtest_runs(session, slug)]


def get_backtest(database: Database, run_id: int) -> BacktestSummary:
    """The kept backtest with this id; ``NotFound`` when there is none."""
    with database.reading() as session:
        found = stored.backtest_run(session, run_id)
        if found is None:
            raise NotFound(f"no backtest with id {run_id}; GET /api/backtests lists them")
        return _backtest(*found)


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
