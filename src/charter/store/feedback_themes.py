"""Feedback themes as managers shaped them: names and merges kept by theme key, pins of
keyword queries to clauses; and the comments imported with tickets.

Every function takes the session and never commits; the themes service owns the
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from charter.store.models import ThemeMerge, ThemeName, ThemePin, Ticket

__all__ = [
    "Decisions", "ThemePin", "add_pin", "decisions", "imported_comments", "remove_merge",
    "remove_pin", "set_merge", "set_name",
]  # fmt: skip


@dataclass(frozen=True)
class Decisions:
    """A policy's names (key → name), merges (key → key it went into) and pins (oldest
    first)."""

    names: dict[str, str]
    merges: dict[str, str]
    pins: list[ThemePin]


def decisions(session: Session, policy_id: int) -> Decisions:
    """Everything managers decided about ``policy_id``'s themes."""
    names = session.execute(
        select(ThemeName.theme_key, ThemeName.name).where(ThemeName.policy_id == policy_id)
    )
    merges = session.execute(
        select(ThemeMerge.theme_key, ThemeMerge.into_key).where(ThemeMerge.policy_id == policy_id)
    )
    pins = session.scalars(
        select(ThemePin).where(ThemePin.policy_id == policy_id).order_by(ThemePin.id)
    )
    return Decisions({str(k): str(v) for k, v in names}, {str(k): str(v) for k, v in merges},
                     list(pins))  # fmt: skip


def set_name(
    session: Session, policy_id: int, key: str, name: str, by: int | None, at: dt.datetime
) -> None:
    """Name the theme ``key`` (again)."""
    row = session.get(ThemeName, (policy_id, key))
    if row is None:
        session.add(ThemeName(policy_id=policy_id, theme_key=key, name=name, named_by=by,
                              named_at=at))  # fmt: skip
    else:
        row.name, row.named_by, row.named_at = name, by, at
    session.flush()


def set_merge(
    session: Session, policy_id: int, key: str, into: str, by: int | None, at: dt.datetime
) -> None:
    """Merge the theme ``key`` into the theme ``into`` (replacing an earlier merge of it)."""
    row = session.get(ThemeMerge, (policy_id, key))
    if row is None:
        session.add(ThemeMerge(policy_id=policy_id, theme_key=key, into_key=into, merged_by=by,
                               merged_at=at))  # fmt: skip
    else:
        row.into_key, row.merged_by, row.merged_at = into, by, at
    session.flush()


def remove_merge(session: Session, policy_id: int, key: str) -> bool:
    """Undo the merge of ``key``; False when it was not merged."""
    statement = delete(ThemeMerge).where(
        ThemeMerge.policy_id == policy_id, ThemeMerge.theme_key == key
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def add_pin(
    session: Session, policy_id: int, clause_id: str, query: str, by: int | None,
    at: dt.datetime,
) -> ThemePin:  # fmt: skip
    row = ThemePin(policy_id=policy_id, clause_id=clause_id, query=query, pinned_by=by,
                   pinned_at=at)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def remove_pin(session: Session, policy_id: int, pin_id: int) -> bool:
    """Remove pin ``pin_id`` of ``policy_id``; False when there is no such pin."""
    statement = delete(ThemePin).where(ThemePin.policy_id == policy_id, ThemePin.id == pin_id)
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def imported_comments(
    session: Session, since: dt.datetime, until: dt.datetime, limit: int
) -> list[tuple[int, str, dt.datetime]]:
    """The newest ``limit`` satisfaction comments imported with tickets, dated by the
    ticket's solve (its creation when unsolved), in ``[since, until)``: (ticket id,
    comment, when), newest first."""
    when = func.coalesce(Ticket.solved_at, Ticket.created_at)
    query = (
        select(Ticket.id, Ticket.csat_comment, when)
        .where(Ticket.csat_comment.is_not(None), Ticket.csat_comment != "",
               when >= since, when < until)
        .order_by(when.desc(), Ticket.id.desc())
        .limit(limit)
    )  # fmt: skip
    return [(int(i), str(c), _aware(a)) for i, c, a in session.execute(query)]


def _aware(moment: dt.datetime | str) -> dt.datetime:
    """SQLite gives ``coalesce`` of two instants back as text; PostgreSQL as an instant."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
