"""The training story: Larkfield's example policy in force from Monday 7 December 2026
09:00 London (= UTC in winter), with Ava (a chat agent), Ben (an e-mail agent) and Mo
(their manager, the service manager); later versions published as the tests need."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from charter.services.accounts import create_user
from charter.services.training import set_profile
from charter.store import Database
from charter.store.models import PolicyRecord, PolicyVersion
from support import EXAMPLE_TEXT

V1_AT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def utc(text: str) -> dt.datetime:
    """``"2026-12-10 08:00"`` as an instant (London is on UTC in December)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def publish_chain(database: Database, *versions: tuple[str, dt.datetime]) -> list[int]:
    """One policy whose versions (text, effective instant) came into force in turn: each
    retired when the next took effect, the last published. Their ids."""
    ids = []
    with database.transaction() as session:
        record = PolicyRecord(slug="larkfield", name="Larkfield")
        session.add(record)
        session.flush()
        for number, (text, at) in enumerate(versions, start=1):
            last = number == len(versions)
            retired = None if last else versions[number][1]
            row = PolicyVersion(policy_id=record.id, number=number,
                                status="published" if last else "retired", text=text,
                                content_hash=digest(text), published_at=at, effective_at=at,
                                retired_at=retired)  # fmt: skip
            session.add(row)
            session.flush()
            ids.append(row.id)
    return ids


@dataclass(frozen=True)
class Team:
    ava: int
    ben: int
    mo: int


def make_team(database: Database, started_on: dt.date | None = None) -> Team:
    """Ava (chat agent) and Ben (e-mail agent) report to Mo (service manager). Ava
    started on ``started_on`` when given (a new joiner)."""

    def account(name: str, role: str) -> int:
        return create_user(database, email=f"{name.lower()}@larkfield.example", name=name,
                           role=role, password="a long enough password").id  # fmt: skip

    mo, ava, ben = account("Mo", "manager"), account("Ava", "agent"), account("Ben", "agent")
    set_profile(database, mo, policy_role="service-manager", channels=[], team="Managers",
                manager_id=None, started_on=None)  # fmt: skip
    set_profile(database, ava, policy_role="agent", channels=["chat"], team="UK care",
                manager_id=mo, started_on=started_on)  # fmt: skip
    set_profile(database, ben, policy_role="agent", channels=["email"], team="UK care",
                manager_id=mo, started_on=None)  # fmt: skip
    return Team(ava=ava, ben=ben, mo=mo)


def example(**replace: str) -> str:
    """The example policy's text with each ``old=new`` replacement made (keys are
    labels; values ``"old=>new"``)."""
    text = EXAMPLE_TEXT
    for change in replace.values():
        old, new = change.split("=>")
        assert old in text, old
        text = text.replace(old, new, 1)
    return text
