"""Live what-if: one promise's target or attainment changed, judged again on a year of
tickets, beside the promise as it stands.

Only due instants and verdicts depend on a target's ``within``: the clock runs (when
each started and stopped, its pauses and the clock time used before each) do not.
``prepare_whatif`` measures them once for the tickets created in the last ``months``
calendar months; ``what_if`` re-judges one rule's metric under a proposed target with
one ``add`` per run. Its counts are those ``evaluate`` gives under the edited policy.

>>> import datetime as dt
>>> import polars as pl
>>> from charter.policy import load_policy_text
>>> from charter.tickets.dataset import TicketData, empty_events
>>> from charter.tickets.schema import conform, TICKET_SCHEMA
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... service_levels:
...   rules: [{id: all, targets: {first_response: {within: 2h, clock: 24x7}}}]
... ''').policy
>>> created = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
>>> tickets = pl.DataFrame({"id": ["a", "b"], "created_at": [created] * 2,
...     "channel": ["email"] * 2, "priority": ["normal"] * 2, "status": ["open"] * 2,
...     "first_response_at": [created + dt.timedelta(hours=1),
...                           created + dt.timedelta(hours=3)]})
>>> data = TicketData(conform(tickets, TICKET_SCHEMA), empty_events())
>>> base = prepare_whatif(policy, data, now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
>>> result = what_if(base, "all", "first_response", within="4h")
>>> result.met_now, result.met_then, result.share_then
(1, 2, 1.0)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.errors import InvalidInput
from charter.hours import OpeningHours
from charter.policy.schema import Policy
from charter.policy.service_level import Target
from charter.policy.units import Duration, parse_share
from charter.sla._whatif_runs import PromiseRuns, judge, measure_promises, per_ticket
from charter.sla.evaluate import judge_runs, prepare
from charter.sla.targets import pause_table
from charter.tickets.dataset import TicketData

Month = tuple[str, float | None, float | None]
Verdicts = tuple[NDArray[np.bool_], NDArray[np.bool_]]  # per ticket: met, breached


@dataclass(frozen=True)
class WhatIfBase:
    """The prepared state for a policy, its tickets and a window: per rule and metric its
    target and clock runs (``promises``) and its verdicts under that target (``today``),
    each judged ticket's month (``month`` indexes ``months``) and each rule's ticket
    count. Build it with ``prepare_whatif``."""

    now: dt.datetime
    months: list[str]
    targets: dict[tuple[str, str], Target]
    promises: dict[tuple[str, str], PromiseRuns]
    clocks: dict[str, OpeningHours]
    month: NDArray[np.int64]
    governed: dict[str, int]
    today: dict[tuple[str, str], Verdicts] = field(repr=False)


@dataclass(frozen=True)
class WhatIf:
    """One promise under today's target (``now``) and a proposed one (``then``).

    A share is met / (met + breached) over the tickets created in the window: clocks
    still running without a breach are not decided yet and left out, as the promise
    results leave them out. ``kept`` is share >= attainment (None without one)."""

    rule_id: str
    metric: str
    tickets: int
    met_now: int
    met_then: int
    breached_now: int
    breached_then: int
    share_now: float | None
    share_then: float | None
    attainment_now: float | None
    attainment_then: float | None
    kept_now: bool | None
    kept_then: bool | None
    within_now: str
    within_then: str
    by_month: list[Month]


def prepare_whatif(
    policy: Policy, data: TicketData, *, now: dt.datetime, months: int = 12
) -> WhatIfBase:
    """Measure the clock runs of the tickets created from the first day of the month
    ``months - 1`` before ``now``'s (UTC) up to ``now``: ``months`` calendar months,
    the current one so far."""
    if months < 1:
        raise InvalidInput(f"months: {months} is not a number of months; give 1 or more")
    moment = now.astimezone(dt.UTC)
    labels, first = _months(moment, months)
    window = _window(data, first, moment)
    ready = prepare(window)
    judged = judge_runs(policy, window, moment, prepared=ready)
    promises = measure_promises(judged.runs, ready.spells, pause_table(policy), judged.clocks)
    created = window.tickets["created_at"]
    month = (created.dt.year() * 12 + created.dt.month() - (first.year * 12 + first.month)).cast(
        pl.Int64
    )
    governed = judged.tickets["rule_id"].drop_nulls().value_counts()
    targets: dict[tuple[str, str], Target] = {
        (rule.id, metric): target
        for rule in policy.service_levels.rules
        for metric, target in rule.targets.items()
    }
    return WhatIfBase(
        now=moment,
        months=labels,
        targets=targets,
        promises=promises,
        clocks=judged.clocks,
        month=month.to_numpy(),
        governed=dict(zip(governed["rule_id"].to_list(), governed["count"].to_list(), strict=True)),
        today={
            key: _judged(promise, judged.clocks, targets[key].within, moment)
            for key, promise in promises.items()
        },
    )


def what_if(
    base: WhatIfBase,
    rule_id: str,
    metric: str,
    *,
    within: str | None = None,
    attainment: str | float | None = None,
    clock: str | None = None,
) -> WhatIf:
    """Rule ``rule_id``'s ``metric`` with ``within`` and/or ``attainment`` changed.

    The clock stays the target's: a ``clock`` other than it is refused, as a change
    of clock measures every run again (backtest a draft for that). Raises
    ``InvalidInput`` naming the field for an unknown rule or metric, a duration that
    does not parse or a share outside 0-100 %."""
    target = _target(base, rule_id, metric)
    if clock is not None and clock != target.clock:
        raise InvalidInput(
            f"clock: the what-if keeps the target's clock {target.clock!r}; {clock!r} would "
            "measure every ticket again: backtest a draft with that clock instead"
        )
    proposed = target.within if within is None else _duration(within)
    promised = target.attainment if attainment is None else _share(attainment)
    key = (rule_id, metric)
    now_met, now_breached = base.today.get(key, _NONE)
    promise = base.promises.get(key)
    then_met, then_breached = (
        (now_met, now_breached)
        if proposed == target.within or promise is None
        else _judged(promise, base.clocks, proposed, base.now)
    )
    share_now, share_then = _share_of(now_met, now_breached), _share_of(then_met, then_breached)
    return WhatIf(
        rule_id=rule_id,
        metric=metric,
        tickets=base.governed.get(rule_id, 0),
        met_now=int(now_met.sum()),
        met_then=int(then_met.sum()),
        breached_now=int(now_breached.sum()),
        breached_then=int(then_breached.sum()),
        share_now=share_now,
        share_then=share_then,
        attainment_now=target.attainment,
        attainment_then=promised,
        kept_now=_kept(share_now, target.attainment),
        kept_then=_kept(share_then, promised),
        within_now=str(target.within),
        within_then=str(proposed),
        by_month=_by_month(base, key, (now_met, now_breached), (then_met, then_breached)),
    )


_NONE: Verdicts = (np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))


def _months(now: dt.datetime, months: int) -> tuple[list[str], dt.datetime]:
    index = now.year * 12 + now.month - 1 - (months - 1)
    first = dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)
    labels = [f"{(index + n) // 12:04d}-{(index + n) % 12 + 1:02d}" for n in range(months)]
    return labels, first


def _window(data: TicketData, first: dt.datetime, now: dt.datetime) -> TicketData:
    created = pl.col("created_at")
    tickets = data.tickets.filter((created >= first) & (created <= now))
    if tickets.height == data.tickets.height:
        return data
    events = data.events.join(tickets.select(pl.col("id").alias("ticket_id")), on="ticket_id",
                              how="semi")  # fmt: skip
    return TicketData(tickets, events)


def _target(base: WhatIfBase, rule_id: str, metric: str) -> Target:
    target = base.targets.get((rule_id, metric))
    if target is not None:
        return target
    rules = sorted({rule for rule, _ in base.targets})
    if rule_id not in rules:
        raise InvalidInput(f"rule_id: no rule {rule_id!r}; the rules are {', '.join(rules)}")
    metrics = [m for r, m in base.targets if r == rule_id]
    raise InvalidInput(
        f"metric: rule {rule_id!r} sets no target for {metric!r}; it sets {', '.join(metrics)}"
    )


def _duration(text: str) -> Duration:
    try:
        return Duration.parse(text)
    except ValueError as error:
        raise InvalidInput(f"within: {error}") from None


def _share(value: str | float) -> float:
    try:
        return parse_share(value)
    except ValueError as error:
        raise InvalidInput(f"attainment: {error}") from None


def _judged(
    promise: PromiseRuns, clocks: dict[str, OpeningHours], within: Duration, now: dt.datetime
) -> Verdicts:
    """Per ticket of the promise, met and breached under ``within``."""
    hours = clocks[promise.clock]
    met, breached = judge(promise, hours, within.seconds, within.working_days, now)
    return per_ticket(promise, met, breached)


def _share_of(met: NDArray[np.bool_], breached: NDArray[np.bool_]) -> float | None:
    decided = int(met.sum()) + int(breached.sum())
    return int(met.sum()) / decided if decided else None


def _kept(share: float | None, attainment: float | None) -> bool | None:
    return None if share is None or attainment is None else share >= attainment


def _by_month(
    base: WhatIfBase,
    key: tuple[str, str],
    today: Verdicts,
    then: Verdicts,
) -> list[Month]:
    promise = base.promises.get(key)
    count = len(base.months)
    if promise is None:
        return [(label, None, None) for label in base.months]
    month = base.month[promise.rows]
    shares = [_monthly(month, met, breached, count) for met, breached in (today, then)]
    return list(zip(base.months, *shares, strict=True))


def _monthly(
    month: NDArray[np.int64], met: NDArray[np.bool_], breached: NDArray[np.bool_], count: int
) -> list[float | None]:
    mets = np.bincount(month, weights=met, minlength=count)
    decided = mets + np.bincount(month, weights=breached, minlength=count)
    return [float(m / d) if d else None for m, d in zip(mets, decided, strict=True)]
