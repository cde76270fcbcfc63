"""The outbox page for managers and admins: ``GET /outbox`` and ``POST /outbox/retry``.

It lists the dead letters (escalation messages that failed their last try, or met a
failure no try gets past), each with a Retry button, and a "Retry all" button; above
them, how many messages are still waiting and how old the oldest is, linked to the
list of exactly those (``?state=pending``). Retrying is a form (with its CSRF token)
that comes back to the list saying what was done; a refused retry (a message another
manager retried first) shows the list again with the reason.

>>> retry_notice(2, 0)
'Retried 2 messages: the worker tries them again at its next tick.'
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import figures
from charter.errors import CharterError, InvalidInput
from charter.services.accounts import Principal, Role
from charter.services.outbox import health, messages, retry_dead
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.rendering import page_user, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, page_user(Role.admin, Role.manager)]
FormText = Annotated[str, Form()]
PER_PAGE = 100
SHOWN = ("dead", "pending")  # the lists this page shows
_NUMBER = re.compile(r"[0-9]{1,9}")


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(
    request: Request,
    database: DatabaseDep,
    who: Manager,
    state: str = "dead",
    page: str = "1",
    retried: str = "",
    kept: str = "",
) -> Response:
    """The dead letters (or, with ``?state=pending``, the messages still waiting)."""
    notice = ""
    if _NUMBER.fullmatch(retried):
        notice = retry_notice(int(retried), int(kept) if _NUMBER.fullmatch(kept) else 0)
    return outbox_view(request, database, who, state=state, page=page, notice=notice)


def outbox_view(
    request: Request,
    database: Database,
    who: Principal,
    *,
    state: str = "dead",
    page: str = "1",
    notice: str = "",
    problem: str = "",
    status: int = 200,
) -> HTMLResponse:
    """The page, with a ``notice`` of what was done or the ``problem`` a request met."""
    seen = health(database)
    context: dict[str, Any] = {
        "state": state, "notice": notice, "problem": problem, "figures": figures,
        "pending": seen.counts["pending"], "dead": seen.counts["dead"],
        "oldest": seen.oldest_undelivered_seconds, "listing": None,
    }  # fmt: skip
    try:
        if state not in SHOWN:
            raise InvalidInput(
                f"state {state[:20]!r} is not a list this page shows; use dead or pending",
                [{"field": "state", "problem": "not dead or pending"}],
            )
        number = int(page) if _NUMBER.fullmatch(page) else 0
        context["listing"] = messages(database, state, PER_PAGE, number)
    except InvalidInput as error:
        context["problem"] = str(error)
        status = 422
    return render(request, "outbox/outbox.html", context, user=who, status=status)


def retry_notice(count: int, kept: int) -> str:
    """What a retry did, in words."""
    words = (
        f"Retried {figures.count(count)} message{'s' if count != 1 else ''}: the worker tries "
        f"{'them' if count != 1 else 'it'} again at its next tick."
        if count
        else "Nothing was retried."
    )
    if kept:
        words += (
            f" Kept dead: {figures.count(kept)} message{'s' if kept != 1 else ''} to a role "
            "that still has no e-mail address (listed below); "
            "add email: to the role under staff.roles in the policy, publish it, then retry."
        )
    return words


@router.post("/outbox/retry", response_class=HTMLResponse)
def retry_page(
    request: Request,
    database: DatabaseDep,
    who: Manager,
    id: FormText = "",  # noqa: A002 - the form field's name
    every: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Retry one dead letter (``id``) or all of them (``every``), then show the list."""
    check_csrf(request, csrf_token)
    try:
        if not every and not _NUMBER.fullmatch(id):
            raise InvalidInput("choose a dead letter's Retry button, or Retry all",
                               [{"field": "id", "problem": "not a message id"}])  # fmt: skip
        done = retry_dead(database, None if every else [int(id)], who=f"{who.name} <{who.email}>")
    except CharterError as error:
        return outbox_view(request, database, who, problem=str(error), status=status_of(error))
    kept = len(done.kept)  # a count, not the ids: "Retry all" may keep thousands
    target = f"/outbox?retried={len(done.retried)}" + (f"&kept={kept}" if kept else "")
    return RedirectResponse(target, status_code=303)
