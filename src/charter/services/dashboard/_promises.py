"""Each promise's result over the dashboard's period, counted as the public page counts it.

The public charter page reports, per promise (a service-level rule's target for one
metric), the tickets that promise governed: met / (met + breached), running clocks left
out, tickets created in the month's days on the business's clock
(``page_timezone``). The dashboard's compliance charts count something else: every
ticket of a channel, priority or team, whatever rule governed it, over UTC days. So
that a manager can find the public page's figure on the dashboard, this table is read
by the public page's own function (``month_results``) for the period's days, and its
shares are written by the same formatter: the same figure, not a copy of its rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter import figures
from charter.policy.schema import Policy
from charter.policy.service_level import METRIC_WORDS, METRICS
from charter.publish.public_page import MonthResults, page_timezone
from charter.services.dashboard._filters import MONTHS, Period
from charter.services.lifecycle import Version
from charter.services.public_charter import month_results
from charter.store import Database

PER_CHANNEL = ("first_response",)  # the metric the public page answers per channel


@dataclass(frozen=True)
class PromiseRow:
    """One promise (rule and metric), or one channel of it, over the period."""

    anchor: str  # the rule's clause in the handbook
    promise: str
    metric: str
    channel: str  # "every channel" for the promise as a whole
    met: int
    breached: int
    share: str
    promised: str
    kept: bool | None


@dataclass(frozen=True)
class Promise:
    """A rule's target for one metric, and the share of tickets it promises."""

    rule_id: str
    name: str
    metric: str
    attainment: float | None

    def row(self, channel: str | None, counts: tuple[int, int]) -> PromiseRow:
        """The promise's result from its (met, breached) counts, for one channel or all."""
        met, breached = counts
        measured = met + breached
        promised = self.attainment if self.attainment is not None else 1.0
        return PromiseRow(
            f"service_levels.rules.{self.rule_id}", self.name,
            METRIC_WORDS.get(self.metric, self.metric), channel or "every channel",
            met, breached, figures.share(met / measured) if measured else figures.MISSING,
            figures.share(promised), met / measured >= promised if measured else None,
        )  # fmt: skip


@dataclass(frozen=True)
class Promises:
    """The promise table and what it counts: the days, on which clock."""

    first_day: dt.date
    last_day: dt.date
    timezone: str
    rows: list[PromiseRow]

    @property
    def days(self) -> str:
        """``1 October 2026 to 31 October 2026``: the days counted, written out."""
        return " to ".join(
            f"{d.day} {MONTHS[d.month - 1]} {d.year}" for d in (self.first_day, self.last_day)
        )


def promise_table(database: Database, version: Version, policy: Policy, period: Period) -> Promises:
    """Each promise of ``policy`` (the operating ``version``) over the tickets created
    in ``period``'s days on the business's clock, and, for a promise that governed
    tickets of several channels, each channel's part (the public page's "when will we
    answer" figure per channel is the first response part of its channel's default rule)."""
    zone = page_timezone(policy)
    after = period.end + dt.timedelta(days=1)
    results = month_results(database, version, period.start, after, zone)
    rows = []
    for rule in policy.service_levels.rules:
        for metric in METRICS:
            target = rule.targets.get(metric)
            if target is None:
                continue
            promise = Promise(rule.id, rule.name or rule.id, metric, target.attainment)
            rows.append(promise.row(None, results.counts(metric, rule.id)))
            channels = _channels(results, rule.id, metric) if metric in PER_CHANNEL else []
            if len(channels) > 1:
                rows += [promise.row(c, results.counts(metric, rule.id, c)) for c in channels]
    return Promises(period.start, period.end, zone, rows)


def _channels(results: MonthResults, rule_id: str, metric: str) -> list[str]:
    """The named channels whose tickets the promise measured."""
    return sorted(
        {r.channel for r in results.rows
         if r.rule_id == rule_id and r.metric == metric and r.channel and (r.met or r.breached)}
    )  # fmt: skip
