"""``/api/what-if``: one promise's time or share tried on the last twelve months of
stored tickets, beside today's (docs/review.md, "Live what-if")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from charter.services.lifecycle import SLUG_LENGTH, SLUG_PATTERN
from charter.services.whatif import Answer, try_promise
from charter.web.deps import DatabaseDep, Manager
from charter.web.schemas.whatif import WhatIfMonth, WhatIfPublic

router = APIRouter(tags=["what-if"])
Text = Annotated[str, Query(max_length=40)]


@router.get(
    "/what-if",
    responses={
        404: {"description": "No such policy or version."},
        409: {"description": "No version is in force and none was named."},
        422: {"description": "Unknown rule or metric, a bad time or share."},
    },
)
def read_what_if(
    database: DatabaseDep,
    _user: Manager,
    rule_id: Annotated[str, Query(min_length=1, max_length=64)],
    metric: Annotated[str, Query(min_length=1, max_length=64)],
    within: Text = "",
    attainment: Text = "",
    policy: Annotated[str | None, Query(max_length=SLUG_LENGTH, pattern=SLUG_PATTERN)] = None,
    version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> WhatIfPublic:
    """The share of tickets that would have met rule ``rule_id``'s ``metric`` with
    ``within`` (4h, 90m, 10wd) and/or ``attainment`` (per cent) changed, against
    today's; for the version in force, or version ``version`` of ``policy``."""
    answer = try_promise(
        database, rule_id, metric, within=within, attainment=attainment,
        slug=policy, number=version,
    )  # fmt: skip
    return public(answer)


def public(answer: Answer) -> WhatIfPublic:
    """The API's body for an answer."""
    months = [WhatIfMonth(month=m, share_now=a, share_then=b) for m, a, b in answer.by_month]
    return WhatIfPublic(
        policy=answer.slug, version=answer.number, rule_id=answer.rule_id,
        metric=answer.metric, tickets=answer.tickets, within_now=answer.within_now,
        within_then=answer.within_then, attainment_now=answer.attainment_now,
        attainment_then=answer.attainment_then, met_now=answer.met_now,
        decided_now=answer.decided_now, met_then=answer.met_then,
        decided_then=answer.decided_then, share_now=answer.share_now,
        share_then=answer.share_then, change=answer.change, kept_now=answer.kept_now,
        kept_then=answer.kept_then, headline=answer.headline, detail=answer.detail,
        verdict=answer.verdict, by_month=months, reading_newer=answer.reading_newer,
    )  # fmt: skip
