"""``POST /api/tickets/import``: upload helpdesk exports; upsert them into the store."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status

from charter.analytics.records import records
from charter.errors import UsageError
from charter.services.exports import Source, read_exports
from charter.services.tickets import import_tickets
from charter.web.deps import DatabaseDep, Manager, SettingsDep
from charter.web.schemas.tickets import ImportPublic

router = APIRouter(prefix="/tickets", tags=["tickets"])
SHOWN_REJECTS = 20
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    responses={400: {"description": "A file that cannot be read."}},
)
def import_exports(
    database: DatabaseDep,
    settings: SettingsDep,
    user: Manager,
    source: Annotated[Source, Form(description="Which helpdesk the files come from.")],
    files: Annotated[list[UploadFile], File(description="Export files: JSON pages, CSV.")],
    mapping: Annotated[UploadFile | None, File(description="Mapping file (YAML).")] = None,
    timezone: Annotated[
        str | None,
        Form(
            max_length=64,
            pattern=r"^[A-Za-z0-9_+/-]+$",
            description="IANA timezone of times written without an offset.",
        ),
    ] = None,
) -> ImportPublic:
    """Upsert the files' tickets by (source, id) in batches, then refresh their SLA state.

    Re-sending the same export changes nothing. Rows that cannot be read are
    listed (the first few) and counted; the rest are imported.
    """
    with tempfile.TemporaryDirectory(prefix="charter-import-") as folder:
        paths = [_save(upload, Path(folder), index) for index, upload in enumerate(files)]
        mapping_path = _save(mapping, Path(folder), len(paths)) if mapping else None
        result = read_exports(source, paths, mapping_file=mapping_path, timezone=timezone)
    summary = import_tickets(
        database,
        result,
        source=source.value,
        batch_size=settings.import_batch_size,
        user_id=user.id,
    )
    fields = asdict(summary)
    fields["sla"] = fields["sla"] | {"computed": summary.sla.computed}
    return ImportPublic(**fields, rejects=records(result.rejects.head(SHOWN_REJECTS)))


def _save(upload: UploadFile, folder: Path, index: int) -> Path:
    """The upload on disk under its own (cleaned) name, which importers read types from."""
    name = SAFE_NAME.sub("_", Path(upload.filename or "").name).strip("._")
    if not name:
        raise UsageError(f"file {index + 1}: give the upload a file name (e.g. tickets.json)")
    path = folder / f"{index:03d}-{name}"
    with path.open("wb") as target:
        shutil.copyfileobj(upload.file, target)
    return path
