"""Pauses that stop a clock while the ticket waits on the team."""

from __future__ import annotations

from charter.policy.diagnostic import Diagnostic, Path
from charter.policy.lint._codes import emit
from charter.policy.loader import LoadedPolicy
from charter.policy.service_level import METRIC_WORDS

AWAITING_TEAM = ("new", "open")


def check_pauses(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L026 for ``service_levels.pauses`` and every target's own ``paused`` list."""
    levels = loaded.policy.service_levels
    lists: list[tuple[Path, str, list[str]]] = [
        (("service_levels", "pauses", metric), METRIC_WORDS[metric], list(statuses))
        for metric, statuses in levels.pauses.items()
    ]
    lists += [
        (("service_levels", "rules", i, "targets", metric, "paused"),
         f"{METRIC_WORDS[metric]} of rule '{rule.id}'", list(target.paused))
        for i, rule in enumerate(levels.rules)
        for metric, target in rule.targets.items()
        if target.paused is not None
    ]  # fmt: skip
    return [_finding(loaded, path, what, statuses) for path, what, statuses in lists
            if any(s in AWAITING_TEAM for s in statuses)]  # fmt: skip


def _finding(loaded: LoadedPolicy, path: Path, what: str, statuses: list[str]) -> Diagnostic:
    named = " and ".join(s for s in AWAITING_TEAM if s in statuses)
    message = (
        f"the {what} clock pauses while the ticket is {named}, that is while it waits on "
        "the team: the promise would hardly ever run"
    )
    hint = "pause only in statuses where the ticket waits on someone else (pending, on_hold)"
    return emit(loaded.source, "L026", path, message, hint)
