"""The returns section: windows nothing can pass, settings that do nothing, category
rules an exclusion overrides or another rule shadows."""

from __future__ import annotations

from charter.policy.diagnostic import Diagnostic
from charter.policy.lint._codes import emit
from charter.policy.loader import LoadedPolicy
from charter.policy.returns import Returns

SECTION = "returns"


def check_returns(loaded: LoadedPolicy) -> list[Diagnostic]:
    """L027 to L030 (a reason id listed twice fails to load: P302)."""
    returns = loaded.policy.returns
    if returns is None:
        return []
    return (
        _closed_windows(loaded, returns)
        + _rounding_without_fee(loaded, returns)
        + _rules_under_exclusions(loaded, returns)
        + _duplicate_rules(loaded, returns)
    )


def _closed_windows(loaded: LoadedPolicy, returns: Returns) -> list[Diagnostic]:
    if any(r.bypasses_window for r in returns.reasons):
        return []
    hint = "give the window some days, or a reason that bypasses_window (faulty goods)"
    found = []
    if returns.window_days == 0:
        message = "the return window is 0 days and no reason bypasses it: nothing can be returned"
        found.append(emit(loaded.source, "L027", (SECTION, "window_days"), message, hint))
    for i, rule in enumerate(returns.categories):
        if rule.window_days == 0:
            message = (
                f"category rule '{rule.id}' gives {rule.category} a window of 0 days and no "
                f"reason bypasses it: no {rule.category} can be returned"
            )
            path = (SECTION, "categories", i, "window_days")
            found.append(emit(loaded.source, "L027", path, message, hint))
    return found


def _rounding_without_fee(loaded: LoadedPolicy, returns: Returns) -> list[Diagnostic]:
    if "fee_rounding" not in returns.model_fields_set or returns.fees == "restocking_fee":
        return []
    message = f"fee_rounding is set but fees is {returns.fees}: there is no restocking fee to round"
    hint = "set fees: restocking_fee with a restocking_fee share, or drop fee_rounding"
    return [emit(loaded.source, "L028", (SECTION, "fee_rounding"), message, hint)]


def _rules_under_exclusions(loaded: LoadedPolicy, returns: Returns) -> list[Diagnostic]:
    excluded = {c.casefold(): e.id for e in returns.exclusions for c in e.categories}
    if any(r.bypasses_exclusions for r in returns.reasons):
        return []
    found = []
    for i, rule in enumerate(returns.categories):
        exclusion = excluded.get(rule.category.casefold())
        if exclusion is not None:
            message = (
                f"category rule '{rule.id}' is for {rule.category}, which exclusion "
                f"'{exclusion}' refuses whatever the reason, so the rule never applies"
            )
            hint = "remove the rule or the category from the exclusion, or add a reason that "
            hint += "bypasses_exclusions (faulty goods)"
            path = (SECTION, "categories", i, "category")
            found.append(emit(loaded.source, "L029", path, message, hint))
    return found


def _duplicate_rules(loaded: LoadedPolicy, returns: Returns) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    first: dict[str, str] = {}
    for i, rule in enumerate(returns.categories):
        key = rule.category.casefold()
        if key in first:
            message = (
                f"category rule '{rule.id}' is for {rule.category}, which rule '{first[key]}' "
                "already covers; only the first applies"
            )
            hint = "merge the two rules into one"
            path = (SECTION, "categories", i, "category")
            found.append(emit(loaded.source, "L030", path, message, hint))
        first.setdefault(key, rule.id)
    return found
