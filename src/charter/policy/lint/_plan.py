"""The plan around the promises: vision, goals, KPI targets and the review date."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from charter.policy.calendar import suggest
from charter.policy.diagnostic import Diagnostic
from charter.policy.lint._codes import emit
from charter.policy.loader import LoadedPolicy
from charter.policy.people import MEASURABLE_KPIS, Review
from charter.policy.service_level import METRIC_WORDS

REASONS = 5


def check_plan(loaded: LoadedPolicy, today: dt.date) -> list[Diagnostic]:
    """L013 to L019, L023 and L025."""
    found = _vision(loaded) + _goals(loaded) + _kpis(loaded)
    review = loaded.policy.review
    return found + (_review(loaded, review, today) if review is not None else [])


def _vision(loaded: LoadedPolicy) -> list[Diagnostic]:
    vision = loaded.policy.vision
    if vision is None:
        message = "the policy has no vision and no five reasons it will succeed"
        hint = "add vision: with a statement and five reasons customers will love you"
        return [emit(loaded.source, "L017", (), message, hint)]
    count = len(vision.reasons)
    if count == REASONS:
        return []
    message = f"the vision gives {count} reason{'' if count == 1 else 's'}, not five"
    hint = "write exactly five reasons the business will succeed and customers love it"
    return [emit(loaded.source, "L017", ("vision", "reasons"), message, hint, at_key=True)]


def _goals(loaded: LoadedPolicy) -> list[Diagnostic]:
    goals = loaded.policy.goals
    if not goals:
        message = "the policy sets no goals"
        hint = "add goals: that say what the service aims for and how it serves the mission"
        return [emit(loaded.source, "L016", (), message, hint)]
    found = []
    for i, goal in enumerate(goals):
        if not (goal.mission_link or "").strip():
            message = f"goal '{goal.id}' does not say how it serves the mission"
            hint = "add mission_link: with how this goal serves the organisation's mission"
            found.append(emit(loaded.source, "L015", ("goals", i), message, hint))
    return found


def _kpis(loaded: LoadedPolicy) -> list[Diagnostic]:
    kpis = loaded.policy.kpis
    if kpis is None:
        return []
    targeted = {m for r in loaded.policy.service_levels.rules for m in r.targets}
    found = []
    for i, kpi in enumerate(kpis.targets):
        path = ("kpis", "targets", i)
        if kpi.metric not in MEASURABLE_KPIS:
            close = suggest(kpi.metric, list(MEASURABLE_KPIS))
            message = f"KPI '{kpi.id}' measures '{kpi.metric}', which Charter cannot measure{close}"
            hint = f"use one of: {', '.join(MEASURABLE_KPIS)}"
            found.append(emit(loaded.source, "L013", (*path, "metric"), message, hint))
        elif kpi.metric == "sla_compliance" and kpi.sla_metric is None:
            message = f"KPI '{kpi.id}' measures SLA compliance but not of which metric"
            hint = "add sla_metric: (first_response, resolution, ...)"
            found.append(emit(loaded.source, "L014", path, message, hint))
        elif kpi.metric == "sla_compliance" and kpi.sla_metric not in targeted:
            words = METRIC_WORDS[str(kpi.sla_metric)]
            message = f"KPI '{kpi.id}' counts {words} compliance, but no rule targets {words}"
            hint = "point sla_metric at a metric the rules target, or add that target"
            found.append(emit(loaded.source, "L023", (*path, "sla_metric"), message, hint))
    return found


def _review(loaded: LoadedPolicy, review: Review, today: dt.date) -> list[Diagnostic]:
    path = ("review", "next_review")
    days = (review.next_review - today).days
    if days < 0:
        message = f"the review was due on {review.next_review}, {_days(-days)} ago"
        hint = "hold the review, then set next_review to the following date"
        return [emit(loaded.source, "L018", path, message, hint)]
    if days <= review.warn_days:
        when = "today" if days == 0 else f"in {_days(days)}"
        message = f"the review is due on {review.next_review}, {when}"
        hint = "prepare the review pack: KPIs, feedback themes and competitor benchmarks"
        return [emit(loaded.source, "L019", path, message, hint)]
    latest = add_months(today, review.cadence_months)
    if review.next_review > latest:
        message = (
            f"the next review ({review.next_review}) is more than {review.cadence_months} "
            f"months away, longer than one review cycle"
        )
        hint = f"bring next_review forward to {latest} or earlier"
        return [emit(loaded.source, "L025", path, message, hint)]
    return []


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = month_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"
