"""The policy's facts a quiz asks about, read from its typed values (private to ``quiz``).

Each fact is a ``Draft``: the clause it cites, the answer as a typed value, the sibling
values a distractor may come from first (another priority's target, another desk's
hours, another region's transit days), and the values that would also be right.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import get_args

import polars as pl

from charter.policy.calendar import ALWAYS
from charter.policy.commitments import DayRange
from charter.policy.returns import RefundMethod
from charter.policy.schema import Policy
from charter.policy.service_level import METRIC_WORDS, Rule
from charter.sla.rules import condition_expr, rule_expr
from charter.training._calendar_facts import opening_hours
from charter.training._distractors import (
    THRESHOLDS,
    Choice,
    Days,
    Draft,
    Span,
    norm,
    recipients,
    threshold,
)

# The priority a question names when a rule does not say: the usual one first.
PRIORITY_ORDER = ("normal", "high", "low", "urgent")
Ticket = tuple[str | None, str, str | None, str | None, list[str]]
TICKET_SCHEMA = {"channel": pl.String(), "priority": pl.String(), "segment": pl.String(),
                 "category": pl.String(), "tags": pl.List(pl.String())}  # fmt: skip


def drafts(policy: Policy) -> Iterator[Draft]:
    """Every fact of ``policy`` a question can ask about, topic by topic."""
    yield from opening_hours(policy)
    yield from service_levels(policy)
    yield from escalation(policy)
    yield from delivery(policy)
    yield from returns(policy)
    yield from complaints(policy)
    yield from courtesy(policy)
    yield from roles(policy)


def service_levels(policy: Policy) -> Iterator[Draft]:
    """Each rule's targets, asked for a ticket the rule governs: the first rule whose
    conditions it meets, matched as the service-level engine matches
    (``charter.sla.rules``). Where another specific rule also matches some of the
    rule's tickets, the question names one of those: first match wins is the lesson."""
    rules = policy.service_levels.rules
    tickets = _tickets(policy, rules)
    if not tickets:
        return
    frame = pl.DataFrame([t for _, t in tickets], schema=TICKET_SCHEMA, orient="row")
    # with_columns, not select: a rule with no conditions is a literal, broadcast here
    first = frame.with_columns(rule_expr(rules)).get_column("rule_id").to_list()
    checks = [condition_expr(r.when).alias(f"meets_{i}") for i, r in enumerate(rules)]
    meets = frame.with_columns(checks).select(pl.selectors.starts_with("meets_")).rows()
    named = any(r.when.segment or r.when.category or r.when.tags for r in rules)
    spans = [(m, Span.of(t.within, t.clock)) for r in rules for m, t in r.targets.items()]
    for index, rule in enumerate(rules):
        mine = [n for n, (owner, _) in enumerate(tickets) if owner == index and first[n] == rule.id]
        contested = [
            n
            for n in mine
            if any(
                meets[n][j] and not r.when.is_catch_all() for j, r in enumerate(rules) if j > index
            )
        ]
        if not mine:
            continue  # no ticket reaches this rule: the linter reports it
        ticket = tickets[(contested or mine)[0]][1]
        for metric, target in rule.targets.items():
            answer = Span.of(target.within, target.clock)
            own = [s for m, s in spans if m == metric]
            yield Draft(
                f"service_levels.rules.{rule.id}", metric, "service levels",
                f"Within what time is the {METRIC_WORDS[metric]} promised for "
                f"{_ticket_words(ticket, named)}?", "duration", answer,
                (*own, *(s for _, s in spans)),
            )  # fmt: skip


def _tickets(policy: Policy, rules: Sequence[Rule]) -> list[tuple[int, Ticket]]:
    """Tickets each rule's own conditions describe: its channels (else every channel the
    policy names), its priorities (else all), its first segment, category and tag."""
    channels: list[str | None] = list(
        dict.fromkeys(
            [p.channel for p in policy.contact_points]
            + [c for r in rules for c in r.when.channel or []]
        )  # fmt: skip
    ) or [None]
    found: list[tuple[int, Ticket]] = []
    for index, rule in enumerate(rules):
        when = rule.when
        for channel in when.channel or channels:
            for priority in [p for p in PRIORITY_ORDER if p in (when.priority or PRIORITY_ORDER)]:
                segment = when.segment[0] if when.segment else None
                category = when.category[0] if when.category else None
                tags = when.tags[:1] if when.tags else []
                found.append((index, (channel, priority, segment, category, tags)))
    return found


def _ticket_words(ticket: Ticket, named: bool) -> str:
    """``a normal-priority ticket on the chat channel``; its segment, category or tag when
    it has one, else, when some rule names them, that it has none of those."""
    channel, priority, segment, category, tags = ticket
    article = "an" if priority[0] in "aeiou" else "a"
    said = f"{article} {priority}-priority ticket" + (
        f" on the {channel} channel" if channel else ""
    )
    extras = [f"from a customer in segment {segment}"] if segment else []
    extras += [f"in category {category}"] if category else []
    extras += [f"tagged {tags[0]}"] if tags else []
    if extras:
        return f"{said} {' and '.join(extras)}"
    return f"{said}, with no segment, category or tag a rule names" if named else said


def role_names(policy: Policy) -> dict[str, str]:
    return {role.id: role.name for role in policy.staff.roles} if policy.staff else {}


def escalation(policy: Policy) -> Iterator[Draft]:
    """Whom each escalation level notifies, and when it fires."""
    names = role_names(policy)
    levels = policy.escalation
    for level in levels:
        clause, metric = f"escalation.{level.id}", METRIC_WORDS[level.metric]
        answer = recipients(level.notify, names)
        sets = [recipients(other.notify, names) for other in levels]
        singles = [recipients([role], names) for role in names]
        more = [recipients([*level.notify, role], names) for role in names]
        fewer = [recipients(level.notify[:-1], names)] if len(level.notify) > 1 else []
        asked = f"escalation level {level.level} for {metric} ({threshold(level.at).text})"
        yield Draft(
            clause, "notify", "escalation", f"Who is notified at {asked}?", "recipients",
            answer, (*sets, *singles, *more, *fewer),
        )  # fmt: skip
        when = tuple(threshold(t) for t in (*(o.at for o in levels), *THRESHOLDS))
        yield Draft(
            clause, "at", "escalation",
            f"When does escalation level {level.level} for {metric} fire?", "threshold",
            threshold(level.at), when,
        )  # fmt: skip


def delivery(policy: Policy) -> Iterator[Draft]:
    """Handling and transit days per region and method."""
    promises = policy.delivery
    for promise in promises:
        near = sorted(
            promises, key=lambda p: (p.region != promise.region, p.method != promise.method)
        )
        for key, what in (("transit_days", "in transit (dispatch to delivery)"),
                          ("handling_days", "to handle (order to dispatch)")):  # fmt: skip
            answer: DayRange = getattr(promise, key)
            others = [getattr(p, k) for k in (key, "transit_days", "handling_days") for p in near]
            yield Draft(
                f"delivery.{promise.id}", key, "delivery",
                f"How many business days does {promise.method} delivery to {promise.region} "
                f"take {what}?", "day range",
                Days(answer.min, answer.max), tuple(Days(d.min, d.max) for d in others),
            )  # fmt: skip


def returns(policy: Policy) -> Iterator[Draft]:
    """The return window (a number of days), the refund method and the refund time."""
    if policy.returns is None:
        return
    window, refund = policy.returns.window_days, policy.returns.refund
    days = "working days" if policy.returns.window_unit == "working_days" else "days"
    anchor = policy.returns.window_starts.replace("_", " ")  # last delivery
    yield Draft(
        "returns", "window_days", "refunds",
        f"How many {days} does a customer have to return an item, counted from {anchor}?",
        "duration", Choice(window, str(window)), number=(str(window), "days"),
    )  # fmt: skip
    methods = [Choice(m, m.replace("_", " ")) for m in get_args(RefundMethod)]
    yield Draft(
        "returns", "refund.method", "refunds", "How is a refund paid?", "refund method",
        Choice(refund.method, refund.method.replace("_", " ")), tuple(methods),
    )  # fmt: skip
    yield _limit(
        "returns",
        "refund.within",
        "refunds",
        "is a refund paid after the return arrives",
        Span.of(refund.within, refund.clock),
        _stage_spans(policy),
    )


def complaints(policy: Policy) -> Iterator[Draft]:
    """Each complaint stage's time limit and the role that owns it."""
    if policy.complaints is None:
        return
    names = role_names(policy)
    roles = tuple(Choice(role, name) for role, name in names.items())
    for stage in policy.complaints.stages:
        clause = f"complaints.stages.{stage.id}"
        yield _limit(
            clause,
            "within",
            "complaints",
            f"does the complaint stage “{stage.name}” reply",
            Span.of(stage.within, stage.clock),
            _stage_spans(policy),
        )
        yield Draft(
            clause, "owner_role", "complaints",
            f"Which role owns the complaint stage “{stage.name}”?", "role",
            Choice(stage.owner_role, names.get(stage.owner_role, stage.owner_role)), roles,
        )  # fmt: skip


def _stage_spans(policy: Policy) -> tuple[Span, ...]:
    """The policy's other time limits: the complaint stages' and the refund's."""
    spans = (
        [Span.of(s.within, s.clock) for s in policy.complaints.stages] if policy.complaints else []
    )
    if policy.returns is not None:
        spans.append(Span.of(policy.returns.refund.within, policy.returns.refund.clock))
    return tuple(spans)


def _limit(
    clause: str, key: str, topic: str, what: str, answer: Span, near: tuple[Span, ...]
) -> Draft:
    """A time limit: asked as a number in its unit when it has one, else as a choice."""
    said = answer.number()
    where = "around the clock" if answer.clock == ALWAYS else f"on calendar {answer.clock}"
    if said is not None:
        prompt = f"Within how many {said[1]} ({where}) {what}?"
        return Draft(clause, key, topic, prompt, "duration", answer, number=said)
    return Draft(clause, key, topic, f"Within what time {what}?", "duration", answer, near)


def courtesy(policy: Policy) -> Iterator[Draft]:
    """Which text is one of our courtesy standards: the others are principles and
    responsibilities, which are not."""
    if policy.staff is None:
        return
    standards = [Choice(norm(c.text), c.text) for c in policy.staff.courtesy]
    texts = [p.text for p in policy.principles]
    texts += [text for role in policy.staff.roles for text in role.responsibilities]
    texts += [g.text for g in policy.goals]
    others = [Choice(norm(text), text) for text in texts]
    for place, (item, answer) in enumerate(zip(policy.staff.courtesy, standards, strict=True)):
        turn = place % len(others) if others else 0  # each question its own distractors
        yield Draft(
            f"staff.courtesy.{item.id}", "standard", "courtesy",
            "Which of these is one of our courtesy standards?", "text", answer,
            tuple(others[turn:] + others[:turn]), frozenset(standards),
        )  # fmt: skip


def roles(policy: Policy) -> Iterator[Draft]:
    """Which role does each responsibility."""
    if policy.staff is None:
        return
    everyone = tuple(Choice(role.id, role.name) for role in policy.staff.roles)
    for role in policy.staff.roles:
        for number, text in enumerate(role.responsibilities, start=1):
            sharing = frozenset(
                Choice(other.id, other.name)
                for other in policy.staff.roles
                if norm(text) in {norm(t) for t in other.responsibilities}
            )
            yield Draft(
                f"staff.roles.{role.id}", f"responsibility.{number}", "roles",
                f"Whose responsibility is this: “{text}”?", "role",
                Choice(role.id, role.name), everyone, sharing,
            )  # fmt: skip
