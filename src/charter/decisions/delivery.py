"""Delivery promises: the dispatch-by and delivered-by dates of an order, and whether a
delivery was late, each citing the ``delivery`` clause that decided it.

How the days are counted (docs/eligibility.md, "Delivery promises"):

- A working day is a local date of the promise's calendar on which it opens, after its
  holidays and special days; a promise without a calendar counts every day (24x7, UTC).
- Day 0 is the local date of the order when it is a working day and the order came
  before the cutoff; an order at or after the cutoff, or on a non-working day, has the
  next working day as day 0. Without a cutoff the order's date counts whatever the hour.
- Dispatch by: ``handling_days.max`` working days after day 0 (0: day 0 itself).
- Delivered by: ``transit_days.max`` working days after the dispatch-by date; the
  earliest delivery is ``handling_days.min + transit_days.min`` working days after day 0.
- Late: delivered on a local date after the delivered-by date; late by the working days
  from the day after the delivered-by date up to the delivery's date, a delivery on a
  non-working day counting as on the next working day.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... delivery: [{id: d-std, region: UK, method: standard, handling_days: {min: 0, max: 1},
...             transit_days: {min: 2, max: 3}}]
... ''').policy
>>> dates = delivery_dates(policy, dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC), "UK", "standard")
>>> dates.dispatch_by, dates.latest
(datetime.date(2026, 12, 8), datetime.date(2026, 12, 11))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from charter.decisions.clause import Clause
from charter.decisions.working_days import WorkingDays
from charter.errors import InvalidInput
from charter.hours import OpeningHours
from charter.policy.calendar import Calendar
from charter.policy.clock import opening_hours
from charter.policy.commitments import DeliveryPromise
from charter.policy.schema import Policy


@dataclass(frozen=True)
class DeliveryDates:
    """The dates promised for one order (local dates of the promise's calendar)."""

    ordered_at: dt.datetime
    timezone: str
    day_zero: dt.date
    dispatch_by: dt.date
    earliest: dt.date
    latest: dt.date
    clause: Clause
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DeliveryJudgement:
    """Whether a delivery kept its promise; ``working_days_late`` is 0 when on time."""

    dates: DeliveryDates
    delivered_at: dt.datetime
    delivered_on: dt.date
    on_time: bool
    working_days_late: int

    @property
    def verdict(self) -> str:
        """The answer in words: ``on time`` or ``late by N working days``."""
        if self.on_time:
            return "on time"
        n = self.working_days_late
        return f"late by {n} working day{'s' if n != 1 else ''}"

    @property
    def broke(self) -> Clause | None:
        """The clause a late delivery broke; None when on time."""
        return None if self.on_time else self.dates.clause


def promise_for(policy: Policy, region: str, method: str) -> DeliveryPromise:
    """The policy's delivery promise for ``region`` and ``method`` (case and spaces ignored).

    Raises ``InvalidInput`` naming the regions, or the region's methods, the policy has.
    """
    promises = policy.delivery
    if not promises:
        raise InvalidInput(
            "the policy makes no delivery promises; add a delivery: section",
            [{"field": "policy"}],
        )
    in_region = [p for p in promises if _same(p.region, region)]
    if not in_region:
        regions = _unique(p.region for p in promises)
        raise InvalidInput(
            f"the policy has no delivery promise for region {region!r}; "
            f"it has: {', '.join(regions)}",
            [{"field": "region", "choices": regions}],
        )
    for promise in in_region:
        if _same(promise.method, method):
            return promise
    methods = _unique(p.method for p in in_region)
    raise InvalidInput(
        f"the policy has no {method!r} delivery to {in_region[0].region}; "
        f"its methods there: {', '.join(methods)}",
        [{"field": "method", "choices": methods}],
    )


def delivery_dates(
    policy: Policy,
    ordered_at: dt.datetime,
    region: str,
    method: str,
    *,
    version: str | None = None,
) -> DeliveryDates:
    """The dispatch-by, earliest and latest delivery dates of an order placed at ``ordered_at``.

    ``ordered_at`` must carry its UTC offset. ``version`` is the policy version's label,
    cited with the clause when given.
    """
    _aware(ordered_at, "ordered", "the order instant")
    promise = promise_for(policy, region, method)
    return _dates(policy, promise, _days(policy, promise, ordered_at), ordered_at, version)


def _dates(
    policy: Policy,
    promise: DeliveryPromise,
    days: WorkingDays,
    ordered_at: dt.datetime,
    version: str | None,
) -> DeliveryDates:
    local = ordered_at.astimezone(days.zone)
    notes: list[str] = []
    day_zero = local.date()
    if not days.working(day_zero):
        day_zero = days.after(day_zero)
        notes.append("ordered on a non-working day: counted from the next working day")
    elif promise.cutoff is not None and local.strftime("%H:%M") >= promise.cutoff:
        day_zero = days.after(day_zero)
        notes.append(
            f"ordered at or after the {promise.cutoff} cutoff: counted from the next working day"
        )
    dispatch_by = days.later(day_zero, promise.handling_days.max)
    return DeliveryDates(
        ordered_at=ordered_at,
        timezone=days.timezone,
        day_zero=day_zero,
        dispatch_by=dispatch_by,
        earliest=days.later(day_zero, promise.handling_days.min + promise.transit_days.min),
        latest=days.later(dispatch_by, promise.transit_days.max),
        clause=Clause(f"delivery.{promise.id}", promise_text(policy, promise), version),
        notes=tuple(notes),
    )


def judge_delivery(
    policy: Policy,
    ordered_at: dt.datetime,
    region: str,
    method: str,
    delivered_at: dt.datetime,
    *,
    version: str | None = None,
) -> DeliveryJudgement:
    """Whether a delivery at ``delivered_at`` kept the promise; late ones cite the clause."""
    _aware(ordered_at, "ordered", "the order instant")
    _aware(delivered_at, "delivered", "the delivery instant")
    if delivered_at < ordered_at:
        raise InvalidInput(
            f"the delivery ({delivered_at.isoformat()}) is before the order "
            f"({ordered_at.isoformat()})",
            [{"field": "delivered"}],
        )
    promise = promise_for(policy, region, method)
    days = _days(policy, promise, ordered_at)
    dates = _dates(policy, promise, days, ordered_at, version)
    delivered_on = delivered_at.astimezone(days.zone).date()
    late = 0
    if delivered_on > dates.latest:
        counted = delivered_on if days.working(delivered_on) else days.after(delivered_on)
        late = days.between(dates.latest, counted)
    return DeliveryJudgement(dates, delivered_at, delivered_on, late == 0, late)


def promise_text(policy: Policy, promise: DeliveryPromise) -> str:
    """The promise in words, as the clause is cited."""
    handling, transit = promise.handling_days, promise.transit_days
    calendar = _calendar(policy, promise)
    on = (
        f" on the {calendar.name or calendar.id} calendar's working days"
        if calendar
        else " counting every day"
    )
    cutoff = (
        f" (orders before {promise.cutoff} local time count from that day)"
        if promise.cutoff
        else ""
    )
    cost = f" Cost: {promise.cost}." if promise.cost else ""
    return (
        f"{promise.region}, {promise.method}: dispatched within {_span(handling.min, handling.max)}"
        f" of the order{cutoff}, delivered {_span(transit.min, transit.max)} after dispatch,"
        f"{on}.{cost}"
    )


def _aware(instant: dt.datetime, field: str, what: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput(
            f"{what} {instant.isoformat()} has no UTC offset; "
            "write it with one (2026-12-23T15:30+00:00)",
            [{"field": field}],
        )


def _span(low: int, high: int) -> str:
    unit = "working day" if low == high == 1 else "working days"
    return f"{high} {unit}" if low == high else f"{low} to {high} {unit}"


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _calendar(policy: Policy, promise: DeliveryPromise) -> Calendar | None:
    if promise.calendar is None:
        return None
    calendar = policy.calendar(promise.calendar)
    if calendar is None:
        raise InvalidInput(
            f"delivery.{promise.id} names calendar {promise.calendar!r}, "
            "which the policy does not define",
            [{"field": "policy"}],
        )
    return calendar


def _days(policy: Policy, promise: DeliveryPromise, ordered_at: dt.datetime) -> WorkingDays:
    """The working days the promise counts: its calendar's (holidays expanded around the
    order's year), or every day in UTC without one."""
    calendar = _calendar(policy, promise)
    if calendar is None:
        return WorkingDays(OpeningHours.always())
    if not any(calendar.weekly.values()) and not any(calendar.special.values()):
        raise InvalidInput(f"calendar {calendar.id!r} has no working days", [{"field": "policy"}])
    years = range(ordered_at.year - 1, ordered_at.year + 3)
    return WorkingDays(opening_hours(policy, calendar.id, years=years))
