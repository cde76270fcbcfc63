"""Reading helpdesk export files into canonical tickets, for the CLI and the API.

>>> sorted(source.value for source in Source)
['csv', 'freshdesk', 'zendesk']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path

from charter.errors import UsageError
from charter.tickets.freshdesk import import_freshdesk
from charter.tickets.generic import import_generic
from charter.tickets.importing import ImportResult
from charter.tickets.mapping import Mapping, check_timezone, load_mapping
from charter.tickets.zendesk import import_zendesk


class Source(StrEnum):
    """Helpdesks Charter reads; also the ``source`` tickets are stored under."""

    zendesk = "zendesk"
    freshdesk = "freshdesk"
    csv = "csv"


Importer = Callable[..., ImportResult]
IMPORTERS: dict[Source, Importer] = {
    Source.zendesk: import_zendesk,
    Source.freshdesk: import_freshdesk,
    Source.csv: import_generic,
}


def read_exports(
    source: Source,
    files: Sequence[Path],
    *,
    mapping_file: Path | None = None,
    timezone: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportResult:
    """Every ticket, event and rejected row of ``files``, read as ``source`` exports."""
    mapping = load_mapping(mapping_file) if mapping_file else Mapping()
    if timezone is not None:
        try:
            check_timezone(timezone)
        except ValueError as error:
            raise UsageError(f"timezone: {error}") from None
    return IMPORTERS[source](files, mapping, timezone=timezone, progress=progress)
