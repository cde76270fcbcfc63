"""``GET /api/health``: is the app up and its database reachable."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from charter import __version__
from charter.web.deps import DatabaseDep

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health")
def health(database: DatabaseDep) -> HealthPublic:
    """Up, with the database it uses (and whether its schema is current)."""
    database.check_migrated()
    return HealthPublic(status="ok", version=__version__, database=database.dialect)
