"""What the Zendesk importer read from its files, by kind, before it is combined.

A leaf module: the importer fills ``Pages`` and ``_combine`` reads it, so
neither imports the other for the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass
class Pages:
    """Everything read from the files, by kind, before it is combined."""

    tickets: list[pl.DataFrame] = field(default_factory=list)
    audits: list[pl.DataFrame] = field(default_factory=list)
    metric_events: list[pl.DataFrame] = field(default_factory=list)
    metrics: list[pl.DataFrame] = field(default_factory=list)
    ratings: list[pl.DataFrame] = field(default_factory=list)
    custom_statuses: list[pl.DataFrame] = field(default_factory=list)
    users: list[pl.DataFrame] = field(default_factory=list)  # side-loaded: id and e-mail
    csv: list[pl.DataFrame] = field(default_factory=list)
    rejects: list[pl.DataFrame] = field(default_factory=list)
