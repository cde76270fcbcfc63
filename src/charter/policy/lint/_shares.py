"""Promises of every ticket written as a share: 100 % can never be kept in practice."""

from __future__ import annotations

from charter.policy.diagnostic import Diagnostic, Path
from charter.policy.lint._codes import emit
from charter.policy.loader import LoadedPolicy
from charter.policy.people import MEASURABLE_KPIS
from charter.policy.service_level import METRIC_WORDS

ALL = 1.0
BREAKS = "breaks it for the whole period, so it can never be kept in practice"
HINT = "promise a share you can keep, such as 95% to 99%, and treat the rest as exceptions"


def check_shares(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L031: a service-level target or a share KPI that asks for 100 %.

    Complaint stages are left alone: their limits are often a regulator's (the Housing
    Ombudsman's Code, FCA DISP), which every complaint must meet.
    """
    return _targets(loaded) + _kpis(loaded)


def _targets(loaded: LoadedPolicy) -> list[Diagnostic]:
    found = []
    for i, rule in enumerate(loaded.policy.service_levels.rules):
        for metric, target in rule.targets.items():
            if target.attainment is not None and target.attainment >= ALL:
                said = f"rule '{rule.id}' promises {METRIC_WORDS[metric]} on 100 % of tickets"
                path = ("service_levels", "rules", i, "targets", metric, "attainment")
                found.append(_warn(loaded, path, said, "one late ticket"))
    return found


def _kpis(loaded: LoadedPolicy) -> list[Diagnostic]:
    kpis = loaded.policy.kpis
    if kpis is None:
        return []
    found = []
    for i, kpi in enumerate(kpis.targets):
        share = MEASURABLE_KPIS.get(kpi.metric) == "share" and kpi.direction == "at_least"
        if share and kpi.value() >= ALL:
            said = f"KPI '{kpi.id}' asks for {kpi.metric} of 100 %"
            found.append(_warn(loaded, ("kpis", "targets", i, "target"), said,
                               "one ticket that misses"))  # fmt: skip
    return found


def _warn(loaded: LoadedPolicy, path: Path, said: str, one: str) -> Diagnostic:
    return emit(loaded.source, "L031", path, f"{said}: {one} {BREAKS}", HINT)
