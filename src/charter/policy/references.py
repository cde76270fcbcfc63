"""Checks that cross sections: unique ids and references to calendars, roles and KPIs."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from pydantic import BaseModel

from charter.policy.calendar import ALWAYS, suggest
from charter.policy.diagnostic import Diagnostic, Path
from charter.policy.schema import Policy
from charter.policy.source import SourceMap


def check_references(
    policy: Policy, source: SourceMap, broken: Collection[str] = ()
) -> list[Diagnostic]:
    """Duplicate ids and references to things the policy does not define.

    ``broken`` names top-level sections that failed validation: references into
    them are not checked, since what they define is unknown.
    """
    problems = _duplicate_ids(policy, source)
    if "calendars" not in broken:
        problems += _clock_references(policy, source)
    if "staff" not in broken:
        problems += _role_references(policy, source)
    if "kpis" not in broken:
        problems += _kpi_references(policy, source)
    return sorted(problems, key=lambda d: (d.line, d.column))


def ids_with_paths(value: Any, path: Path = ()) -> Iterator[tuple[str, Path]]:
    """Every ``id`` in the policy with the path of the object that carries it."""
    if isinstance(value, BaseModel):
        item_id = getattr(value, "id", None)
        if isinstance(item_id, str):
            yield item_id, path
        for name in type(value).model_fields:
            yield from ids_with_paths(getattr(value, name, None), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from ids_with_paths(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from ids_with_paths(item, (*path, str(key)))


def _duplicate_ids(policy: Policy, source: SourceMap) -> list[Diagnostic]:
    first: dict[str, Path] = {}
    problems = []
    in_file_order = sorted(ids_with_paths(policy), key=lambda pair: source.locate(pair[1]))
    for item_id, path in in_file_order:
        if item_id in first:
            line, _ = source.locate((*first[item_id], "id"))
            message = f"id '{item_id}' is already used (line {line})"
            hint = "give every clause its own id so it can be cited"
            problems.append(source.diagnostic("P302", "error", (*path, "id"), message, hint))
        else:
            first[item_id] = path
    return problems


def _clock_references(policy: Policy, source: SourceMap) -> list[Diagnostic]:
    known = [c.id for c in policy.calendars]
    problems = [
        source.diagnostic(
            "P301", "error", ("calendars", i, "id"),
            f"'{ALWAYS}' is the built-in round-the-clock clock", "give this calendar another id",
        )
        for i, c in enumerate(policy.calendars)
        if c.id == ALWAYS
    ]  # fmt: skip
    for path, name in _clock_uses(policy):
        if name != ALWAYS and name not in known:
            message = f"no calendar has the id '{name}'{suggest(name, known)}"
            choices = ", ".join([*known, ALWAYS])
            problems.append(
                source.diagnostic("P301", "error", path, message, f"use one of: {choices}")
            )
    return problems


def _clock_uses(policy: Policy) -> Iterator[tuple[Path, str]]:
    for i, point in enumerate(policy.contact_points):
        if point.calendar is not None:
            yield ("contact_points", i, "calendar"), point.calendar
    for i, rule in enumerate(policy.service_levels.rules):
        for metric, target in rule.targets.items():
            yield ("service_levels", "rules", i, "targets", metric, "clock"), target.clock
    for i, promise in enumerate(policy.delivery):
        if promise.calendar is not None:
            yield ("delivery", i, "calendar"), promise.calendar
    if policy.returns is not None:
        yield ("returns", "refund", "clock"), policy.returns.refund.clock
        if policy.returns.calendar is not None:
            yield ("returns", "calendar"), policy.returns.calendar
    if policy.complaints is not None:
        for i, stage in enumerate(policy.complaints.stages):
            yield ("complaints", "stages", i, "clock"), stage.clock
    for i, level in enumerate(policy.escalation):
        if level.quiet_outside is not None:
            yield ("escalation", i, "quiet_outside"), level.quiet_outside
    if policy.training is not None:
        yield ("training", "calendar"), policy.training.calendar


def _role_references(policy: Policy, source: SourceMap) -> list[Diagnostic]:
    roles = [r.id for r in policy.staff.roles] if policy.staff else []
    uses: list[tuple[Path, str]] = []
    if policy.complaints is not None:
        uses += [
            (("complaints", "stages", i, "owner_role"), s.owner_role)
            for i, s in enumerate(policy.complaints.stages)
        ]
    if policy.review is not None:
        uses.append((("review", "owner"), policy.review.owner))
    for i, level in enumerate(policy.escalation):
        uses += [
            (("escalation", i, "notify", j), name)
            for j, name in enumerate(level.notify)
            if "@" not in name
        ]
    hint = "define the role under staff.roles, or write an e-mail address"
    return [
        source.diagnostic(
            "P301", "error", path, f"no staff role has the id '{name}'{suggest(name, roles)}",
            hint if roles else "add staff: roles: with this role",
        )
        for path, name in uses
        if name not in roles
    ]  # fmt: skip


def _kpi_references(policy: Policy, source: SourceMap) -> list[Diagnostic]:
    kpis = [k.id for k in policy.kpis.targets] if policy.kpis else []
    return [
        source.diagnostic(
            "P301", "error", ("goals", i, "kpi"),
            f"no KPI target has the id '{goal.kpi}'{suggest(goal.kpi, kpis)}",
            "define it under kpis.targets, or remove kpi: from the goal",
        )
        for i, goal in enumerate(policy.goals)
        if goal.kpi is not None and goal.kpi not in kpis
    ]  # fmt: skip
