"""Tables written as CSV for a spreadsheet: a header row, then one line per row.

A cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is written as text, behind an apostrophe, so a
downloaded table can never run anything when opened (OWASP's "CSV injection").

>>> csv_text(["Promise", "Met"], [["=1+2", 3], ["Live chat", None]]).splitlines()
['Promise,Met', "'=1+2,3", 'Live chat,']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

__all__ = ["FORMULA_STARTS", "as_text", "csv_text"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | None


def as_text(value: Cell) -> str:
    """One cell as the spreadsheet reads it: empty for None, a formula as text."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The table as CSV text (lines end in CRLF, as RFC 4180 writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([as_text(h) for h in headers])
    writer.writerows([as_text(cell) for cell in row] for row in rows)
    return out.getvalue()
