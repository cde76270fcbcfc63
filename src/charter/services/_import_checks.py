"""What the store cannot keep, refused before an import writes anything.

>>> import polars as pl
>>> check_import(pl.DataFrame({"id": ["1", "1"]}), "csv", 10)
Traceback (most recent call last):
...
charter.errors.InvalidInput: ticket ids appear more than once (1); keep one row per ticket
"""

from __future__ import annotations

import re

import polars as pl

from charter.errors import InvalidInput, UsageError
from charter.excerpt import excerpt
from charter.store.tickets import stored_length

SOURCE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
SHOWN = 3  # offending tickets named in an error message
TEXT_COLUMNS = ("channel", "segment", "team", "assignee", "category")
LIMITS = {
    "id": stored_length("source_id"),
    **{c: stored_length(c) for c in TEXT_COLUMNS},
}


def check_import(tickets: pl.DataFrame, source: str, batch_size: int) -> None:
    """Refuse, before anything is written, what the store cannot keep."""
    if batch_size < 1:
        raise UsageError(f"the batch size must be at least 1, got {batch_size}")
    if not SOURCE.match(source):
        raise InvalidInput(
            f"source {excerpt(source)!r} cannot be stored: use 1-32 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit (e.g. 'zendesk')",
            [{"field": "source", "problem": "not a source name"}],
        )
    repeated = tickets.filter(pl.col("id").is_duplicated())["id"].unique(maintain_order=True)
    if repeated.len():
        shown = ", ".join(excerpt(t, 20) for t in repeated.head(SHOWN).to_list())
        raise InvalidInput(f"ticket ids appear more than once ({shown}); keep one row per ticket")
    for column, limit in LIMITS.items():
        _check_length(tickets, column, limit)
    _check_text(tickets)


def _check_text(tickets: pl.DataFrame) -> None:
    """PostgreSQL cannot store a NUL character in text; say where one is."""
    for column in ("id", *TEXT_COLUMNS):
        found = tickets.filter(pl.col(column).str.contains("\x00", literal=True))
        if found.height:
            raise InvalidInput(
                f"ticket {found['id'][0][:20]!r}: {column} holds a NUL character, which the "
                "store cannot keep; remove it from the export",
                [{"field": column, "problem": "NUL character"}],
            )


def _check_length(tickets: pl.DataFrame, column: str, limit: int) -> None:
    long = tickets.filter(pl.col(column).str.len_chars() > limit)
    if long.height:
        first = long.head(SHOWN)
        shown = "; ".join(
            f"ticket {ticket[:20]}: {len(value)} characters"
            for ticket, value in zip(first["id"], first[column], strict=True)
        )
        raise InvalidInput(
            f"{long.height} ticket(s) have a {column} longer than the {limit} characters the "
            f"store keeps ({shown}); shorten it in the export or map it to a shorter value",
            [{"field": column, "problem": f"longer than {limit} characters"}],
        )
