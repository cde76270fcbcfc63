"""``POST /api/tickets/import``: upload helpdesk exports; upsert them into the store.

The sign-in and role are checked before a byte of the body is read: the route takes
no ``File``/``Form`` parameters (FastAPI would read and spool the whole upload before
its dependencies run) and parses the multipart body itself once ``Manager`` has let
the caller through. The body is capped by ``CHARTER_MAX_UPLOAD_BYTES``
(``charter.web.limits``). Uploads are saved in a temporary folder, one sub-folder per
file, and every message names a file by its own name, never by that folder.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import FormData, UploadFile

from charter.analytics.records import records
from charter.errors import CharterError, UsageError
from charter.services.accounts import Principal
from charter.services.helpdesk_files import Source, read_exports
from charter.services.tickets import import_tickets, refuse_while_importing
from charter.web.deps import DatabaseDep, Manager, SettingsDep
from charter.web.schemas.tickets import ImportPublic

router = APIRouter(prefix="/tickets", tags=["tickets"])
SHOWN_REJECTS = 20
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
TIMEZONE = r"^[A-Za-z0-9_+/-]+$"
MAX_FILES = 1000
MAX_FIELD_BYTES = 1024  # source and timezone are a few characters
FILE = {"type": "string", "contentMediaType": "application/octet-stream"}
UPLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["source", "files"],
    "properties": {
        "source": {"type": "string", "enum": [s.value for s in Source],
                   "description": "Which helpdesk the files come from."},
        "files": {"type": "array", "items": FILE,
                  "description": "Export files: JSON pages, CSV."},
        "mapping": {**FILE, "description": "Mapping file (YAML)."},
        "timezone": {"type": "string", "maxLength": 64, "pattern": TIMEZONE,
                     "description": "IANA timezone of times written without an offset."},
    },
}  # fmt: skip


class ImportFields(BaseModel):
    """The form's text fields."""

    source: Source
    timezone: Annotated[str | None, Field(max_length=64, pattern=TIMEZONE)] = None


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    responses={
        400: {"description": "A file that cannot be read."},
        409: {"description": "Another import is running; the message says since when."},
        413: {"description": "The body is larger than CHARTER_MAX_UPLOAD_BYTES."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": UPLOAD_SCHEMA}},
        },
    },  # fmt: skip
)
async def import_exports(
    request: Request, database: DatabaseDep, settings: SettingsDep, user: Manager
) -> ImportPublic:
    """Upsert the files' tickets by (source, id) in batches, then refresh their SLA state.

    Re-sending the same export changes nothing. Rows that cannot be read are
    listed (the first few) and counted; the rest are imported. One import runs at a
    time: a second one is answered 409.
    """
    await run_in_threadpool(refuse_while_importing, database)  # before reading the body
    form = await request.form(
        max_files=MAX_FILES, max_fields=MAX_FILES, max_part_size=MAX_FIELD_BYTES
    )
    try:
        fields, files, mapping = _read_form(form)
        return await run_in_threadpool(
            _import, database, settings.import_batch_size, user, fields, files, mapping
        )
    finally:
        await form.close()


def _read_form(form: FormData) -> tuple[ImportFields, list[UploadFile], UploadFile | None]:
    texts = {k: v for k, v in form.multi_items() if k in ("source", "timezone")}
    try:
        fields = ImportFields.model_validate(texts)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None
    files = form.getlist("files")
    mapping = form.get("mapping")
    if not files or not all(isinstance(f, UploadFile) for f in files):
        raise _missing("files", "give one or more export files as file parts")
    if mapping is not None and not isinstance(mapping, UploadFile):
        raise _missing("mapping", "give the mapping as a file part")
    return fields, [f for f in files if isinstance(f, UploadFile)], mapping


def _missing(field: str, problem: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", field), "msg": problem, "type": "missing"}])


def _import(
    database: DatabaseDep,
    batch_size: int,
    user: Principal,
    fields: ImportFields,
    files: list[UploadFile],
    mapping: UploadFile | None,
) -> ImportPublic:
    with tempfile.TemporaryDirectory(prefix="charter-import-") as folder:
        own_names = re.compile(re.escape(folder) + r"/\d{3}/")
        try:
            paths = [_save(upload, Path(folder), index) for index, upload in enumerate(files)]
            mapping_path = _save(mapping, Path(folder), len(paths)) if mapping else None
            source = fields.source
            result = read_exports(source, paths, mapping_file=mapping_path,
                                  timezone=fields.timezone)  # fmt: skip
            summary = import_tickets(database, result, source=source.value,
                                     batch_size=batch_size, user_id=user.id)  # fmt: skip
        except CharterError as error:
            error.args = (_own_names(str(error), own_names, folder),)
            raise
        rejects = [
            {k: _own_names(v, own_names, folder) if isinstance(v, str) else v for k, v in r.items()}
            for r in records(result.rejects.head(SHOWN_REJECTS))
        ]
    fields_out = asdict(summary)
    fields_out["sla"] = fields_out["sla"] | {"computed": summary.sla.computed}
    return ImportPublic(**fields_out, rejects=rejects)


def _own_names(text: str, own_names: re.Pattern[str], folder: str) -> str:
    """``text`` with each saved file's path turned back into the upload's own name."""
    return own_names.sub("", text).replace(folder, "<upload>")


def _save(upload: UploadFile, folder: Path, index: int) -> Path:
    """The upload on disk under its own (cleaned) name, which importers read types from."""
    name = SAFE_NAME.sub("_", Path(upload.filename or "").name).strip("._")
    if not name:
        raise UsageError(f"file {index + 1}: give the upload a file name (e.g. tickets.json)")
    path = folder / f"{index:03d}" / name
    path.parent.mkdir()
    with path.open("wb") as target:
        shutil.copyfileobj(upload.file, target)
    return path
