"""Escalation levels that fire too late, never, or out of order.

A level is due at ``fraction × target + offset`` on the target's clock, so its
due point differs per rule; a check that depends on the target looks at every
rule targeting the level's metric.
"""

from __future__ import annotations

from charter.policy.diagnostic import Diagnostic
from charter.policy.lint._codes import emit
from charter.policy.lint._time import amount_words, no_later, span_of, threshold_span, words
from charter.policy.loader import LoadedPolicy
from charter.policy.service_level import METRIC_WORDS, EscalationLevel, Rule
from charter.policy.units import Duration

ESCALATION = "escalation"


def check_escalation(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L006 to L010 for every level of the escalation chain."""
    found: list[Diagnostic] = []
    for i, level in enumerate(loaded.policy.escalation):
        rules = _rules_for(loaded, level.metric)
        found += _past_breach(loaded, i, level, rules)
        found += _after_resolution(loaded, i, level, rules)
        if not rules:
            metric = level.metric
            message = (
                f"level {level.level} watches {METRIC_WORDS[metric]}, but no service-level "
                "rule has a target for it, so it never fires"
            )
            hint = f"add a {metric} target to the rules, or remove this level"
            found.append(emit(loaded.source, "L008", (ESCALATION, i, "metric"), message, hint))
    return found + _numbering(loaded)


def _rules_for(loaded: LoadedPolicy, metric: str) -> list[Rule]:
    return [r for r in loaded.policy.service_levels.rules if metric in r.targets]


def _past_breach(
    loaded: LoadedPolicy, i: int, level: EscalationLevel, rules: list[Rule]
) -> list[Diagnostic]:
    if level.at.fraction <= 1:
        return []
    message = f"'{level.at}' is past the target, so this level comes after the breach"
    hint = 'write it as "breach + X" so the delay after the breach is explicit'
    example = next((r for r in rules if not r.targets[level.metric].within.is_working_days), None)
    if example is not None:
        within = example.targets[level.metric].within
        minutes = max(1, round(within.seconds * (level.at.fraction - 1) / 60))
        extra = Duration(seconds=minutes * 60)
        hint += f" (for rule '{example.id}', whose target is {within}, {level.at} is"
        hint += f' "breach + {extra}")'
    return [emit(loaded.source, "L006", (ESCALATION, i, "at"), message, hint)]


def _after_resolution(
    loaded: LoadedPolicy, i: int, level: EscalationLevel, rules: list[Rule]
) -> list[Diagnostic]:
    if level.metric == "resolution":
        return []
    late = []
    for rule in rules:
        solved = rule.targets.get("resolution")
        point = threshold_span(level.at, rule.targets[level.metric])
        if solved is None or point is None:
            continue
        if no_later(span_of(solved.within, solved.clock), point, loaded.policy):
            late.append((rule, point))
    if not late:
        return []
    rule, point = late[0]
    more = len(late) - 1
    others = f" (and {more} more rule{'' if more == 1 else 's'})" if more else ""
    due = words(rule.targets["resolution"].within, rule.targets["resolution"].clock)
    message = (
        f"level {level.level} ({METRIC_WORDS[level.metric]} at {level.at}) is due after "
        f"{amount_words(point)} on rule '{rule.id}', when the ticket is already due to be "
        f"solved (resolution within {due}){others}"
    )
    hint = "escalate earlier, or give the rule a longer resolution target"
    return [emit(loaded.source, "L007", (ESCALATION, i, "at"), message, hint)]


def _numbering(loaded: LoadedPolicy) -> list[Diagnostic]:
    found = []
    chain = list(enumerate(loaded.policy.escalation))
    for i, level in chain:
        earlier = [(j, other) for j, other in chain[:i] if other.metric == level.metric]
        same = next((j for j, other in earlier if other.level == level.level), None)
        if same is not None:
            line = loaded.source.locate((ESCALATION, same, "level"))[0]
            message = f"{level.metric} already has a level {level.level} (line {line})"
            hint = "number the levels of a metric 1, 2, 3, ... in the order they fire"
            found.append(emit(loaded.source, "L010", (ESCALATION, i, "level"), message, hint))
    for i, level in chain:
        found += _out_of_order(loaded, i, level)
    return found


def _out_of_order(loaded: LoadedPolicy, i: int, level: EscalationLevel) -> list[Diagnostic]:
    rules = _rules_for(loaded, level.metric)
    for j, lower in enumerate(loaded.policy.escalation):
        if lower.metric != level.metric or lower.level >= level.level:
            continue
        reason = _not_after(level, lower, rules)
        if reason is not None:
            message = (
                f"level {level.level} ({level.at}) is due no later than level {lower.level} "
                f"({lower.at}, line {loaded.source.locate((ESCALATION, j, 'at'))[0]}){reason}"
            )
            hint = "give higher levels later thresholds, or renumber the levels"
            return [emit(loaded.source, "L009", (ESCALATION, i, "at"), message, hint)]
    return []


def _not_after(higher: EscalationLevel, lower: EscalationLevel, rules: list[Rule]) -> str | None:
    """Why ``higher`` is due at or before ``lower``, or None when it is due later."""
    offsets = _comparable(higher.at.offset, lower.at.offset)
    if offsets and higher.at.fraction <= lower.at.fraction and offsets[0] <= offsets[1]:
        return ""
    for rule in rules:
        target = rule.targets[higher.metric]
        late, early = threshold_span(higher.at, target), threshold_span(lower.at, target)
        if late is None or early is None or late.working_days != early.working_days:
            continue
        if late.amount <= early.amount:
            return f" for rule '{rule.id}', whose target is {target.within}"
    return None


def _comparable(first: Duration, second: Duration) -> tuple[int, int] | None:
    """Both offsets in one unit (a zero offset fits either), or None."""
    zero = Duration()
    if zero in (first, second) or first.is_working_days == second.is_working_days:
        return first.working_days or first.seconds, second.working_days or second.seconds
    return None
