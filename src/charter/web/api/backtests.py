"""``/api/backtests``: replay stored tickets under a policy version, and read results."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from charter.services.backtests import get_backtest, list_backtests, run_backtest
from charter.services.lifecycle import SLUG_LENGTH, SLUG_PATTERN
from charter.web.deps import CurrentUser, DatabaseDep, Manager
from charter.web.schemas.results import BacktestCreate, BacktestPublic

router = APIRouter(prefix="/backtests", tags=["backtests"])
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        404: {"description": "No such policy or version."},
        409: {"description": "No tickets."},
    },
)
def create_backtest(body: BacktestCreate, database: DatabaseDep, user: Manager) -> BacktestPublic:
    """Would we have kept this version's promises? Run it on the stored tickets."""
    run = run_backtest(database, body.policy, body.version, against=body.against, actor=user)
    return BacktestPublic(**asdict(run))


@router.get("")
def read_backtests(
    database: DatabaseDep,
    _user: CurrentUser,
    policy: Annotated[str | None, Query(max_length=SLUG_LENGTH, pattern=SLUG_PATTERN)] = None,
) -> list[BacktestPublic]:
    """Backtests run so far, newest first."""
    return [BacktestPublic(**asdict(run)) for run in list_backtests(database, policy)]


@router.get("/{run_id}", responses={404: {"description": "No such backtest."}})
def read_backtest(run_id: RunId, database: DatabaseDep, _user: CurrentUser) -> BacktestPublic:
    return BacktestPublic(**asdict(get_backtest(database, run_id)))
