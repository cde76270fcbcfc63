"""What a helpdesk reader yields: one page, in the shapes the helpdesk's API documents.

``files`` holds the page's bodies by name (``tickets``, ``audits``,
``conversations``), each readable by that helpdesk's file importer as an exported
page; ``after_cursor`` is where a sync resumes once the page is stored (None keeps
the previous one); ``deleted`` lists the ids of tickets the helpdesk reports deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Page:
    """One page of changed tickets, with their events' bodies and the next cursor."""

    files: dict[str, Any]
    after_cursor: str | None
    end_of_stream: bool
    deleted: list[str]


class Reader(Protocol):
    """A helpdesk's changed tickets, a page at a time, from a cursor or a start time."""

    @property
    def requests(self) -> int:
        """HTTP requests made so far (retries included)."""
        ...

    def pages(self, *, cursor: str | None, start_time: int) -> Iterator[Page]:
        """Pages from ``cursor`` (or from ``start_time``, epoch seconds) to the present."""
        ...

    def tickets(self, ids: list[str]) -> Page:
        """The tickets ``ids`` with their events, as one page; the ids the helpdesk no
        longer has (or has deleted) in ``deleted``."""
        ...

    def close(self) -> None:
        """Close the connections."""
        ...
