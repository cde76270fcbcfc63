"""Keeping a stored escalation plan current: what to keep, what is new, what is withdrawn.

Each time tickets are judged again their levels are planned afresh
(``escalation_plan``) and compared with the plan stored for them before. A level is
*live* while its metric's clock runs, the version in force now still has it (a level
switched off stops at once for every open ticket: an escalation is the team's own
action, not a promise to the customer) and it has not fired yet. A stored level that
is no longer live and did not fire is withdrawn, with the reason ``withdrawn`` gives:
``clock stopped``, ``level removed`` or ``target removed``. Nothing is dropped without a
row saying why.

A level that fired, under any version, is never planned again for that ticket and
metric: a ticket judged under another version later does not escalate twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from charter.policy.schema import Policy
from charter.sla._withdrawal import (
    KEY,
    WITHDRAWN_COLUMNS,
    join_on_key,
    kept,
    with_keys,
    withdrawn,
)
from charter.sla.escalation import escalation_plan

STORED_COLUMNS = [
    "ticket_id", "metric", "level_id", "version_id", "rule_id", "level", "due_at", "deliver_at",
]  # fmt: skip


@dataclass(frozen=True)
class Replan:
    """``live``: the plan rows to store (``STORED_COLUMNS``); ``planned``: those of them
    not planned before; ``withdrawn``: stored levels no longer wanted, with a reason."""

    live: pl.DataFrame
    planned: pl.DataFrame
    withdrawn: pl.DataFrame


def replan(
    stored: pl.DataFrame, fresh: pl.DataFrame, operating: pl.DataFrame, fired: pl.DataFrame
) -> Replan:
    """Compare the ``stored`` plan of some tickets with their ``fresh`` one.

    ``stored`` has ``STORED_COLUMNS``; ``fresh`` is ``escalation_plan``'s frame with
    ``version_id`` and ``running`` (the metric's clock has not stopped); ``operating``
    is the ``level_table`` of the version in force now; ``fired`` the keys
    (``ticket_id, metric, level_id``) that already fired. Ticket ids are the same type
    in all four.
    """
    stored, fresh = with_keys(stored, fresh)
    fresh = fresh.with_columns(kept(operating).alias("kept"))
    done = fired.select(KEY).unique()
    live = _without(fresh.filter(pl.col("running") & pl.col("kept")), done)
    before = _without(stored, done).with_columns(
        pl.lit(False).alias("stopped_before"), pl.lit(False).alias("due_now")
    )
    after = fresh.filter(pl.col("kept")).with_columns((~pl.col("running")).alias("stopped_before"))
    gone = withdrawn(before, after, operating)
    planned = join_on_key(live, stored, [], how="anti")
    return Replan(
        live.select(STORED_COLUMNS), planned.select(STORED_COLUMNS), gone.select(WITHDRAWN_COLUMNS)
    )


def _without(frame: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the rows whose key is in ``keys`` (nothing to do for none)."""
    if keys.height == 0:
        return frame
    return frame.join(keys, on=KEY, how="anti")


def fresh_plan(policy: Policy, states: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """``escalation_plan`` of ``states`` (``evaluate``'s frame) with ``running``: whether
    the level's metric clock has not stopped by ``now``."""
    plan = escalation_plan(policy, states, now, keep=("stop_at",))
    return plan.with_columns(pl.col("stop_at").is_null().alias("running")).drop("stop_at")
