"""The public charter: the operating policy's published version, with last month's results.

The page shows the version tickets are held to (``operating_version``). Its
results are read from the stored SLA state in one aggregate query: for the tickets
created in the last full calendar month (on the business's clock, see
``charter.publish.public_page.page_timezone``) whose state was computed under that
version, how many met and how many breached each metric, per channel and rule.
Targets still running (``pending``, ``at_risk``) and metrics without a target are
left out, as SLA compliance counts them (met / (met + breached)).

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> public_charter(db) is None
True
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from charter.clock import utc_moment
from charter.policy import Policy
from charter.policy.cache import load_cached
from charter.publish.public_page import (
    Attainment,
    Edition,
    MonthResults,
    PublicPage,
    page_timezone,
    public_page,
)
from charter.services.lifecycle import operating_version
from charter.store import Database
from charter.store import policies as policies_store


def public_charter(
    database: Database, *, now: dt.datetime | None = None, visitor_tz: str | None = None
) -> PublicPage | None:
    """The public page of the published policy at ``now`` (default: the current time),
    or None when no policy is published."""
    moment = utc_moment(now)
    version = operating_version(database)
    if version is None:
        return None
    policy = _policy(version.text, version.file)
    timezone = page_timezone(policy)
    first, end = last_month(moment, timezone)
    results = month_results(database, version.id, first, end, timezone)
    edition = Edition(version.number, version.published_at, version.content_hash)
    return public_page(policy, moment, visitor_tz=visitor_tz, results=results, edition=edition)


def _policy(text: str, file: str) -> Policy:
    """A published version's text, parsed once: versions never change after submission."""
    return load_cached(text, file).policy


def last_month(now: dt.datetime, timezone: str) -> tuple[dt.date, dt.date]:
    """First day of the last full calendar month before ``now`` in ``timezone``, and the
    first day of the month after it.

    >>> last_month(dt.datetime(2026, 11, 1, 0, 30, tzinfo=dt.UTC), "America/New_York")
    (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1))
    """
    this_month = now.astimezone(zoneinfo.ZoneInfo(timezone)).date().replace(day=1)
    previous = (this_month - dt.timedelta(days=1)).replace(day=1)
    return previous, this_month


def month_results(
    database: Database, version_id: int, first: dt.date, end: dt.date, timezone: str = "UTC"
) -> MonthResults:
    """Met and breached counts per channel, rule and metric of the tickets created from
    local date ``first`` up to ``end`` in ``timezone``, under version ``version_id``."""
    zone = zoneinfo.ZoneInfo(timezone)
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC)
    stop = dt.datetime.combine(end, dt.time(), zone).astimezone(dt.UTC)
    with database.reading() as session:
        counts = policies_store.met_and_breached(session, version_id, start, stop)
    return MonthResults(
        first,
        tuple(
            Attainment(channel, rule_id, metric, met, breached)
            for channel, rule_id, metric, met, breached in counts
            if met or breached
        ),
    )
