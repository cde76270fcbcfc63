"""HTML already rendered, printed to PDF with WeasyPrint, fetching nothing.

The review pack's PDF is its page's template rendered with the print stylesheet
inlined (``charter.web.pages.review``); this turns that HTML into PDF bytes the way
``charter.publish.export`` prints the charter. Every URL the HTML names (a stylesheet
link, an image) is refused rather than fetched: what the PDF needs is in the HTML, and
no network is used at run time.
"""

from __future__ import annotations

from typing import Any

__all__ = ["html_pdf"]


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"{url[:80]} is not fetched: the PDF is made from the HTML alone")


def html_pdf(html: str) -> bytes:
    """``html`` as PDF bytes; its stylesheets must be inline (``<style>``).

    >>> html_pdf("<p>Hello</p>")[:5]
    b'%PDF-'
    """
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    pdf: bytes = HTML(string=html, url_fetcher=_refuse).write_pdf()
    return pdf
