"""The linter's codes: each one's stable name, severity and one-line summary.

Codes never change meaning; a retired code is not reused. ``docs/lint.md``
documents every code and a test keeps the two in step.
"""

from __future__ import annotations

from typing import NamedTuple

from charter.policy.diagnostic import Diagnostic, Path, Severity
from charter.policy.source import SourceMap


class LintCode(NamedTuple):
    """What a lint code is called, how serious it is, and what it reports."""

    name: str
    severity: Severity
    summary: str


LINT_CODES: dict[str, LintCode] = {
    "L001": LintCode("rule-never-matches", "error",
                     "a service-level rule that earlier rules leave no ticket to match"),
    "L002": LintCode("condition-matches-nothing", "error",
                     "a rule condition with an empty list, so the rule matches no ticket"),
    "L003": LintCode("tickets-without-rule", "warning",
                     "channel and priority combinations that no service-level rule matches"),
    "L004": LintCode("no-service-levels", "warning",
                     "the policy has no service-level rules at all"),
    "L005": LintCode("resolution-before-first-response", "error",
                     "a resolution target due no later than the rule's first-response target"),
    "L006": LintCode("escalation-percent-past-breach", "warning",
                     'an escalation threshold above 100% that should read "breach + X"'),
    "L007": LintCode("escalation-after-resolution-due", "warning",
                     "an escalation due at or after the ticket is due to be solved"),
    "L008": LintCode("escalation-metric-untargeted", "warning",
                     "an escalation level for a metric no service-level rule targets"),
    "L009": LintCode("escalation-levels-out-of-order", "error",
                     "a higher escalation level due no later than a lower one"),
    "L010": LintCode("escalation-level-repeated", "error",
                     "two escalation levels with the same number for one metric"),
    "L011": LintCode("contact-point-without-hours", "warning",
                     "a contact point with no calendar of opening hours"),
    "L012": LintCode("contact-point-never-open", "error",
                     "a contact point whose calendar never opens"),
    "L013": LintCode("kpi-not-measurable", "error",
                     "a KPI target whose metric Charter cannot measure"),
    "L014": LintCode("sla-kpi-without-metric", "error",
                     "an sla_compliance KPI that does not say which metric it counts"),
    "L015": LintCode("goal-without-mission-link", "warning",
                     "a goal that does not say how it serves the mission"),
    "L016": LintCode("no-goals", "info",
                     "the policy sets no goals"),
    "L017": LintCode("vision-without-five-reasons", "warning",
                     "no vision, or a vision without exactly five reasons"),
    "L018": LintCode("review-overdue", "warning",
                     "the next review date has passed"),
    "L019": LintCode("review-due-soon", "info",
                     "the next review falls within its warning period"),
    "L020": LintCode("promise-far-stricter-than-competitors", "warning",
                     "a promise stricter than every competitor benchmark by more than the factor"),
    "L021": LintCode("calendar-unused", "info",
                     "a calendar that nothing in the policy uses"),
    "L022": LintCode("clock-never-opens", "error",
                     "a promise whose clock is a calendar that never opens"),
    "L023": LintCode("sla-kpi-metric-untargeted", "warning",
                     "an sla_compliance KPI for a metric no service-level rule targets"),
    "L024": LintCode("channel-without-contact-point", "info",
                     "a rule names a channel that no contact point offers"),
    "L025": LintCode("review-beyond-cadence", "info",
                     "the next review is further away than one review cycle"),
    "L026": LintCode("clock-paused-while-awaiting-team", "warning",
                     "a metric's clock pauses in new or open, while the ticket waits on the team"),
    "L027": LintCode("return-window-closed", "warning",
                     "a return window of 0 days that no reason bypasses, so nothing is returned"),
    "L028": LintCode("fee-rounding-without-fee", "warning",
                     "a restocking fee rounding set where there is no restocking fee"),
    "L029": LintCode("category-rule-under-exclusion", "warning",
                     "a return category rule for a category an exclusion always refuses"),
    "L030": LintCode("category-rule-shadowed", "warning",
                     "a second return category rule for a category, which never applies"),
    "L031": LintCode("promise-of-every-ticket", "warning",
                     "a target share of 100 %, which one late ticket breaks"),
}  # fmt: skip


def emit(
    source: SourceMap,
    code: str,
    path: Path,
    message: str,
    hint: str,
    *,
    at_key: bool = False,
) -> Diagnostic:
    """A located finding whose severity always comes from ``LINT_CODES``."""
    severity = LINT_CODES[code].severity
    return source.diagnostic(code, severity, path, message, hint, at_key=at_key)
