"""A store with something in it: accounts, the example policy published, tickets."""

from __future__ import annotations

from dataclasses import dataclass

from charter.services.accounts import Principal, Role
from charter.services.lifecycle import create_policy, transition
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize
from support import EXAMPLE_TEXT
from support.web import make_user

SLUG = "larkfield"


@dataclass(frozen=True)
class Seeded:
    author: Principal
    reviewer: Principal


def principal_of(database: Database, role: str) -> Principal:
    user = make_user(database, role)
    return Principal(user.id, user.email, user.name, Role(user.role), "cli")


def publish_example(database: Database) -> Seeded:
    """The example policy as version 1 of ``larkfield``, published by two managers."""
    author, reviewer = principal_of(database, "manager"), principal_of(database, "manager")
    create_policy(
        database,
        slug=SLUG,
        name="Larkfield Home",
        text=EXAMPLE_TEXT,
        actor=author,
        change_summary="First policy",
    )
    transition(database, SLUG, 1, "submit", author)
    transition(database, SLUG, 1, "approve", reviewer)
    transition(database, SLUG, 1, "publish", author)
    return Seeded(author, reviewer)


def import_synthetic(database: Database, tickets: int = 300, seed: int = 7) -> int:
    """Import a small synthetic history under the source ``synthetic``; its ticket count."""
    data = synthesize(tickets, 30, seed)
    result = ImportResult(data.tickets, data.events, empty_rejects())
    import_tickets(database, result, source="synthetic", batch_size=100)
    return data.tickets.height
