"""HTML already rendered, printed to PDF with WeasyPrint, fetching nothing.

The review pack's PDF is its page's template rendered with the print stylesheet
inlined (``charter.web.pages.review``); this turns that HTML into PDF bytes the way
``charter.publish.export`` prints the charter. Every URL the HTML names (the page
shell's stylesheet link, an image) reads as empty rather than being fetched: what the
PDF needs is inline in the HTML, and no network is used at run time.
"""

from __future__ import annotations

from typing import Any

__all__ = ["html_pdf"]


BASE = "https://charter.invalid/"  # relative links resolve here, then read as empty


def _nothing(url: str, *args: Any, **kwargs: Any) -> Any:
    """What any URL the HTML names gives: nothing (never fetched)."""
    from weasyprint.urls import URLFetcherResponse

    kind = "text/css" if url.endswith(".css") else "text/plain"
    return URLFetcherResponse(url, body=b"", headers={"Content-Type": kind})


def html_pdf(html: str) -> bytes:
    """``html`` as PDF bytes; its stylesheets must be inline (``<style>``).

    >>> html_pdf("<p>Hello</p>")[:5]
    b'%PDF-'
    """
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    pdf: bytes = HTML(string=html, base_url=BASE, url_fetcher=_nothing).write_pdf()
    return pdf
