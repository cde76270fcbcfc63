"""Which tickets the service-level rules match: dead rules and uncovered tickets.

Rules are tried in order and the first whose conditions all hold applies. A
condition lists values and holds when the ticket has any of them. Priority is
the only dimension whose values are known in advance (low, normal, high,
urgent); channels, segments, categories and tags are open sets.

A later rule can never match when the earlier rules together match every ticket
it would. Splitting the later rule into cells (one value per condition it
lists, and one cell per priority) makes that exact: because the other
dimensions are open, a cell is covered by a union of earlier rules only when a
single earlier rule covers it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from charter.policy.calendar import suggest
from charter.policy.diagnostic import Diagnostic
from charter.policy.lint._codes import emit
from charter.policy.loader import LoadedPolicy
from charter.policy.service_level import PRIORITIES, Conditions, Rule

DIMENSIONS = ("channel", "priority", "segment", "category", "tags")
NARROWING = ("segment", "category", "tags")
MAX_CELLS = 4096
Cell = tuple[frozenset[str] | None, ...]  # per dimension: allowed values, None = any
RULES = ("service_levels", "rules")


def check_rules(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L001 to L004 and L024 for the policy's rules."""
    rules = loaded.policy.service_levels.rules
    if not rules:
        message = "the policy has no service-level rules, so no ticket has a response promise"
        hint = "add service_levels: rules:, ending with a catch-all rule (one without when:)"
        return [emit(loaded.source, "L004", ("service_levels",), message, hint, at_key=True)]
    found = _empty_conditions(loaded) + _never_matching(loaded)
    return found + _uncovered(loaded) + _unknown_channels(loaded)


def matches_nothing(when: Conditions) -> bool:
    """True when a condition lists no value at all, so no ticket can match."""
    return any(getattr(when, dim) == [] for dim in DIMENSIONS)


def _empty_conditions(loaded: LoadedPolicy) -> list[Diagnostic]:
    found = []
    for i, rule in enumerate(loaded.policy.service_levels.rules):
        for dim in DIMENSIONS:
            if getattr(rule.when, dim) == []:
                message = f"rule '{rule.id}' has an empty {dim} list, so it matches no ticket"
                hint = f"list at least one {dim}, or remove the condition to match any {dim}"
                found.append(emit(loaded.source, "L002", (*RULES, i, "when", dim), message, hint))
    return found


def _never_matching(loaded: LoadedPolicy) -> list[Diagnostic]:
    rules = loaded.policy.service_levels.rules
    found = []
    for i, rule in enumerate(rules):
        if matches_nothing(rule.when):
            continue
        earlier = [r for r in rules[:i] if not matches_nothing(r.when)]
        covering = _covering(rule.when, earlier)
        if covering:
            message, hint = _never_message(rule, covering, loaded)
            found.append(emit(loaded.source, "L001", (*RULES, i), message, hint))
    return found


def _covering(when: Conditions, earlier: list[Rule]) -> list[Rule]:
    """The earlier rules that together match every ticket ``when`` matches, or []."""
    used: dict[str, Rule] = {}
    for cell in _cells(when):
        rule = next((r for r in earlier if _covers(r.when, cell)), None)
        if rule is None:
            return []
        used.setdefault(rule.id, rule)
    return list(used.values())


def _cells(when: Conditions) -> Iterator[Cell]:
    choices: list[list[frozenset[str] | None]] = []
    for dim in DIMENSIONS:
        values = getattr(when, dim)
        if values is None:
            values = list(PRIORITIES) if dim == "priority" else None
        choices.append([None] if values is None else [frozenset([v]) for v in values])
    if math.prod(len(c) for c in choices) > MAX_CELLS:  # too many: compare the rule whole
        yield tuple(_union(c) for c in choices)
        return
    yield from itertools.product(*choices)


def _union(choice: list[frozenset[str] | None]) -> frozenset[str] | None:
    sets = [c for c in choice if c is not None]
    return frozenset().union(*sets) if sets else None


def _covers(when: Conditions, cell: Cell) -> bool:
    for dim, allowed in zip(DIMENSIONS, cell, strict=True):
        values = getattr(when, dim)
        if values is None:
            continue
        if allowed is None or not allowed <= set(values):
            return False
    return True


def _never_message(rule: Rule, covering: list[Rule], loaded: LoadedPolicy) -> tuple[str, str]:
    catch_all = next((r for r in covering if r.when.is_catch_all()), None)
    hint = "move it above the rules that match its tickets, narrow them, or remove it"
    if catch_all is not None:
        message = f"rule '{rule.id}' comes after the catch-all rule '{catch_all.id}', "
        return message + "which matches every ticket first", "move the catch-all rule last"
    names = " and ".join(f"'{r.id}' (line {_line(loaded, r)})" for r in covering)
    verb = "rule {} matches" if len(covering) == 1 else "rules {} together match"
    found = verb.format(names)
    return f"rule '{rule.id}' can never match: earlier {found} every ticket it would", hint


def _line(loaded: LoadedPolicy, rule: Rule) -> int:
    index = loaded.policy.service_levels.rules.index(rule)
    return loaded.source.locate((*RULES, index))[0]


def channels(loaded: LoadedPolicy) -> list[str]:
    """Channels of the contact points, then channels named in rules, each once."""
    policy = loaded.policy
    named = [p.channel for p in policy.contact_points]
    for rule in policy.service_levels.rules:
        named += rule.when.channel or []
    return list(dict.fromkeys(named))


def _uncovered(loaded: LoadedPolicy) -> list[Diagnostic]:
    general = [
        r.when
        for r in loaded.policy.service_levels.rules
        if not matches_nothing(r.when) and all(getattr(r.when, d) is None for d in NARROWING)
    ]
    found = []
    known: list[str | None] = [*channels(loaded)]
    for channel in known or [None]:
        missing = [p for p in PRIORITIES if not any(_matches(w, channel, p) for w in general)]
        if missing:
            verb = "has" if len(missing) == 1 else "have"
            message = f"{channel or 'any channel'}: {', '.join(missing)} {verb} no rule"
            hint = (
                "add a catch-all rule (one without when:) as the last rule; rules with "
                "segment, category or tags conditions cover only some tickets"
            )
            found.append(emit(loaded.source, "L003", RULES, message, hint, at_key=True))
    return found


def _matches(when: Conditions, channel: str | None, priority: str) -> bool:
    channel_ok = when.channel is None or (channel is not None and channel in when.channel)
    return channel_ok and (when.priority is None or priority in when.priority)


def _unknown_channels(loaded: LoadedPolicy) -> list[Diagnostic]:
    offered = sorted({p.channel for p in loaded.policy.contact_points})
    if not offered:
        return []
    found = []
    for i, rule in enumerate(loaded.policy.service_levels.rules):
        for j, channel in enumerate(rule.when.channel or []):
            if channel not in offered:
                message = f"rule '{rule.id}' names channel '{channel}', which no contact point "
                message += f"offers{suggest(channel, offered) or ''}"
                hint = "correct the channel, or add a contact point if customers use it"
                path = (*RULES, i, "when", "channel", j)
                found.append(emit(loaded.source, "L024", path, message, hint))
    return found
