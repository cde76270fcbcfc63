"""Lifecycle steps and what must follow them: a newly published version applies at once.

When publishing changes the version that governs tickets, every stored ticket's SLA
state is recomputed under it straight away (the field's helpdesks often never
recompute open tickets after a policy change).
"""

from __future__ import annotations

from charter.services.accounts import Principal
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
        after = operating_version(database)
        if (before and before.id) != (after and after.id):
            recompute_sla(database)
    return version
