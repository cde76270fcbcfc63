"""A short excerpt of input text, for messages that quote what a user sent.

A message quotes input so the user can find it, never to send it back whole: a
CSV whose header line is 20 MB must not come back in an error. Every message
that echoes input goes through :func:`excerpt` (and Polars expressions through
``charter.tickets.importing.clipped``, which cuts at the same length).

>>> excerpt("Ticket ID")
'Ticket ID'
>>> excerpt("x" * 100)
'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100 characters)'
>>> excerpt("line one\\nline two\\x00")
'line one\\\\nline two\\\\x00'
"""

from __future__ import annotations

LIMIT = 60  # characters of input a message quotes
ELLIPSIS = "…"


def excerpt(text: object, limit: int = LIMIT) -> str:
    """The first ``limit`` characters of ``text``, with control characters escaped and
    an ellipsis and the full length when it was longer."""
    value = str(text)
    shown = _printable(value[:limit])
    if len(value) <= limit:
        return shown
    return f"{shown}{ELLIPSIS} ({len(value):,} characters)"


def _printable(value: str) -> str:
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in value)
