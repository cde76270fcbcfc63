"""``GET /api/health``: is the app up, its database reachable, and the workers ticking.

It needs no sign-in, so a monitor can poll it, and answers in two forms:

- **anonymous** (``"detail": "summary"``): the status, the database, each worker's
  seconds since its last tick, how long that tick took and whether something failed in
  it, the largest of those seconds, and the outbox's counts and oldest undelivered
  message. No worker's name (host and process id), no error text, no version: what a
  monitor needs, nothing that maps the inside of the system.
- **signed in** (a staff session or an API token, ``"detail": "full"``): besides, the
  version and each worker's name, start, last tick, ticks and ``last_error``.

A bearer token that is unknown or revoked is refused (401) rather than answered in
the short form, so a monitor with a bad token learns of it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from charter import __version__
from charter.errors import AuthError
from charter.services.outbox import Health
from charter.services.outbox import health as outbox_health
from charter.store import Database
from charter.web.deps import DatabaseDep, bearer, current_user
from charter.web.schemas.outbox import OldestUndeliveredPublic, OutboxHealthPublic, WorkerPublic

router = APIRouter(tags=["health"])

LARGEST = "Seconds since the last tick of the worker heard from longest ago; null with none."


class WorkerSummaryPublic(BaseModel):
    seconds_ago: float = Field(description="Seconds from its last tick to this answer.")
    tick_seconds: float = Field(description="How long its last tick took.")
    failed: bool = Field(description="Something failed in its last tick (what: signed in).")


class HealthSummaryPublic(BaseModel):
    """What anyone may read: enough to alert on, nothing that names a host or an error."""

    detail: Literal["summary"]
    status: str
    database: str
    workers: list[WorkerSummaryPublic] = Field(description="Each worker, latest tick first.")
    largest_seconds_ago: float | None = Field(description=LARGEST)
    outbox: OutboxHealthPublic


class HealthPublic(BaseModel):
    """What signed-in staff and API tokens read."""

    detail: Literal["full"]
    status: str
    version: str
    database: str
    workers: list[WorkerPublic] = Field(description="Each worker's last tick, latest first.")
    largest_seconds_ago: float | None = Field(description=LARGEST)
    outbox: OutboxHealthPublic


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
HealthAnswer = Annotated[HealthPublic | HealthSummaryPublic, Field(discriminator="detail")]


@router.get("/health", response_model=HealthAnswer)
def health(
    request: Request, database: DatabaseDep, credentials: Credentials
) -> HealthPublic | HealthSummaryPublic:
    """Up, with the database it uses (and whether its schema is current), the workers'
    last ticks and the outbox's oldest undelivered message; names and errors only to
    signed-in staff and API tokens."""
    database.check_migrated()
    seen = outbox_health(database)
    outbox = _outbox(seen)
    largest = max((w.seconds_ago for w in seen.workers), default=None)
    if not _known(request, database, credentials):
        return HealthSummaryPublic(
            detail="summary",
            status="ok",
            database=database.dialect,
            workers=[
                WorkerSummaryPublic(
                    seconds_ago=w.seconds_ago,
                    tick_seconds=w.tick_seconds,
                    failed=w.last_error is not None,
                )
                for w in seen.workers
            ],
            largest_seconds_ago=largest,
            outbox=outbox,
        )
    return HealthPublic(
        detail="full",
        status="ok",
        version=__version__,
        database=database.dialect,
        workers=[WorkerPublic(**asdict(w)) for w in seen.workers],
        largest_seconds_ago=largest,
        outbox=outbox,
    )


def _known(
    request: Request, database: Database, credentials: HTTPAuthorizationCredentials | None
) -> bool:
    """Whether the caller is signed-in staff or sends a live API token. A sign-in
    cookie that has ended reads as anonymous; a bad token is refused (401)."""
    try:
        current_user(request, database, credentials)
    except AuthError:
        if credentials is not None:
            raise
        return False
    return True


def _outbox(seen: Health) -> OutboxHealthPublic:
    oldest = None
    if seen.oldest_undelivered_at is not None and seen.oldest_undelivered_seconds is not None:
        oldest = OldestUndeliveredPublic(
            created_at=seen.oldest_undelivered_at, age_seconds=seen.oldest_undelivered_seconds
        )
    return OutboxHealthPublic(counts=seen.counts, oldest_undelivered=oldest)
