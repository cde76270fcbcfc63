"""Section b: each promise's results month by month, counted as the public page counts
them (``charter.services.public_charter.month_results``): the tickets each promise
governed, created in the month's days on the business's clock, met / (met +
breached), running clocks left out. One grouped query per month.
"""

from __future__ import annotations

import datetime as dt

from charter import figures
from charter.feedback.review import add_months
from charter.policy.schema import Policy
from charter.policy.service_level import METRIC_WORDS, METRICS
from charter.publish.public_page import MonthResults, page_timezone
from charter.services.lifecycle import Version
from charter.services.public_charter import month_results
from charter.services.review_pack._values import MonthCell, PromiseMonths, Span
from charter.store import Database


def _cell(month: dt.date, counts: tuple[int, int], promised: float) -> MonthCell:
    met, breached = counts
    decided = met + breached
    share = figures.share(met / decided) if decided else figures.MISSING
    return MonthCell(month, met, breached, share, met / decided >= promised if decided else None)


def promise_months(
    database: Database, version: Version, policy: Policy, span: Span
) -> tuple[PromiseMonths, ...]:
    """Every promise of ``policy`` (the live ``version``) in each month of ``span``."""
    zone = page_timezone(policy)
    results: list[MonthResults] = []
    for month in span.months:
        after = min(add_months(month, 1), span.end.date() + dt.timedelta(days=1))
        results.append(month_results(database, version, month, after, zone))
    found = []
    for rule in policy.service_levels.rules:
        for metric in METRICS:
            target = rule.targets.get(metric)
            if target is None:
                continue
            promised = target.attainment if target.attainment is not None else 1.0
            cells = tuple(_cell(month, r.counts(metric, rule.id), promised)
                          for month, r in zip(span.months, results, strict=True))  # fmt: skip
            found.append(PromiseMonths(rule.id, rule.name or rule.id,
                                       METRIC_WORDS.get(metric, metric),
                                       figures.share(promised), cells))  # fmt: skip
    return tuple(found)
