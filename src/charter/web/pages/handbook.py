"""The staff handbook: ``GET /handbook``, ``GET /handbook/print``, ``GET /handbook/search``.

Any signed-in staff member reads the published version of the operating policy,
or another version of it with ``?version=N``: every section and clause with its id
and anchor (``/handbook#service_levels.rules.sl-email-high``), as a sentence with its
fields one click away, and the version that last changed it, linked to that change
in the diff. ``/handbook/print`` is the same document without navigation, for
paper; ``/handbook/search?q=...`` finds clauses holding any of the words, those
holding the most first.

>>> version_number(None), version_number(" 3 ")
(None, 3)
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from charter.errors import InvalidInput
from charter.services.accounts import Principal
from charter.services.handbook import (
    handbook_context,
    read_handbook,
    search_handbook,
    section_heading,
)
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.rendering import page_user, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query()]
Staff = Annotated[Principal, page_user()]  # any signed-in staff role
NUMBER_DIGITS = 9


def version_number(value: str | None) -> int | None:
    """The ``version`` of the URL as a number; a clear message when it is not one."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > NUMBER_DIGITS:
        shown = text[:20] + ("…" if len(text) > 20 else "")
        raise InvalidInput(
            f"version: {shown!r} is not a version number; write a whole number such as 2, "
            "or leave it out for the published version",
            [{"field": "version", "problem": "not a version number"}],
        )
    return int(text)


@router.get("/handbook", response_class=HTMLResponse)
def handbook_page(
    request: Request, database: DatabaseDep, who: Staff, version: Text = None
) -> Response:
    """The handbook of the published version (or ``?version=N``) of the operating policy."""
    return _handbook(request, database, who, version, "handbook/page.html")


@router.get("/handbook/print", response_class=HTMLResponse)
def handbook_print(
    request: Request, database: DatabaseDep, who: Staff, version: Text = None
) -> Response:
    """The same handbook as one printable document, without navigation."""
    return _handbook(request, database, who, version, "handbook/print.html")


def _handbook(
    request: Request, database: Database, who: Principal, version: str | None, template: str
) -> Response:
    handbook = read_handbook(database, version_number(version))
    context = handbook_context(handbook, diff_links=True) if handbook else {"handbook": None}
    return render(request, template, context, user=who)


@router.get("/handbook/search", response_class=HTMLResponse)
def handbook_search(
    request: Request,
    database: DatabaseDep,
    who: Staff,
    q: Text = None,
    version: Text = None,
) -> Response:
    """Clauses holding any word of ``q``, the most first, with the words highlighted."""
    results = search_handbook(database, q or "", version_number(version))
    context = {"results": results, "section_heading": section_heading}
    return render(request, "handbook/search.html", context, user=who)
