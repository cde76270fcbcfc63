"""The public charter: the operating policy's version in force, with last month's results.

The page shows the version tickets are held to now (``operating_version``: the one in
force, so a version published to take effect later appears at its instant). Its
results are read from the stored SLA state in one aggregate query: for the tickets
created in the last full calendar month (on the business's clock, see
``charter.publish.public_page.page_timezone``), how many met and how many breached
each promise, per channel and rule. Each ticket counts under the version that judged
it (the one in force when it was created), and only for a promise the live version
makes in the same terms (the rule's conditions and the metric's target): a promise
added or changed since is not charged with tickets it did not govern; one that began
after the month reads "new since" on the page. Targets still running (``pending``,
``at_risk``) and metrics without a target are left out, as SLA compliance counts them
(met / (met + breached)).

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
from charter.policy.service_level import METRICS
from charter.publish.public_page import (
    Attainment,
    ComplaintResults,
    Edition,
    MonthResults,
    PromiseStart,
    PublicPage,
    StageResult,
    page_timezone,
    public_page,
)
from charter.services.lifecycle import Version, judging_versions, operating_version
from charter.store import Database
from charter.store import policies as policies_store
from charter.store.complaint_kpis import complaint_kpis

Promise = tuple[str, str]  # rule id, metric


def public_charter(
    database: Database, *, now: dt.datetime | None = None, visitor_tz: str | None = None
) -> PublicPage | None:
    """The public page of the version in force (by the clock) shown at ``now`` (default:
    the current time), or None when no policy is in force."""
    moment = utc_moment(now)
    version = operating_version(database)
    if version is None:
        return None
    policy = _policy(version.text, version.file)
    timezone = page_timezone(policy)
    first, end = last_month(moment, timezone)
    results = month_results(database, version, first, end, timezone)
    edition = Edition(
        version.number, version.effective_at or version.published_at, version.content_hash
    )
    complained = complaint_results(database, policy, moment)
    return public_page(policy, moment, visitor_tz=visitor_tz, results=results, edition=edition,
                       complaint_results=complained)  # fmt: skip


def complaint_results(
    database: Database, policy: Policy, now: dt.datetime
) -> ComplaintResults | None:
    """Last month's complaint results per stage, as the dashboard counts them (the month
    of each stage's receipt in UTC, ``charter.store.complaint_kpis``), for a policy that
    publishes them; None otherwise."""
    if policy.complaints is None or not policy.complaints.publish_results:
        return None
    first, _ = last_month(now, "UTC")
    month = f"{first:%Y-%m}"
    with database.reading() as session:
        rows = complaint_kpis(session, now, months=[month])
    stages = tuple(
        StageResult(
            r.stage_id,
            r.acknowledged_within,
            r.acknowledged_within + r.acknowledged_late,
            r.answered_within,
            r.answered_within + r.answered_late,
        )  # fmt: skip
        for r in rows
    )
    return ComplaintResults(f"{first:%B %Y}", stages)


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
    database: Database, live: Version, first: dt.date, end: dt.date, timezone: str = "UTC"
) -> MonthResults:
    """Met and breached counts per channel, rule and metric of the tickets created from
    local date ``first`` up to ``end`` in ``timezone``, each promise of ``live`` counted
    over the tickets it governed (judged by a version making it in the same terms)."""
    zone = zoneinfo.ZoneInfo(timezone)
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC)
    stop = dt.datetime.combine(end, dt.time(), zone).astimezone(dt.UTC)
    versions = [v for v in judging_versions(database) if v.slug == live.slug] or [live]
    terms = {v.id: _terms(_policy(v.text, v.file)) for v in versions}
    mine = terms.get(live.id) or _terms(_policy(live.text, live.file))
    with database.reading() as session:
        counts = policies_store.met_and_breached(session, list(terms), start, stop)
    rows = tuple(
        Attainment(channel, rule_id, metric, met, breached)
        for version, channel, rule_id, metric, met, breached in counts
        if (met or breached)
        and rule_id is not None
        and terms[version].get((rule_id, metric)) is not None
        and terms[version].get((rule_id, metric)) == mine.get((rule_id, metric))
    )
    return MonthResults(first, rows, _starts(versions, terms, live, zone))


def _terms(policy: Policy) -> dict[Promise, str]:
    """Each promise of ``policy`` in the terms that make it: its rule's conditions and
    the metric's target (within, clock, attainment, pauses)."""
    return {
        (rule.id, metric): f"{rule.when.model_dump_json()} {target.model_dump_json()}"
        for rule in policy.service_levels.rules
        for metric in METRICS
        if (target := rule.targets.get(metric)) is not None
    }


def _starts(
    versions: list[Version], terms: dict[int, dict[Promise, str]], live: Version, zone: dt.tzinfo
) -> tuple[PromiseStart, ...]:
    """For each promise of ``live``, the local date it began governing tickets, when a
    version before the one that began it took effect (the first version governs every
    ticket created before it too, so its promises have no start)."""
    chain = [v for v in versions if v.effective_at is not None]
    if live.id not in {v.id for v in chain}:
        return ()
    chain = chain[: [v.id for v in chain].index(live.id) + 1]
    starts = []
    for promise, said in terms[live.id].items():
        began = len(chain) - 1
        while began > 0 and terms[chain[began - 1].id].get(promise) == said:
            began -= 1
        effective = chain[began].effective_at
        if began > 0 and effective is not None:
            starts.append(PromiseStart(*promise, effective.astimezone(zone).date()))
    return tuple(starts)
