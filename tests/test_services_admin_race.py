"""Two admins demoting or disabling each other at the same instant leave one admin.

Real threads, each with its own ``Database`` (its own connections), are released
together by a barrier, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from charter.errors import Conflict
from charter.services import accounts
from charter.services.account_access import AccountChanges, change_account
from charter.services.accounts import Account, Principal
from charter.store import Database
from charter.store.models import User
from support.web import make_user

ROUNDS = 20


def as_principal(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role)


def race(url: str, pairs: list[tuple[Account, Account]], changes: AccountChanges) -> list[Any]:
    """Each actor changes its target, all released at once; what each one got."""
    barrier = threading.Barrier(len(pairs))
    outcomes: list[Any] = [None] * len(pairs)

    def run(slot: int, actor: Account, target: Account) -> None:
        database = Database(url)
        try:
            barrier.wait()
            outcomes[slot] = change_account(database, as_principal(actor), target.id, changes)
        except Exception as error:  # a database error too: the test reports it
            outcomes[slot] = error
        finally:
            database.dispose()

    threads = [
        threading.Thread(target=run, args=(slot, actor, target))
        for slot, (actor, target) in enumerate(pairs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def active_admins(database: Database) -> int:
    with database.reading() as session:
        count = session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.active)
        )
    return int(count or 0)


@pytest.mark.parametrize(
    "changes",
    [AccountChanges(role="manager"), AccountChanges(active=False)],
    ids=["demote", "disable"],
)
def test_two_admins_removing_each_other_at_once_leave_exactly_one_admin(
    database_url: str, database: Database, changes: AccountChanges
) -> None:
    for _ in range(ROUNDS):
        ada, bob = make_user(database, "admin"), make_user(database, "admin")
        outcomes = race(database_url, [(ada, bob), (bob, ada)], changes)
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(refused) == 1, outcomes
        assert isinstance(refused[0], Conflict), repr(refused[0])
        assert "last active admin" in str(refused[0])
        assert active_admins(database) == 1
        # the survivor steps aside for the next round's pair
        with database.transaction() as session:
            for user in session.scalars(select(User).where(User.role == "admin")):
                user.role = "agent"


def test_the_second_change_counts_admins_only_after_the_first_has_committed(
    database_url: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both changes are held just before they count the admins, for as long as the
    other might still arrive: without the lock both have written and count one admin
    each (their own view), every time; with it the second waits for the first."""
    counting = accounts._keep_an_admin
    for _ in range(3):
        meet = threading.Barrier(2, timeout=0.5)

        def held(session: Session, changed: User, meet: threading.Barrier = meet) -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait()
            counting(session, changed)

        monkeypatch.setattr(accounts, "_keep_an_admin", held)
        ada, bob = make_user(database, "admin"), make_user(database, "admin")
        outcomes = race(database_url, [(ada, bob), (bob, ada)], AccountChanges(role="manager"))
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(refused) == 1 and isinstance(refused[0], Conflict), outcomes
        assert active_admins(database) == 1
        with database.transaction() as session:
            for user in session.scalars(select(User).where(User.role == "admin")):
                user.role = "agent"
