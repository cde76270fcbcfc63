"""The dashboard's aggregates in the store: refilling ``ticket_daily`` and
``ticket_daily_times`` from the tickets and their SLA state (``refresh_aggregates``),
and reading them back in a few grouped queries (``stored``, ``per_day``, ``times``, ...
for a page; ``counts_per_period``, ``ranked_times_per_period`` for the KPI report).

Every function takes the caller's ``Session``; none commits. The database does the
counting and summing, so nothing here runs once per ticket.

>>> import datetime as dt, tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> with db.transaction() as session:
...     refresh_aggregates(session, dt.datetime(2026, 10, 31, tzinfo=dt.UTC))
>>> with db.reading() as session:
...     aggregates_as_of(session), stored(session).last_day
(None, None)
"""

from charter.store.dashboard._histogram import EDGES, QUANTILES, bucket_sql, holds_rank
from charter.store.dashboard._periods import (
    AGGREGATED,
    Group,
    Period,
    aggregates_as_of,
    counts_per_period,
    ranked_times_per_period,
)
from charter.store.dashboard._read import (
    COUNTED,
    GROUPS,
    Scope,
    Stored,
    backlog_before,
    open_by_day,
    per_day,
    per_group,
    run_start,
    stored,
    times,
)
from charter.store.dashboard._refresh import refresh_aggregates

__all__ = [
    "AGGREGATED",
    "COUNTED",
    "EDGES",
    "GROUPS",
    "QUANTILES",
    "Group",
    "Period",
    "Scope",
    "Stored",
    "aggregates_as_of",
    "backlog_before",
    "bucket_sql",
    "counts_per_period",
    "holds_rank",
    "open_by_day",
    "per_day",
    "per_group",
    "ranked_times_per_period",
    "refresh_aggregates",
    "run_start",
    "stored",
    "times",
]
