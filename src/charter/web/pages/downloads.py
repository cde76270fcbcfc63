"""PDF downloads: ``GET /charter.pdf`` (public) and ``GET /handbook.pdf`` (staff).

Rendering a PDF takes seconds, so each is kept for the hour it was made in, per
published version: a new publish or the next hour renders it afresh.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from fastapi import APIRouter, Response

from charter.errors import NotFound
from charter.services.lifecycle import operating_version
from charter.services.publishing import NOTHING_TO_EXPORT, export_pdf
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.rendering import StaffUser

router = APIRouter(include_in_schema=False)


@router.get("/charter.pdf")
def charter_pdf(database: DatabaseDep) -> Response:
    """The public charter as PDF."""
    return _pdf(database, handbook=False, name="charter.pdf")


@router.get("/handbook.pdf")
def handbook_pdf(database: DatabaseDep, who: StaffUser) -> Response:
    """The charter and the staff handbook as one PDF, for signed-in staff."""
    return _pdf(database, handbook=True, name="handbook.pdf")


def _pdf(database: Database, *, handbook: bool, name: str) -> Response:
    version = operating_version(database)
    if version is None:
        raise NotFound(NOTHING_TO_EXPORT)
    hour = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    body = _cached(database, version.id, handbook, hour)
    scope = "private" if handbook else "public"
    headers = {
        "Content-Disposition": f'inline; filename="{name}"',
        "Cache-Control": f"{scope}, max-age=300",
    }
    return Response(body, media_type="application/pdf", headers=headers)


@lru_cache(maxsize=8)
def _cached(database: Database, version_id: int, handbook: bool, hour: dt.datetime) -> bytes:
    return export_pdf(database, handbook=handbook)
