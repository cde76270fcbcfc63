"""``GET /api/outbox`` and ``POST /api/outbox/retry``: the escalation messages' outbox.

Managers and admins list its messages by state (dead letters by default) and put dead
letters back in line; the worker tries each again at its next tick.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from charter.errors import InvalidInput
from charter.services.outbox import MAX_LISTED, messages, retry_dead
from charter.web.deps import DatabaseDep, Manager
from charter.web.schemas.outbox import (
    KeptDeadPublic,
    OutboxListPublic,
    OutboxMessagePublic,
    OutboxRetriedPublic,
    OutboxRetryCreate,
)

router = APIRouter(tags=["outbox"])


@router.get("/outbox")
def list_outbox(
    database: DatabaseDep,
    _user: Manager,
    state: Annotated[
        Literal["dead", "pending", "sent"], Query(description="Which messages to list.")
    ] = "dead",
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED, description="At most this many.")] = 100,
) -> OutboxListPublic:
    """The messages in one state: dead letters newest first, pending ones in the order
    they will be tried, sent ones newest first."""
    listing = messages(database, state, limit)
    found = [OutboxMessagePublic(**asdict(m)) for m in listing.messages]
    return OutboxListPublic(
        state=listing.state, total=listing.total, limit=listing.limit, messages=found
    )


@router.post(
    "/outbox/retry",
    responses={404: {"description": "An id names no message."},
               409: {"description": "An id names a message that is not a dead letter."}},
)  # fmt: skip
def retry_outbox(
    body: OutboxRetryCreate, database: DatabaseDep, user: Manager
) -> OutboxRetriedPublic:
    """Put dead letters (``ids``, or ``all``) back in line with a fresh set of tries; the
    ticket's audit trail names who asked. Ids that are not dead letters are refused
    together, and nothing is retried."""
    if (body.ids is not None) == body.every:
        raise InvalidInput(
            'name the dead letters to retry as {"ids": [...]} or send {"all": true}, '
            "not both and not neither",
            [{"field": "ids", "problem": "give ids or all"}],
        )
    done = retry_dead(database, None if body.every else body.ids, who=f"{user.name} <{user.email}>")
    kept = [KeptDeadPublic(id=i, reason=why) for i, why in done.kept.items()]
    return OutboxRetriedPublic(retried=done.retried, kept=kept)
