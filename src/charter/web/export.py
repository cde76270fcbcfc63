"""The charter and the handbook outside the server: a static site and a PDF.

Both render the templates the pages use (``public/_charter_body.html``,
``handbook/_document.html``), so an export says what the site says. The static
site is ``index.html`` (the public charter), ``handbook.html`` (staff handbook,
for an intranet) and ``static/`` (the stylesheets), working from files with no
server. The PDF (WeasyPrint) puts the charter and, unless left out, the handbook
in one document with a contents page and the version and content hash in every
page's footer.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

from charter.errors import NotFound
from charter.publish.public_page import PublicPage
from charter.services.handbook import handbook_context, read_handbook
from charter.services.public_charter import public_charter
from charter.store import Database
from charter.web.rendering import templates

STATIC = Path(__file__).parent / "static"
STYLES = ("charter.css", "public.css", "handbook.css")
NOTHING = "no policy is published yet, so there is no charter to export; publish a version first"
_IDS = re.compile(r'(\bid="|href="#)')
CHARTER_SECTIONS = (
    ("vision", "Our vision"), ("contact_points", "How to reach us"),
    ("expect-an-answer", "When you will hear from us"), ("service_levels", "Our promises"),
    ("delivery", "Delivery"), ("returns", "Returns and refunds"),
    ("complaints", "Complaints"), ("feedback", "Tell us what you think"),
)  # fmt: skip


def export_site(database: Database, folder: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Write the static site into ``folder``; the files written."""
    page = _page(database, now)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "static").mkdir(exist_ok=True)
    written = [shutil.copyfile(STATIC / name, folder / "static" / name) for name in STYLES]
    links = [("Customer charter", "index.html"), ("Staff handbook", "handbook.html")]
    shared = {"static_root": "static", "export": True, "export_links": links, "path": "/",
              "user": None, "csrf_token": ""}  # fmt: skip
    charter = _render("public/charter.html", {**shared, "page": page, "lang": page.lang})
    written.append(_write(folder / "index.html", charter))
    handbook = read_handbook(database)
    context = handbook_context(handbook) if handbook else {"handbook": None}
    written.append(_write(folder / "handbook.html",
                          _render("handbook/print.html", {**shared, **context})))  # fmt: skip
    return [Path(p) for p in written]


def render_pdf(
    database: Database, *, handbook: bool = True, now: dt.datetime | None = None
) -> bytes:
    """The charter (and the handbook, unless ``handbook`` is False) as PDF bytes."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    page = _page(database, now)
    book = read_handbook(database) if handbook else None
    book_context = handbook_context(book) if book else {"handbook": None}
    book_html = _render("handbook/_document.html", book_context) if book else ""
    context = {
        "page": page, "export": True, "charter_sections": _sections(page),
        "styles": "\n".join((STATIC / name).read_text("utf-8") for name in STYLES),
        "edition": _edition(page), "handbook": book_context["handbook"],
        "handbook_html": _IDS.sub(lambda m: f"{m.group(1)}hb-", book_html),
    }  # fmt: skip
    pdf: bytes = HTML(string=_render("export/document.html", context)).write_pdf()
    return pdf


def _page(database: Database, now: dt.datetime | None) -> PublicPage:
    page = public_charter(database, now=now)
    if page is None:
        raise NotFound(NOTHING)
    return page


def _sections(page: PublicPage) -> list[tuple[str, str]]:
    present = {
        "vision": bool(page.vision or page.principles), "contact_points": bool(page.contacts),
        "expect-an-answer": bool(page.answers), "service_levels": bool(page.promises),
        "delivery": bool(page.delivery), "returns": bool(page.returns),
        "complaints": bool(page.complaints), "feedback": True,
    }  # fmt: skip
    return [(anchor, heading) for anchor, heading in CHARTER_SECTIONS if present[anchor]]


def _edition(page: PublicPage) -> str:
    if page.edition is None:
        return f"{page.name} customer charter"
    return (f"{page.name}, version {page.edition.version}, content hash "
            f"{page.edition.content_hash[:16]}")  # fmt: skip


def _render(name: str, context: dict[str, Any]) -> str:
    return templates.env.get_template(name).render(context)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
