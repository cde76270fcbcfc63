"""``/api/training`` for managers: the results (JSON and CSV), the learning records as
xAPI statements, and an account's training profile (docs/training.md, docs/api.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from charter import clock
from charter.errors import NotFound
from charter.services import training
from charter.store import Database
from charter.web.deps import DatabaseDep, Manager, SettingsDep
from charter.web.schemas.training import (
    PRINTABLE,
    ROLE_LENGTH,
    TEAM_LENGTH,
    ClausePublic,
    PersonPublic,
    ResultsPublic,
    TeamPublic,
    TrainingProfilePublic,
    TrainingProfileUpdate,
)

router = APIRouter(tags=["training"])
UserId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The account's id.")]
Team = Annotated[
    str | None, Query(max_length=TEAM_LENGTH, pattern=PRINTABLE, description="Only this team.")
]
Role = Annotated[
    str | None,
    Query(max_length=ROLE_LENGTH, pattern=PRINTABLE, description="Only this staff role."),
]
State = Annotated[
    str | None,
    Query(max_length=20, description=f"Only people in this state: {', '.join(training.STATES)}."),
]
CSV_NAME = "training-results.csv"


def _results(
    database: Database, team: str | None, role: str | None, state: str | None
) -> training.Results:
    return training.results(database, team=team or None, role=role or None, state=state or None)


@router.get("/training/results")
def read_results(
    database: DatabaseDep,
    _user: Manager,
    team: Team = None,
    role: Role = None,
    state: State = None,
) -> ResultsPublic:
    """The managers' figures for the people the filters keep: each person's standing,
    each clause's share of people who answered it wrong, each team's completion."""
    found = _results(database, team, role, state)
    return ResultsPublic(
        people=[PersonPublic(**asdict(p)) for p in found.people],
        clauses=[ClausePublic(**asdict(c), share_wrong=c.share_wrong) for c in found.clauses],
        teams=[TeamPublic(**asdict(t), completion=t.completion) for t in found.teams],
    )


@router.get(
    "/training/results.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row a person."}},
)
def read_results_csv(
    database: DatabaseDep,
    _user: Manager,
    team: Team = None,
    role: Role = None,
    state: State = None,
) -> Response:
    """The people the filters keep as CSV (columns as in docs/training.md)."""
    text = training.results_csv(_results(database, team, role, state))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{CSV_NAME}"'},
    )


@router.get(
    "/training/statements",
    responses={409: {"description": "CHARTER_BASE_URL is not set, or is not an address."}},
)
def read_statements(
    database: DatabaseDep, settings: SettingsDep, _user: Manager
) -> list[dict[str, Any]]:
    """Every acknowledgment, answer and finished quiz as an xAPI statement, oldest
    first, with activity ids under CHARTER_BASE_URL."""
    return training.statements(database, settings.base_url)


@router.put(
    "/users/{user_id}/training-profile",
    responses={
        404: {"description": "No active account."},
        422: {"description": "An unknown role, channel or manager."},
    },
)
def put_profile(
    user_id: UserId, body: TrainingProfileUpdate, database: DatabaseDep, _user: Manager
) -> TrainingProfilePublic:
    """Write what training needs to know about an account (every field; null clears)."""
    training.set_profile(
        database,
        user_id,
        policy_role=body.policy_role or None,
        channels=body.channels,
        team=body.team or None,
        manager_id=body.manager_id,
        started_on=body.started_on,
    )
    found = training.standings(database, clock.now(), [user_id])
    profile = found[0].profile if found else None
    if profile is None:
        raise NotFound(f"no active account {user_id}")
    return TrainingProfilePublic(
        user_id=user_id,
        policy_role=profile.policy_role,
        channels=list(profile.channels or []),
        team=profile.team,
        manager_id=profile.manager_id,
        started_on=profile.started_on,
    )
