"""PDF downloads: ``GET /charter.pdf`` (public) and ``GET /handbook.pdf`` (staff).

Each is rendered once per published version and kept (``charter.services.documents``):
a download sends the kept file, so the first is as quick as the next.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from charter.services.publishing import export_pdf
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
    body = export_pdf(database, handbook=handbook)
    scope = "private" if handbook else "public"
    headers = {
        "Content-Disposition": f'inline; filename="{name}"',
        "Cache-Control": f"{scope}, max-age=300",
    }
    return Response(body, media_type="application/pdf", headers=headers)
