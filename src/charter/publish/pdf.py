"""PDFs (WeasyPrint): the charter and the staff handbook as a printed document, and
HTML already rendered, printed as it is.

``render_charter`` prints the public page and, when given, the handbook as one
document (``export/document.html``): a contents page, then the charter, then the
handbook, each page's footer naming the version and its content hash. A document is
kept once rendered (``charter.services.documents``), so it says nothing that depends
on the moment it is read: ``printable`` drops whether a contact point is open now,
the coming days' hours, "expect an answer by", the visitor's clock and last month's
results. A contact point names the opening hours it keeps, and each calendar's hours
are printed once, after the cards, rather than under every contact point that keeps
them (``opening_hours``). The PDF's own card (``export/print/public/_contact.html``)
stands in for the page's; the page's markup is not changed.

``renderer_version`` names the code that renders: a hash of Charter's source (its
Python, templates and stylesheets) and of the Charter and WeasyPrint releases, so a
change of code renders a kept document again.

``html_pdf`` prints HTML that is already rendered (the review pack's page, with its
print stylesheet inlined, ``charter.web.pages.review``). Every URL that HTML names
reads as empty rather than being fetched: no network is used at run time.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2

from charter.publish.public_page import PublicPage
from charter.publish.templating import STATIC, TEMPLATES, environment

__all__ = ["HoursTable", "html_pdf", "opening_hours", "printable", "render_charter",
           "renderer_version"]  # fmt: skip

Context = dict[str, Any]
BASE = "https://charter.invalid/"  # relative links resolve here, then read as empty
STYLES = ("charter.css", "public.css", "handbook.css")
PACKAGE = Path(__file__).resolve().parent.parent
SOURCES = frozenset({".py", ".html", ".j2", ".css"})
_IDS = re.compile(r'(\bid="|href="#)')
CHARTER_SECTIONS = (
    ("vision", "Our vision"), ("contact_points", "How to reach us"),
    ("opening-hours", "Opening hours"),
    ("expect-an-answer", "When you will hear from us"), ("service_levels", "Our promises"),
    ("delivery", "Delivery"), ("returns", "Returns and refunds"),
    ("complaints", "Complaints"), ("feedback", "Tell us what you think"),
)  # fmt: skip


@dataclass(frozen=True)
class HoursTable:
    """One calendar's usual week, printed once: ``used_by`` names its contact points."""

    anchor: str
    name: str
    timezone: str
    rows: tuple[tuple[str, str], ...]  # day, hours
    used_by: tuple[str, ...]


def render_charter(page: PublicPage, handbook: Context | None) -> bytes:
    """The charter, and the handbook when given, as PDF bytes."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    pdf: bytes = HTML(string=charter_html(page, handbook)).write_pdf()
    return pdf


def charter_html(page: PublicPage, handbook: Context | None) -> str:
    """The HTML ``render_charter`` prints, its stylesheets inline."""
    page = printable(page)
    tables, hours_of = opening_hours(page)
    book_html = _render("handbook/_document.html", handbook) if handbook else ""
    context = {
        "page": page, "export": True, "charter_sections": _sections(page, tables),
        "styles": "\n".join((STATIC / name).read_text("utf-8") for name in STYLES),
        "edition": _edition(page), "handbook": handbook["handbook"] if handbook else None,
        "handbook_html": _IDS.sub(lambda m: f"{m.group(1)}hb-", book_html),
        "calendars": tables, "hours_of": hours_of,
    }  # fmt: skip
    return _render("export/document.html", context)


def printable(page: PublicPage) -> PublicPage:
    """``page`` without what depends on the moment it is read: open now, the coming
    days, expect an answer by, the visitor's clock, last month's results."""
    contacts = [replace(c, availability=None, coming=[]) for c in page.contacts]
    answers = [replace(a, expect_by=None, result=None) for a in page.answers]
    promises = [
        replace(group, lines=[replace(line, result=None, kept=None) for line in group.lines])
        for group in page.promises
    ]
    complaints = page.complaints
    if complaints is not None:
        complaints = replace(complaints, results_month=None, results=())
    return replace(page, visitor_tz=None, tz_note=None, contacts=contacts, answers=answers,
                   promises=promises, month=None, complaints=complaints)  # fmt: skip


def opening_hours(page: PublicPage) -> tuple[list[HoursTable], dict[str, HoursTable]]:
    """Each calendar's usual week once, in the order contact points first name it, and
    the table each contact point keeps (by its anchor). Two contact points keep the
    same hours when their calendars have the same name, zone and week."""
    tables: dict[tuple[object, ...], HoursTable] = {}
    hours_of = {}
    for contact in page.contacts:
        if not contact.usual or contact.calendar_name is None or contact.timezone is None:
            continue
        rows = tuple((day.day, day.hours) for day in contact.usual)
        key = (contact.calendar_name, contact.timezone, rows)
        table = tables.get(key) or HoursTable(
            f"opening-hours-{len(tables) + 1}", contact.calendar_name, contact.timezone, rows, ()
        )
        tables[key] = replace(table, used_by=(*table.used_by, contact.name))
        hours_of[contact.anchor] = key
    return list(tables.values()), {anchor: tables[key] for anchor, key in hours_of.items()}


@functools.cache
def renderer_version(root: Path = PACKAGE) -> str:
    """A name for the code that renders the documents, read once per process.

    >>> len(renderer_version())
    32
    """
    digest = hashlib.sha256()
    for release in ("charter", "weasyprint"):
        digest.update(f"{release} {metadata.version(release)}\n".encode())
    files = sorted(p for p in root.rglob("*") if p.suffix in SOURCES and p.is_file()
                   and "__pycache__" not in p.parts)  # fmt: skip
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def html_pdf(html: str) -> bytes:
    """``html`` as PDF bytes; its stylesheets must be inline (``<style>``).

    >>> html_pdf("<p>Hello</p>")[:5]
    b'%PDF-'
    """
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    pdf: bytes = HTML(string=html, base_url=BASE, url_fetcher=_nothing).write_pdf()
    return pdf


def _nothing(url: str, *args: Any, **kwargs: Any) -> Any:
    """What any URL the HTML names gives: nothing (never fetched)."""
    from weasyprint.urls import URLFetcherResponse

    kind = "text/css" if url.endswith(".css") else "text/plain"
    return URLFetcherResponse(url, body=b"", headers={"Content-Type": kind})


def _edition(page: PublicPage) -> str:
    """The line that names what was published, in every page's footer of the PDF."""
    if page.edition is None:
        return f"{page.name} customer charter"
    return (f"{page.name}, version {page.edition.version}, content hash "
            f"{page.edition.content_hash[:16]}")  # fmt: skip


def _sections(page: PublicPage, tables: list[HoursTable]) -> list[tuple[str, str]]:
    present = {
        "vision": bool(page.vision or page.principles), "contact_points": bool(page.contacts),
        "opening-hours": bool(tables),
        "expect-an-answer": bool(page.answers), "service_levels": bool(page.promises),
        "delivery": bool(page.delivery), "returns": bool(page.returns),
        "complaints": bool(page.complaints), "feedback": True,
    }  # fmt: skip
    return [(anchor, heading) for anchor, heading in CHARTER_SECTIONS if present[anchor]]


@functools.cache
def _environment() -> jinja2.Environment:
    """The shared templates, with the PDF's own stand-ins searched first."""
    return environment(jinja2.FileSystemLoader(TEMPLATES / "export" / "print"))


def _render(name: str, context: Context) -> str:
    return _environment().get_template(name).render(context)
