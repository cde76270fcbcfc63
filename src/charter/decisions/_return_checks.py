"""The checks of a return decision: the reason and conditions named, the exclusions,
the window and approval, each answering with the clauses that decide.

Each check appends its plain-language step to ``steps`` and returns the clauses that
refuse (an empty list passes); :func:`charter.decisions.returns.decide_return` runs them
in the policy's ``check_order``.
"""

from __future__ import annotations

import datetime as dt

from charter.decisions import _return_words as words
from charter.decisions.clause import Clause
from charter.decisions.deadlines import Deadline
from charter.errors import InvalidInput
from charter.policy.returns import CategoryRule, ReturnReason, Returns


def reason_of(returns: Returns, reason_id: str) -> ReturnReason | None:
    if not reason_id.strip():
        raise InvalidInput("the reason is empty; say why the item is returned",
                           [{"field": "reason"}])  # fmt: skip
    if not returns.reasons:
        return None
    found = returns.reason(reason_id.strip())
    if found is None:
        known = [r.id for r in returns.reasons]
        raise InvalidInput(
            f"the policy has no return reason {reason_id!r}; it has: {', '.join(known)}",
            [{"field": "reason", "choices": known}],
        )
    return found


def unmet_of(returns: Returns, unmet: tuple[str, ...]) -> list[str]:
    known = [c.id for c in returns.conditions]
    for condition in unmet:
        if condition not in known:
            listed = ", ".join(known) or "none"
            raise InvalidInput(
                f"the policy has no return condition {condition!r}; its conditions: {listed}",
                [{"field": "unmet", "choices": known}],
            )
    return [c for c in known if c in unmet]


def excluded(
    returns: Returns,
    category: str,
    reason: ReturnReason | None,
    version: str | None,
    steps: list[str],
) -> list[Clause]:
    wanted = category.strip().casefold()
    for exclusion in returns.exclusions:
        if wanted in (c.casefold() for c in exclusion.categories):
            cited = Clause(f"returns.exclusions.{exclusion.id}", exclusion.text, version)
            if reason is not None and reason.bypasses_exclusions:
                steps.append(f"{cited.id} covers {category}, but reason {reason.id} is not "
                             "excluded")  # fmt: skip
                return []
            steps.append(f"{category} is excluded by {cited.id}")
            return [cited]
    steps.append(f"no exclusion covers {category}")
    return []


def outside(
    window: Deadline | None,
    has_window: bool,
    clause: Clause,
    asked: dt.datetime,
    reason: ReturnReason | None,
    steps: list[str],
) -> list[Clause]:
    if reason is not None and reason.bypasses_window:
        steps.append(f"reason {reason.id} is not bound by the window")
        return []
    if not has_window:
        steps.append("there is no window to return within")
        return [clause]
    if window is None:
        return []
    if asked <= window.ends_utc:
        steps.append(f"asked within the window ({words.instant(window.ends_local)})")
        return []
    steps.append(f"asked after the window ended ({words.instant(window.ends_local)})")
    return [clause]


def unmet_conditions(
    returns: Returns, unmet: list[str], version: str | None, steps: list[str]
) -> list[Clause]:
    if not unmet:
        steps.append("every condition is met" if returns.conditions else "no conditions apply")
        return []
    texts = {c.id: c.text for c in returns.conditions}
    steps.append(f"condition not met: {', '.join(unmet)}")
    return [Clause(f"returns.conditions.{c}", texts[c], version) for c in unmet]


def approval(
    returns: Returns, rule: CategoryRule | None, reason: ReturnReason | None, version: str | None
) -> list[Clause]:
    found = []
    if rule is not None and rule.needs_approval:
        found.append(Clause(f"returns.categories.{rule.id}", words.rule_text(returns, rule),
                            version))  # fmt: skip
    if reason is not None and reason.needs_approval:
        found.append(reason_clause(returns, reason, version))
    return found


def reason_clause(returns: Returns, reason: ReturnReason, version: str | None) -> Clause:
    text = words.reason_text(reason, returns.fees)
    return Clause(f"returns.reasons.{reason.id}", text, version)
