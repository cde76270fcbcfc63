"""The live what-if page for managers and admins: ``GET /what-if``.

It lists each promise (rule x metric) of the version in force, or of the version
``?policy=slug&version=N`` (a draft in the editor), with its target and today's share
of the last twelve months' tickets. Each promise has a form (GET, no script needed)
to try another time or share; the answer shows under it ("74.1 % → 81.3 %, +7.2
points"). With JavaScript, ``/static/whatif.js`` asks ``GET /api/what-if`` as the
inputs change and shows the same words at once. Agents are refused: trying promises
is part of writing them, which managers and admins do. A bad input comes back as the
page with the message under the promise it was for (422).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from charter import figures
from charter.errors import CharterError, InvalidInput
from charter.policy.service_level import METRIC_WORDS
from charter.services.accounts import Principal, Role
from charter.services.whatif import Answer, WhatIfView, try_promise, whatif_view
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.rendering import page_user, render

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, page_user(Role.admin, Role.manager)]
_NUMBER = re.compile(r"[0-9]{1,9}")
LONGEST = 64  # characters kept of any field echoed back into the page


@router.get("/what-if", response_class=HTMLResponse)
def whatif_page(
    request: Request,
    database: DatabaseDep,
    who: Manager,
    policy: str = "",
    version: str = "",
    rule_id: str = "",
    metric: str = "",
    within: str = "",
    attainment: str = "",
) -> Response:
    """Every promise with today's share; the one tried (``rule_id``, ``metric``) with
    its answer for ``within`` and/or ``attainment``."""
    tried = {"rule_id": rule_id[:LONGEST], "metric": metric[:LONGEST],
             "within": within[:LONGEST], "attainment": attainment[:LONGEST]}  # fmt: skip
    context: dict[str, Any] = {"view": None, "answer": None, "problem": "", "tried": tried,
                               "figures": figures, "metric_words": METRIC_WORDS}  # fmt: skip
    status = 200
    try:
        slug, number = _which(policy, version)
        context["view"] = view = whatif_view(database, slug, number)
        if rule_id or metric:
            context["answer"] = _try(database, view, tried)
    except CharterError as error:
        context["problem"] = str(error)
        status = status_of(error)
    view = context["view"]
    # A refused try is told under its promise when there is one, else above them all.
    context["problem_here"] = view is not None and any(
        (p.rule_id, p.metric) == (tried["rule_id"], tried["metric"]) for p in view.promises
    )
    return render(request, "whatif/whatif.html", context, user=who, status=status)


def _which(policy: str, version: str) -> tuple[str | None, int | None]:
    if version and not _NUMBER.fullmatch(version):
        raise InvalidInput(
            f"version: {version[:20]!r} is not a version number; give one such as 2",
            [{"field": "version", "problem": "not a number"}],
        )
    return policy.strip()[:LONGEST] or None, int(version) if version else None


def _try(database: Any, view: WhatIfView, tried: dict[str, str]) -> Answer:
    return try_promise(
        database, tried["rule_id"], tried["metric"], within=tried["within"],
        attainment=tried["attainment"], slug=view.slug, number=view.number,
    )  # fmt: skip
