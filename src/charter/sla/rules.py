"""Which rule governs each ticket: the first rule whose conditions all hold.

>>> import polars as pl
>>> from charter.policy import load_policy_text
>>> policy = load_policy_text('''
... organisation: {name: A, mission: M}
... service_levels:
...   rules:
...     - {id: urgent, when: {priority: [urgent]}, targets: {resolution: {within: 4h, clock: 24x7}}}
...     - {id: rest, targets: {resolution: {within: 2d, clock: 24x7}}}
... ''').policy
>>> tickets = pl.DataFrame({"channel": ["email", "chat"], "priority": ["urgent", "low"]})
>>> tickets.select(rule_expr(policy.service_levels.rules)).to_series().to_list()
['urgent', 'rest']
>>> rule_columns(policy.service_levels.rules)  # what a store needs to read for them
('priority',)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from charter.policy.service_level import Conditions, Rule

_SCALAR_CONDITIONS = ("channel", "priority", "segment", "category")


def condition_expr(when: Conditions) -> pl.Expr:
    """True where a ticket meets every condition of ``when`` (a missing value never does)."""
    parts = [
        pl.col(name).cast(pl.String).is_in(values).fill_null(False)
        for name in _SCALAR_CONDITIONS
        if (values := getattr(when, name)) is not None
    ]
    if when.tags is not None:
        wanted = when.tags
        parts.append(
            pl.col("tags").list.eval(pl.element().is_in(wanted)).list.any().fill_null(False)
        )
    return pl.all_horizontal(parts) if parts else pl.lit(True)


def rule_columns(rules: Sequence[Rule]) -> tuple[str, ...]:
    """The ticket columns ``rule_expr`` reads for these rules: only those some rule's
    conditions name."""
    fields = (*_SCALAR_CONDITIONS, "tags")
    return tuple(f for f in fields if any(getattr(r.when, f) is not None for r in rules))


def rule_expr(rules: Sequence[Rule]) -> pl.Expr:
    """The id of the first matching rule for every ticket, null where none matches.

    One chained ``when`` expression over whole columns: first match wins.
    """
    if not rules:
        return pl.lit(None, dtype=pl.String).alias("rule_id")
    first, *rest = rules
    chain: Any = pl.when(condition_expr(first.when)).then(pl.lit(first.id))
    for rule in rest:
        chain = chain.when(condition_expr(rule.when)).then(pl.lit(rule.id))
    expr: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.String)).alias("rule_id")
    return expr
