"""The charter and the handbook outside the server: a static site (and a PDF).

The site and the PDF (``charter.publish.pdf``) render the templates the pages use
(``public/_charter_body.html``, ``handbook/_document.html``, in
``charter.publish.templating``), so an export says what the site says. They take what
is already read: the public page (``PublicPage``) and the handbook's template context
(``charter.services.handbook.handbook_context``, or None when there is no handbook).
The static site is ``index.html`` (the public charter), ``handbook.html`` (staff
handbook, for an intranet) and ``static/`` (the stylesheets), working from files with
no server.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import Any

import jinja2

from charter.publish.public_page import PublicPage
from charter.publish.templating import STATIC, environment

Context = dict[str, Any]
STYLES = ("charter.css", "public.css", "handbook.css")


def write_site(folder: Path, page: PublicPage, handbook: Context | None) -> list[Path]:
    """Write the static site into ``folder``; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    written = [shutil.copyfile(STATIC / name, folder / "static" / name) for name in STYLES]
    links = [("Customer charter", "index.html"), ("Staff handbook", "handbook.html")]
    shared = {"static_root": "static", "export": True, "export_links": links, "path": "/",
              "user": None, "csrf_token": ""}  # fmt: skip
    charter = _render("public/charter.html", {**shared, "page": page, "lang": page.lang})
    written.append(_write(folder / "index.html", charter))
    book = handbook or {"handbook": None}
    written.append(
        _write(folder / "handbook.html", _render("handbook/print.html", {**shared, **book}))
    )
    return [Path(p) for p in written]


@functools.cache
def _environment() -> jinja2.Environment:
    return environment()


def _render(name: str, context: Context) -> str:
    return _environment().get_template(name).render(context)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
