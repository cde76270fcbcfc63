"""``GET /api/health``: is the app up, its database reachable, and the workers ticking.

Besides the version and the database, it reports each worker's last tick (how long
ago, how long it took, what failed) and the outbox: the oldest undelivered message
and how old it is, and the messages by state. It needs no sign-in, so a monitor can
poll it.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import BaseModel, Field

from charter import __version__
from charter.services.outbox import health as outbox_health
from charter.web.deps import DatabaseDep
from charter.web.schemas.outbox import OldestUndeliveredPublic, OutboxHealthPublic, WorkerPublic

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str
    workers: list[WorkerPublic] = Field(description="Each worker's last tick, latest first.")
    outbox: OutboxHealthPublic


@router.get("/health")
def health(database: DatabaseDep) -> HealthPublic:
    """Up, with the database it uses (and whether its schema is current), the workers'
    last ticks and the outbox's oldest undelivered message."""
    database.check_migrated()
    seen = outbox_health(database)
    oldest = None
    if seen.oldest_undelivered_at is not None and seen.oldest_undelivered_seconds is not None:
        oldest = OldestUndeliveredPublic(
            created_at=seen.oldest_undelivered_at, age_seconds=seen.oldest_undelivered_seconds
        )
    return HealthPublic(
        status="ok",
        version=__version__,
        database=database.dialect,
        workers=[WorkerPublic(**asdict(w)) for w in seen.workers],
        outbox=OutboxHealthPublic(counts=seen.counts, oldest_undelivered=oldest),
    )
