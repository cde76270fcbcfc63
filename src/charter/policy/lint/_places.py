"""Opening hours: contact points without hours, calendars that never open or go unused."""

from __future__ import annotations

from collections.abc import Iterator

from charter.policy.calendar import ALWAYS
from charter.policy.diagnostic import Diagnostic, Path
from charter.policy.lint._codes import emit
from charter.policy.lint._time import never_opens
from charter.policy.loader import LoadedPolicy
from charter.policy.schema import Policy


def check_places(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L011, L012, L021 and L022."""
    return _contact_points(loaded) + _closed_clocks(loaded) + _unused_calendars(loaded)


def _contact_points(loaded: LoadedPolicy) -> list[Diagnostic]:
    policy, found = loaded.policy, []
    for i, point in enumerate(policy.contact_points):
        if point.calendar is None:
            message = f"contact point '{point.id}' has no opening hours"
            hint = f"add calendar: with the id of its opening hours, or {ALWAYS}"
            found.append(emit(loaded.source, "L011", ("contact_points", i), message, hint))
            continue
        calendar = policy.calendar(point.calendar)
        if calendar is not None and never_opens(calendar):
            message = f"contact point '{point.id}' uses calendar '{calendar.id}', which never opens"
            hint = f"give calendar '{calendar.id}' weekly hours, or use another calendar"
            path = ("contact_points", i, "calendar")
            found.append(emit(loaded.source, "L012", path, message, hint))
    return found


def clock_uses(policy: Policy) -> Iterator[tuple[Path, str, str]]:
    """(path, calendar id, what uses it) for every clock except contact points', and
    every calendar an escalation level is delivered in (``quiet_outside``)."""
    for i, rule in enumerate(policy.service_levels.rules):
        for metric, target in rule.targets.items():
            path: Path = ("service_levels", "rules", i, "targets", metric, "clock")
            yield path, target.clock, f"rule '{rule.id}'"
    for i, promise in enumerate(policy.delivery):
        if promise.calendar is not None:
            yield ("delivery", i, "calendar"), promise.calendar, f"delivery '{promise.id}'"
    if policy.returns is not None:
        yield ("returns", "refund", "clock"), policy.returns.refund.clock, "the refund promise"
        if policy.returns.calendar is not None:
            yield ("returns", "calendar"), policy.returns.calendar, "the return window"
    if policy.complaints is not None:
        for i, stage in enumerate(policy.complaints.stages):
            yield ("complaints", "stages", i, "clock"), stage.clock, f"stage '{stage.id}'"
    for i, level in enumerate(policy.escalation):
        if level.quiet_outside is not None:
            path = ("escalation", i, "quiet_outside")
            yield path, level.quiet_outside, f"escalation level '{level.id}'"


def _closed_clocks(loaded: LoadedPolicy) -> list[Diagnostic]:
    found = []
    for path, clock, user in clock_uses(loaded.policy):
        calendar = loaded.policy.calendar(clock)
        if calendar is not None and never_opens(calendar):
            message = f"{user} runs on calendar '{clock}', which never opens, so it is never due"
            if path[-1] == "quiet_outside":
                message = (
                    f"{user} is delivered only while calendar '{clock}' is open, and it never "
                    "opens, so the level is never delivered"
                )
            hint = f"give calendar '{clock}' weekly hours, or use another clock such as {ALWAYS}"
            found.append(emit(loaded.source, "L022", path, message, hint))
    return found


def _unused_calendars(loaded: LoadedPolicy) -> list[Diagnostic]:
    policy = loaded.policy
    used = {clock for _, clock, _ in clock_uses(policy)}
    used |= {p.calendar for p in policy.contact_points if p.calendar is not None}
    found = []
    for i, calendar in enumerate(policy.calendars):
        if calendar.id not in used:
            message = f"calendar '{calendar.id}' is not used by any contact point or promise"
            hint = "use it as a contact point's calendar or a target's clock, or remove it"
            found.append(emit(loaded.source, "L021", ("calendars", i), message, hint))
    return found
