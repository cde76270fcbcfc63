"""Backtest runs kept in ``backtest_runs``: a draft replayed on the stored tickets, each
run with the slug of the policy it tested."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from charter.store.models import BacktestRun, PolicyRecord


def add_backtest_run(
    session: Session,
    slug: str,
    *,
    versions: list[int],
    user_id: int | None,
    tickets: int,
    result: dict[str, Any],
) -> BacktestRun:
    """A new run of the policy ``slug`` (which must exist), flushed so it has its id."""
    policy_id = session.scalars(select(PolicyRecord.id).where(PolicyRecord.slug == slug)).one()
    run = BacktestRun(
        policy_id=policy_id, versions=versions, user_id=user_id, tickets=tickets, result=result
    )
    session.add(run)
    session.flush()
    return run


def backtest_runs(session: Session, slug: str | None = None) -> list[tuple[BacktestRun, str]]:
    """Every run (of the policy ``slug`` only, given one) with its policy's slug,
    newest first."""
    query = _with_slug()
    if slug is not None:
        query = query.where(PolicyRecord.slug == slug)
    rows = session.execute(query.order_by(BacktestRun.id.desc())).all()
    return [(run, policy) for run, policy in rows]


def backtest_run(session: Session, run_id: int) -> tuple[BacktestRun, str] | None:
    """The run with this id and its policy's slug, or None."""
    row = session.execute(_with_slug().where(BacktestRun.id == run_id)).one_or_none()
    return (row[0], row[1]) if row is not None else None


def _with_slug() -> Select[BacktestRun, str]:
    return select(BacktestRun, PolicyRecord.slug).join(
        PolicyRecord, PolicyRecord.id == BacktestRun.policy_id
    )
