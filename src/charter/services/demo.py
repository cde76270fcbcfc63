"""A store to show Charter with: the example policy published, a year of tickets, accounts.

``seed_demo`` fills an empty, migrated database once: three accounts (admin, manager,
agent) with generated passwords and training profiles (a chat agent in UK care reporting
to the manager), the example policy written by the manager, approved
by the admin and published, a year of synthetic tickets ending today, imported
like any export (their SLA state computed), and a few complaint cases and decisions
(``demo_cases``). A database that already holds the demo
policy is left as it is, so a second run reuses the data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from charter.services.accounts import Account, Principal, Role, create_user
from charter.services.demo_cases import seed_cases
from charter.services.lifecycle import create_policy
from charter.services.publishing import take_action
from charter.services.tickets import ImportSummary, import_tickets
from charter.services.training import set_profile
from charter.store import Database
from charter.store import policies as policies_store
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize

SLUG = "larkfield"
SOURCE = "demo"
BATCH = 20_000
Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: str
    name: str


ACCOUNTS = (
    ("admin@demo.example", "Alex Admin", Role.admin),
    ("manager@demo.example", "Morgan Manager", Role.manager),
    ("agent@demo.example", "Avery Agent", Role.agent),
)

# Each account's training profile: the policy's staff role, the channels it answers, its
# team and whose report it is, so the training pages have a team to show.
PROFILES = {
    Role.admin: ("service-manager", (), "Managers", None),
    Role.manager: ("team-lead", (), "UK care", Role.admin),
    Role.agent: ("agent", ("chat",), "UK care", Role.manager),
}


def is_seeded(database: Database) -> bool:
    """Whether the demo policy is already there."""
    with database.reading() as session:
        return policies_store.policy_exists(session, SLUG)


def seed_demo(
    database: Database,
    *,
    tickets: int,
    days: int = 365,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cases: bool = True,
) -> tuple[list[DemoAccount], ImportSummary]:
    """Accounts, the published example policy and ``tickets`` tickets over ``days`` days
    ending ``today`` (and, with ``cases``, complaint cases from its last three weeks and a
    few decisions); the accounts with their passwords, and the import's summary."""
    accounts = [
        DemoAccount(email, secrets.token_urlsafe(12), role.value, name)
        for email, name, role in ACCOUNTS
    ]
    people = {
        a.role: create_user(database, email=a.email, name=a.name, role=a.role, password=a.password)
        for a in accounts
    }
    admin, manager = (_principal(people[r.value]) for r in (Role.admin, Role.manager))
    text = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")
    create_policy(database, slug=SLUG, name="Larkfield Home", text=text, actor=manager,
                  change_summary="The example policy, as shipped")  # fmt: skip
    for action, actor in (("submit", manager), ("approve", admin), ("publish", manager)):
        take_action(database, SLUG, 1, action, actor)
    for role, (policy_role, channels, team, reports_to) in PROFILES.items():
        boss = people[reports_to.value].id if reports_to else None
        set_profile(database, people[role.value].id, policy_role=policy_role, channels=channels,
                    team=team, manager_id=boss, started_on=None)  # fmt: skip
    end = today or dt.date.today()
    data = synthesize(
        tickets, days, seed=7, start=end - dt.timedelta(days=days),
        progress=_step(progress, "synthesise", tickets),
    )  # fmt: skip
    result = ImportResult(data.tickets, data.events, empty_rejects())
    summary = import_tickets(database, result, source=SOURCE, batch_size=BATCH,
                             progress=_step(progress, "import", None))  # fmt: skip
    if cases:
        agent = _principal(people[Role.agent.value])
        seed_cases(database, manager, agent, admin, tickets_end=end)
    return accounts, summary


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role, "cli")


def _step(progress: Progress | None, name: str, total: int | None) -> Callable[..., None] | None:
    if progress is None:
        return None
    if total is None:
        return lambda done, whole: progress(name, done, whole)
    return lambda done: progress(name, done, total)
