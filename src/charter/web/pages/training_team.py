"""The managers' training page: ``GET /training/team``, its CSV ``/training/team.csv``
and the profile form ``POST /training/team/profile``.

Filters (``team``, ``role``, ``state``) are the URL's query, and every link keeps them.
The page shows one line per person (the version asked, why, the deadline, when they
acknowledged and passed, attempts, best score, the sections read, the state), the
clauses people got wrong (the share of the people who answered a clause who got it
wrong, worst first, each linked to the handbook), and each team's completion. The count
of people links to the CSV of exactly those people (``results_csv``). Managers write
each person's training profile with a small form; a refused one shows the page again
with the service's message.

>>> query({"team": "UK care", "role": "", "state": "overdue"})
'team=UK+care&state=overdue'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import clock, figures
from charter.errors import InvalidInput, NotFound
from charter.policy.schema import Policy
from charter.services.accounts import Principal
from charter.services.lifecycle import operating_version
from charter.services.training import STATES, Results, results, results_csv, set_profile, standings
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._training_view import STATE_WORDS, day, times_of, whole_number
from charter.web.rendering import ManagerUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query()]
FormText = Annotated[str, Form()]
FILTERS = ("team", "role", "state")
LONGEST = 64  # the longest team name a filter or profile takes


def query(filters: Mapping[str, str]) -> str:
    """The URL query of the filters that are set, in the page's order."""
    return urlencode([(key, filters[key]) for key in FILTERS if filters.get(key)])


@router.get("/training/team", response_class=HTMLResponse)
def team_page(
    request: Request, database: DatabaseDep, who: ManagerUser, team: Text = None,
    role: Text = None, state: Text = None, saved: Text = None,
) -> Response:  # fmt: skip
    """Who stands where, which clauses people get wrong, each team's completion."""
    filters = _filters(team, role, state)
    notice = ""
    if saved:
        names = {s.user.id: s.user.name for s in standings(database, clock.now())}
        name = names.get(_id_or_zero(saved))
        notice = f"Saved {name}’s training profile." if name else ""
    return team_view(request, database, who, filters, notice=notice)


@router.get("/training/team.csv")
def team_csv(
    database: DatabaseDep, who: ManagerUser, team: Text = None, role: Text = None,
    state: Text = None,
) -> Response:  # fmt: skip
    """The people the filters keep, as CSV: as many rows as the page counts."""
    found = _results(database, _filters(team, role, state))
    headers = {"Content-Disposition": 'attachment; filename="training.csv"',
               "Cache-Control": "private, no-store"}  # fmt: skip
    return Response(results_csv(found), media_type="text/csv; charset=utf-8", headers=headers)


def team_view(
    request: Request, database: Database, who: Principal, filters: dict[str, str], *,
    notice: str = "", problem: str = "", editing: int | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The page for ``filters``; ``editing`` keeps that person's profile form open."""
    live = operating_version(database)
    policy = live.policy() if live is not None else None
    everyone = standings(database, clock.now())
    context: dict[str, Any] = {
        "filters": filters, "query": query(filters), "notice": notice, "problem": problem,
        "editing": editing, "states": STATES, "state_words": STATE_WORDS, "figures": figures,
        "times": times_of(policy), "found": None, "people_all": everyone,
        "profiles": {s.user.id: s.profile for s in everyone},
        "teams": sorted({s.profile.team for s in everyone if s.profile and s.profile.team}),
        **_policy_choices(policy),
    }  # fmt: skip
    try:
        context["found"] = _results(database, filters)
    except InvalidInput as error:
        context["problem"] = problem or str(error)
        status = 422
    return render(request, "training/team.html", context, user=who, status=status)


def _results(database: Database, filters: dict[str, str]) -> Results:
    return results(database, team=filters["team"] or None, role=filters["role"] or None,
                   state=filters["state"] or None)  # fmt: skip


def _policy_choices(policy: Policy | None) -> dict[str, Any]:
    """The policy's staff roles (id, name) and the channels of its contact points."""
    if policy is None:
        return {"roles": [], "channels": []}
    roles = [(r.id, r.name) for r in policy.staff.roles] if policy.staff else []
    channels = sorted({p.channel for p in policy.contact_points})
    return {"roles": roles, "channels": channels}


def _filters(team: str | None, role: str | None, state: str | None) -> dict[str, str]:
    given = {"team": team, "role": role, "state": state}
    filters = {key: (value or "").strip() for key, value in given.items()}
    for key, value in filters.items():
        if len(value) > LONGEST or not value.isprintable():
            raise InvalidInput(
                f"the {key} filter must be at most {LONGEST} printable characters; choose "
                "one from the form",
                [{"field": key, "problem": "too long or not printable"}],
            )
    return filters


def _id_or_zero(value: str) -> int:
    try:
        return whole_number("saved", value)
    except InvalidInput:
        return 0


@router.post("/training/team/profile", response_class=HTMLResponse)
def profile_page(
    request: Request, database: DatabaseDep, who: ManagerUser, user_id: FormText = "",
    policy_role: FormText = "", channels: Annotated[list[str] | None, Form()] = None,
    team: FormText = "", manager_id: FormText = "", started_on: FormText = "",
    back: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    """Write one person's training profile, then show the page again (its filters kept
    in ``back``, a query string)."""
    check_csrf(request, csrf_token)
    filters = _back(back)
    person = _id_or_zero(user_id)
    try:
        if len(team) > LONGEST:
            raise InvalidInput(f"team: at most {LONGEST} characters",
                               [{"field": "team", "problem": "too long"}])  # fmt: skip
        set_profile(database, whole_number("user_id", user_id),
                    policy_role=policy_role.strip() or None, channels=channels or [],
                    team=team.strip() or None,
                    manager_id=whole_number("manager_id", manager_id) if manager_id else None,
                    started_on=day("started_on", started_on))  # fmt: skip
    except (InvalidInput, NotFound) as error:
        return team_view(request, database, who, filters, problem=str(error),
                         editing=person, status=status_of(error))  # fmt: skip
    target = "/training/team?" + "&".join(p for p in (query(filters), f"saved={person}") if p)
    return RedirectResponse(target, status_code=303)


def _back(back: str) -> dict[str, str]:
    """The filters a profile form carried back, or none when they do not read."""
    given = {key: values[0] for key, values in parse_qs(back[:500]).items() if values}
    try:
        return _filters(given.get("team"), given.get("role"), given.get("state"))
    except InvalidInput:
        return _filters(None, None, None)
