"""Each clause of the policy as one plain sentence, written from its typed values.

The handbook reads as guidance: "We refund within 5 working days to the original
payment method", "We answer chats within 5 minutes, 8:00–20:00 Monday to Friday".
Every number comes from the same typed value the rest of Charter uses, never retyped;
durations are said as ``charter.figures.spoken`` says them. A clause is known by its
kind: its section (``returns``), or ``<section>.*`` for an item of a list section
(``contact_points.*``), or ``<section>.<list>.*`` for an item of a list inside a
section (``service_levels.rules.*``). A kind without a writer in ``WRITERS`` has no
sentence, and the handbook shows its fields as before (``UNWRITTEN`` lists the kinds
written as text already, where a sentence would only repeat it).

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: Acme, mission: Delight}
... calendars:
...   - {id: desk, timezone: Europe/London, weekly: {mon: ["09:00-17:00"], tue: ["09:00-17:00"]}}
... contact_points: [{id: cp-phone, channel: phone, address: "0800 111", calendar: desk}]
... ''').policy
>>> sentences(policy)["contact_points.cp-phone"]
'We answer calls on 0800 111, 9:00–17:00 Monday to Tuesday (Europe/London time).'
>>> kind_of("service_levels.rules.sl-chat"), kind_of("returns")
('service_levels.rules.*', 'returns')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from charter import figures
from charter.policy.calendar import ALWAYS, WEEKDAYS, Calendar, ContactPoint
from charter.policy.clauses import SECTIONS
from charter.policy.commitments import DeliveryPromise
from charter.policy.complaints import ComplaintStage
from charter.policy.people import MEASURABLE_KPIS, Benchmark, KpiTarget, Role
from charter.policy.returns import ReturnReason, Returns
from charter.policy.schema import Policy
from charter.policy.service_level import (
    METRIC_WORDS,
    EscalationLevel,
    Rule,
    ServiceLevels,
    Target,
)
from charter.policy.surveys import SURVEY_WORDS, Surveys
from charter.policy.units import Duration, parse_share

Writer = Callable[[Any, Policy], str]
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# What each channel's contacts are called and what we do with them.
CHANNEL_VERBS = {"phone": "answer calls", "chat": "answer chats", "email": "reply to e-mails"}
REFUND_METHODS = {
    "original_payment": "to the original payment method",
    "store_credit": "as store credit",
    "exchange": "as an exchange",
    "customer_choice": "in the way the customer chooses",
}
WINDOW_STARTS = {
    "delivery": "of delivery",
    "last_delivery": "of the last delivery of the order",
    "purchase": "of purchase",
}
FEES = {"free": "free of charge", "customer_pays": "at the customer's cost"}
# Kinds whose clauses are running text already (a principle, a goal, a courtesy
# standard): the text is the sentence, so no other is written.
UNWRITTEN = frozenset({
    "organisation", "vision", "vision.reasons.*", "goals.*", "principles.*",
    "returns.conditions.*", "returns.exclusions.*", "returns.categories.*", "staff.courtesy.*",
})  # fmt: skip


def kind_of(clause_id: str) -> str:
    """The kind of a clause, from its id: ``contact_points.cp-email`` → ``contact_points.*``."""
    parts = clause_id.split(".")
    return parts[0] if len(parts) == 1 else ".".join([*parts[:-1], "*"])


def sentences(policy: Policy) -> dict[str, str]:
    """The sentence of each clause of ``policy`` that has one, by clause id."""
    found = {}
    for clause_id, value in _values(policy):
        writer = WRITERS.get(kind_of(clause_id))
        if writer is not None:
            found[clause_id] = writer(value, policy)
    return found


def _values(policy: Policy) -> Iterator[tuple[str, Any]]:
    """Each clause id with its typed value, as ``charter.policy.clauses`` numbers them."""
    for section in SECTIONS:
        value = getattr(policy, section)
        if isinstance(value, list):
            yield from ((f"{section}.{item.id}", item) for item in value)
        elif isinstance(value, BaseModel):
            yield section, value
            for field in type(value).model_fields:
                items = getattr(value, field)
                if isinstance(items, list) and all(hasattr(i, "id") for i in items):
                    yield from ((f"{section}.{field}.{item.id}", item) for item in items)


def within(value: Duration, clock: str = ALWAYS) -> str:
    """``5 working days``, ``2 working hours``, ``5 minutes``, ``14 days``."""
    if value.weeks:
        return figures.plural(value.weeks, "week")
    if value.working_days:
        return figures.plural(value.working_days, "working day")
    return figures.spoken(value.seconds, working=clock != ALWAYS)


def hours(calendar: Calendar) -> str:
    """``9:00–17:00 Monday to Friday and 9:00–13:00, 14:00–17:00 Saturday``."""
    runs: list[tuple[str, list[int]]] = []
    for day, name in enumerate(WEEKDAYS):
        intervals = calendar.weekly.get(name)
        if not intervals:
            continue
        said = ", ".join(f"{_clock(start)}–{_clock(end)}" for start, end in intervals)
        if runs and runs[-1][0] == said and runs[-1][1][-1] == day - 1:
            runs[-1][1].append(day)
        else:
            runs.append((said, [day]))
    if not runs:
        return "closed every day"
    return " and ".join(f"{said} {_days(days)}" for said, days in runs)


def _clock(time: str) -> str:
    return time.removeprefix("0") if len(time) == 5 and time != "00:00" else time


def _days(days: list[int]) -> str:
    if len(days) == 1:
        return DAY_NAMES[days[0]]
    return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"


def _calendar(policy: Policy, calendar_id: str | None) -> Calendar | None:
    return next((c for c in policy.calendars if c.id == calendar_id), None)


def _open(policy: Policy, calendar_id: str | None) -> str:
    calendar = _calendar(policy, calendar_id)
    if calendar is None:
        return "around the clock" if calendar_id == ALWAYS else ""
    return f"{hours(calendar)} ({calendar.timezone} time)"


def calendar_sentence(calendar: Calendar, policy: Policy) -> str:
    closed = " and on public holidays" if calendar.holidays.country else ""
    return f"Open {hours(calendar)} ({calendar.timezone} time); closed at other times{closed}."


def contact_sentence(point: ContactPoint, policy: Policy) -> str:
    verb = CHANNEL_VERBS.get(point.channel, f"reply to {point.channel} messages")
    rule = next((r for r in policy.service_levels.rules if _only_channel(r, point.channel)), None)
    first = rule.targets.get("first_response") if rule else None
    promise = f" within {within(first.within, first.clock)}" if first else ""
    hours_said = _open(policy, point.calendar)
    return f"We {verb} on {point.address}{promise}" + (f", {hours_said}." if hours_said else ".")


def _only_channel(rule: Rule, channel: str) -> bool:
    """Whether ``rule`` applies to every contact on ``channel`` and only names it."""
    conditions = rule.when.model_dump(exclude_none=True)
    return list(conditions) == ["channel"] and channel in conditions["channel"]


def rule_sentence(rule: Rule, policy: Policy) -> str:
    promises = [_promise(metric, target) for metric, target in rule.targets.items()]
    if not promises:
        return "This rule promises no time."
    said = ", ".join(promises[:-1]) + (" and " if len(promises) > 1 else "") + promises[-1]
    named = rule.when.model_dump(exclude_none=True)
    when = " and ".join(f"the {field} is {' or '.join(items)}" for field, items in named.items())
    return f"{f'When {when}' if when else 'For every other ticket'}, we {said}."


METRIC_VERBS = {
    "first_response": "reply first within {}",
    "next_response": "answer each further message within {}",
    "resolution": "solve the ticket within {}",
}


def _promise(metric: str, target: Target) -> str:
    pattern = METRIC_VERBS.get(metric, f"keep {METRIC_WORDS.get(metric, metric)} within {{}}")
    share = f" ({figures.share(target.attainment)} of tickets)" if target.attainment else ""
    return pattern.format(within(target.within, target.clock)) + share


def escalation_sentence(level: EscalationLevel, policy: Policy) -> str:
    metric = METRIC_WORDS.get(level.metric, level.metric)
    if level.at.fraction < 1:
        when = f"At {figures.share(level.at.fraction)} of the {metric} time"
    elif level.at.offset.seconds or level.at.offset.working_days:
        when = f"{within(level.at.offset)} after the {metric} time runs out".capitalize()
    else:
        when = f"When the {metric} time runs out"
    action = ""
    if level.action and level.action.raise_priority:
        action += " and raises the priority one step"
    if level.action and level.action.reassign_to:
        action += f" and reassigns the ticket to {level.action.reassign_to}"
    return f"{when}, level {level.level} notifies {' and '.join(level.notify)}{action}."


def delivery_sentence(promise: DeliveryPromise, policy: Policy) -> str:
    low = promise.handling_days.min + promise.transit_days.min
    high = promise.handling_days.max + promise.transit_days.max
    span = f"{low}–{high}" if low != high else str(high)
    cutoff = f" when ordered by {promise.cutoff}" if promise.cutoff else ""
    cost = f"; {promise.cost}" if promise.cost else ""
    days = "working day" if high == 1 else "working days"
    return (
        f"{promise.method.capitalize()} delivery to {promise.region} arrives within {span} "
        f"{days}{cutoff}{cost}."
    )


def returns_sentence(returns: Returns, policy: Policy) -> str:
    refund = returns.refund
    window = figures.plural(returns.window_days, "day")
    starts = WINDOW_STARTS.get(returns.window_starts, returns.window_starts)
    fees = FEES.get(returns.fees, "with a restocking fee")
    method = REFUND_METHODS.get(refund.method, refund.method)
    return (
        f"Items can be returned within {window} {starts}, {fees}; "
        f"we refund within {within(refund.within, refund.clock)} {method}."
    )


def reason_sentence(reason: ReturnReason, policy: Policy) -> str:
    window = "after the return window too" if reason.bypasses_window else "within the window"
    said = f"A return because “{reason.text.rstrip('.')}” is accepted {window}"
    if reason.bypasses_exclusions:
        said += ", even for excluded items"
    if reason.needs_approval:
        said += ", once approved"
    return said + (", with no fee." if reason.waives_fees else ".")


def stage_sentence(stage: ComplaintStage, policy: Policy) -> str:
    ack = (
        f"acknowledged within {within(stage.acknowledge_within, stage.clock)} and "
        if stage.acknowledge_within
        else ""
    )
    share = f", for {figures.share(stage.attainment)} of complaints" if stage.attainment else ""
    return (
        f"{stage.name}: a complaint is {ack}answered within "
        f"{within(stage.within, stage.clock)}{share}."
    )


def role_sentence(role: Role, policy: Policy) -> str:
    """``Team lead (mail to team-leads@…): watch the queue and step in before ….``"""
    duties = "; ".join(_unstarted(duty.strip().rstrip(".")) for duty in role.responsibilities)
    mailbox = f" (mail to {role.email})" if role.email else ""
    return f"{role.name}{mailbox}: {duties or 'no responsibilities written yet'}."


def _unstarted(phrase: str) -> str:
    """``Answer contacts`` → ``answer contacts``, inside a sentence; ``SLA`` stays."""
    return phrase[:1].lower() + phrase[1:] if phrase[1:2].islower() else phrase


def survey_sentence(surveys: Surveys, policy: Policy) -> str:
    return (
        f"{within(surveys.after)} after a ticket is solved we ask {SURVEY_WORDS[surveys.kind]};"
        f" the link works for {within(surveys.valid_for)}."
    )


def training_sentence(training: Any, policy: Policy) -> str:
    clock = training.calendar or ALWAYS
    return (
        f"Staff acknowledge each new version within {within(training.acknowledge_within, clock)}"
        f" and new staff within {within(training.new_staff_within, clock)}; a quiz of "
        f"{training.questions} questions is passed at {figures.share(training.pass_mark)}."
    )


def review_sentence(review: Any, policy: Policy) -> str:
    return (
        f"The policy is reviewed every {figures.plural(review.cadence_months, 'month')} by "
        f"{review.owner}; the next review is due on {review.next_review.isoformat()}."
    )


def pauses_sentence(levels: ServiceLevels, policy: Policy) -> str:
    """Which statuses stop which clocks, the metrics sharing them together."""
    grouped: dict[str, list[str]] = {}
    for metric, statuses in levels.pauses.items():
        if statuses:
            said = " or ".join(status.replace("_", " ") for status in statuses)
            grouped.setdefault(said, []).append(METRIC_WORDS.get(metric, metric))
    parts: list[str] = []
    for said, names in grouped.items():
        clocks = f"{' and '.join(names)} clock{'s' if len(names) > 1 else ''}"
        stop = "" if parts else ("stop" if len(names) > 1 else "stops")
        parts.append(f"the {clocks} {stop} while {'it' if parts else 'a ticket'} is {said}")
    said = "; ".join(parts).replace("  ", " ") if parts else "no clock stops for a status"
    own = [r.id for r in levels.rules if any(t.paused is not None for t in r.targets.values())]
    unless = f" (rules {', '.join(own)} name their own)" if own else ""
    return f"{said[0].upper()}{said[1:]}{unless}. The first rule that matches a ticket applies."


STATISTICS = {"median": "the median", "p90": "the 90th percentile", "mean": "the mean"}


def kpi_sentence(target: KpiTarget, policy: Policy) -> str:
    bound = "at most" if target.direction == "at_most" else "at least"
    name = target.name or target.metric.replace("_", " ").capitalize()
    period = policy.kpis.period if policy.kpis else "period"
    if MEASURABLE_KPIS.get(target.metric) == "duration":
        clock = ALWAYS if target.clock == "calendar" else "business"
        said = within(Duration.parse(str(target.target)), clock)
        return f"{name}: {STATISTICS[target.statistic]} is {bound} {said}, each {period}."
    value = target.target
    if isinstance(value, float):
        said = figures.number(value)
    else:
        said = figures.share(parse_share(value)) if value.endswith("%") else value
    return f"{name}: {bound} {said}, each {period}."


def benchmark_sentence(benchmark: Benchmark, policy: Policy) -> str:
    metric = METRIC_WORDS.get(benchmark.metric, benchmark.metric)
    channel = f" on {benchmark.channel}" if benchmark.channel else ""
    return (
        f"{benchmark.competitor} gives a {metric}{channel} within {within(benchmark.value)}"
        f" ({benchmark.source}, {benchmark.date.isoformat()})."
    )


WRITERS: dict[str, Writer] = {
    "calendars.*": calendar_sentence,
    "contact_points.*": contact_sentence,
    "service_levels": pauses_sentence,
    "service_levels.rules.*": rule_sentence,
    "escalation.*": escalation_sentence,
    "delivery.*": delivery_sentence,
    "returns": returns_sentence,
    "returns.reasons.*": reason_sentence,
    "complaints.stages.*": stage_sentence,
    "staff.roles.*": role_sentence,
    "surveys": survey_sentence,
    "training": training_sentence,
    "review": review_sentence,
    "kpis.targets.*": kpi_sentence,
    "competitors.benchmarks.*": benchmark_sentence,
}
