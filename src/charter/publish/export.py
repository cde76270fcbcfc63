"""The charter and the handbook outside the server: a static site and a PDF.

Both render the templates the pages use (``public/_charter_body.html``,
``handbook/_document.html``, in ``charter.publish.templating``), so an export says what
the site says. They take what is already read: the public page (``PublicPage``) and
the handbook's template context (``charter.services.handbook.handbook_context``, or
None when there is no handbook). The static site is ``index.html`` (the public
charter), ``handbook.html`` (staff handbook, for an intranet) and ``static/`` (the
stylesheets), working from files with no server. The PDF (WeasyPrint) puts the charter
and, when given, the handbook in one document with a contents page and the version and
content hash in every page's footer.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from typing import Any

import jinja2

from charter.publish.public_page import PublicPage
from charter.publish.templating import STATIC, environment

Context = dict[str, Any]
STYLES = ("charter.css", "public.css", "handbook.css")
_IDS = re.compile(r'(\bid="|href="#)')
CHARTER_SECTIONS = (
    ("vision", "Our vision"), ("contact_points", "How to reach us"),
    ("expect-an-answer", "When you will hear from us"), ("service_levels", "Our promises"),
    ("delivery", "Delivery"), ("returns", "Returns and refunds"),
    ("complaints", "Complaints"), ("feedback", "Tell us what you think"),
)  # fmt: skip


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


def render_pdf(page: PublicPage, handbook: Context | None) -> bytes:
    """The charter, and the handbook when given, as PDF bytes."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    book_html = _render("handbook/_document.html", handbook) if handbook else ""
    context = {
        "page": page, "export": True, "charter_sections": _sections(page),
        "styles": "\n".join((STATIC / name).read_text("utf-8") for name in STYLES),
        "edition": _edition(page), "handbook": handbook["handbook"] if handbook else None,
        "handbook_html": _IDS.sub(lambda m: f"{m.group(1)}hb-", book_html),
    }  # fmt: skip
    pdf: bytes = HTML(string=_render("export/document.html", context)).write_pdf()
    return pdf


def _edition(page: PublicPage) -> str:
    """The line that names what was published, in every page's footer of the PDF."""
    if page.edition is None:
        return f"{page.name} customer charter"
    return (f"{page.name}, version {page.edition.version}, content hash "
            f"{page.edition.content_hash[:16]}")  # fmt: skip


def _sections(page: PublicPage) -> list[tuple[str, str]]:
    present = {
        "vision": bool(page.vision or page.principles), "contact_points": bool(page.contacts),
        "expect-an-answer": bool(page.answers), "service_levels": bool(page.promises),
        "delivery": bool(page.delivery), "returns": bool(page.returns),
        "complaints": bool(page.complaints), "feedback": True,
    }  # fmt: skip
    return [(anchor, heading) for anchor, heading in CHARTER_SECTIONS if present[anchor]]


@functools.cache
def _environment() -> jinja2.Environment:
    return environment()


def _render(name: str, context: Context) -> str:
    return _environment().get_template(name).render(context)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
