"""Section d: the policy's competitor benchmarks beside our own promise for the same
metric and channel, in words ("we promise 8 business hours, HomeStore 1 day").

Our promise for a channel is the one its everyday tickets get: the first rule, in the
policy's order, whose only condition is the channel (or that has none), as the linter
compares them (L020). A benchmark without a channel is set beside the rule with no
condition at all. Clocks may differ: ours counts business hours where it says so.
"""

from __future__ import annotations

from charter.policy.calendar import ALWAYS
from charter.policy.people import Benchmark
from charter.policy.schema import Policy
from charter.policy.service_level import METRIC_WORDS, Rule, Target
from charter.services.review_pack._values import Benchmarked

NARROWING = ("priority", "segment", "category", "tags")


def _everyday_rule(policy: Policy, channel: str | None) -> Rule | None:
    for rule in policy.service_levels.rules:
        if any(getattr(rule.when, name) is not None for name in NARROWING):
            continue
        chosen = rule.when.channel
        if chosen is None or (channel is not None and channel in chosen):
            return rule
    return None


def _words(target: Target) -> str:
    return target.within.words(business=target.clock != ALWAYS)


def _benchmarked(policy: Policy, bench: Benchmark) -> Benchmarked:
    rule = _everyday_rule(policy, bench.channel)
    target = rule.targets.get(bench.metric) if rule else None
    theirs = bench.value.words(business=False)
    ours = _words(target) if target else ""
    metric = METRIC_WORDS.get(bench.metric, bench.metric)
    where = f"by {bench.channel}" if bench.channel else "on any channel"
    sentence = (f"{metric} {where}: we promise {ours}, {bench.competitor} {theirs}" if ours
                else f"{metric} {where}: we promise nothing for it, {bench.competitor} "
                     f"{theirs}")  # fmt: skip
    return Benchmarked(
        bench.competitor, metric, bench.channel or "any channel", theirs, ours,
        rule.id if target and rule else None, bench.source, bench.date, sentence,
    )  # fmt: skip


def benchmarks(policy: Policy) -> tuple[Benchmarked, ...]:
    """Every benchmark of the policy's ``competitors`` section, in its order."""
    if policy.competitors is None:
        return ()
    return tuple(_benchmarked(policy, b) for b in policy.competitors.benchmarks)
