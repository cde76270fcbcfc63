"""Promises that contradict themselves or outrun every competitor."""

from __future__ import annotations

from collections.abc import Iterator

from charter.policy.diagnostic import Diagnostic
from charter.policy.lint._codes import emit
from charter.policy.lint._time import no_later, span_of, words
from charter.policy.loader import LoadedPolicy
from charter.policy.people import Benchmark, Competitors
from charter.policy.service_level import METRIC_WORDS, Metric, Rule, Target

RULES = ("service_levels", "rules")
NARROWING = ("priority", "segment", "category", "tags")


def check_promises(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L005 (resolution before first response) and L020 (far stricter than competitors)."""
    return _resolution_before_response(loaded) + _stricter_than_competitors(loaded)


def _resolution_before_response(loaded: LoadedPolicy) -> list[Diagnostic]:
    found = []
    for i, rule in enumerate(loaded.policy.service_levels.rules):
        first, solved = rule.targets.get("first_response"), rule.targets.get("resolution")
        if first is None or solved is None:
            continue
        if no_later(span_of(solved.within, solved.clock), span_of(first.within, first.clock),
                    loaded.policy):  # fmt: skip
            message = (
                f"rule '{rule.id}' promises resolution within {_on(solved, first)} but the "
                f"first response within {_on(first, solved)}: a ticket would be due to be "
                "solved no later than its first reply"
            )
            hint = "make the resolution target longer than the first-response target"
            path = (*RULES, i, "targets", "resolution", "within")
            found.append(emit(loaded.source, "L005", path, message, hint))
    return found


def _on(target: Target, other: Target) -> str:
    text = words(target.within, target.clock)
    return text if target.clock == other.clock else f"{text} on {target.clock}"


def _stricter_than_competitors(loaded: LoadedPolicy) -> list[Diagnostic]:
    competitors = loaded.policy.competitors
    if competitors is None:
        return []
    found = []
    for metric, channel, best in _strictest_benchmarks(competitors):
        for i, rule in _general_rules(loaded, channel):
            target = rule.targets.get(metric)
            if target is None or target.within.is_working_days:
                continue
            ratio = best.value.seconds / target.within.seconds
            if ratio > competitors.stricter_factor:
                message, hint = _stricter_message(rule, target, best, ratio, channel)
                path = (*RULES, i, "targets", metric, "within")
                found.append(emit(loaded.source, "L020", path, message, hint))
    return found


def _strictest_benchmarks(
    competitors: Competitors,
) -> Iterator[tuple[Metric, str | None, Benchmark]]:
    """Per (metric, channel): the benchmark with the smallest time, in seconds only.

    A benchmark without a channel counts for every channel.
    """
    keys = dict.fromkeys((b.metric, b.channel) for b in competitors.benchmarks)
    for metric, channel in keys:
        usable = [
            b
            for b in competitors.benchmarks
            if b.metric == metric and b.channel in (channel, None) and not b.value.is_working_days
        ]
        if usable:
            yield metric, channel, min(usable, key=lambda b: b.value.seconds)


def _general_rules(loaded: LoadedPolicy, channel: str | None) -> Iterator[tuple[int, Rule]]:
    """Rules that are a channel's general promise: no condition but the channel.

    A benchmark names only a metric and a channel, so it is compared with the
    promise for that channel's ordinary tickets, not with promises narrowed to a
    priority, segment, category or tag (an urgent-ticket promise is meant to be
    stricter than a competitor's everyday one).
    """
    for i, rule in enumerate(loaded.policy.service_levels.rules):
        if any(getattr(rule.when, d) is not None for d in NARROWING):
            continue
        if channel is None or rule.when.channel is None or channel in rule.when.channel:
            yield i, rule


def _stricter_message(
    rule: Rule, target: Target, best: Benchmark, ratio: float, channel: str | None
) -> tuple[str, str]:
    metric = METRIC_WORDS[best.metric]
    where = f" on {channel}" if channel else ""
    message = (
        f"rule '{rule.id}' promises {metric}{where} within {words(target.within, target.clock)},"
        f" {ratio:.1f} times stricter than the strictest competitor ({best.competitor}:"
        f" {best.value.words(business=False)}); clocks may differ, so check theirs"
    )
    hint = (
        "make sure the promise is keepable, or raise competitors.stricter_factor "
        "if it is a deliberate lead"
    )
    return message, hint
