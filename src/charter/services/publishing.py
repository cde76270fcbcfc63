"""Lifecycle steps and what must follow them: a newly published version applies at once.

When publishing changes the version that governs tickets, every stored ticket's SLA
state is recomputed under it straight away (the field's helpdesks often never
recompute open tickets after a policy change), and the dashboard's aggregates are
refilled. A published version's clauses go into the handbook's search index at once.
"""

from __future__ import annotations

from charter.services.accounts import Principal
from charter.services.dashboard import refresh_dashboard
from charter.services.handbook import index_version
from charter.services.lifecycle import Version, operating_version, transition
from charter.services.sla_state import recompute_sla
from charter.store import Database


def take_action(
    database: Database, slug: str, number: int, action: str, actor: Principal, note: str = ""
) -> Version:
    """``transition``; after a publish that changes the governing version, SLA state too."""
    before = operating_version(database)
    version = transition(database, slug, number, action, actor, note)
    if action == "publish":
        index_version(database, version.id)  # the handbook's search finds it at once
        after = operating_version(database)
        if (before and before.id) != (after and after.id):
            done = recompute_sla(database)
            if done.computed_at is not None:
                refresh_dashboard(database, done.computed_at)
    return version
