"""Saved ticket views: each person's named ticket lists (``SavedTicketView``), read and
changed only through the person's own account id, so one person never sees or deletes
another's."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from charter.store.models import SavedTicketView


def views_of(session: Session, account_id: int) -> list[SavedTicketView]:
    """The person's saved views, by name (case aside), then id."""
    query = (
        select(SavedTicketView)
        .where(SavedTicketView.account_id == account_id)
        .order_by(func.lower(SavedTicketView.name), SavedTicketView.id)
    )
    return list(session.scalars(query))


def view_count(session: Session, account_id: int) -> int:
    query = select(func.count()).where(SavedTicketView.account_id == account_id)
    return session.scalar(query) or 0


def save_view(session: Session, account_id: int, name: str, query: str) -> SavedTicketView:
    """The person's view named ``name``, its query replaced, or a new one."""
    found = session.scalar(
        select(SavedTicketView).where(
            SavedTicketView.account_id == account_id, SavedTicketView.name == name
        )
    )
    if found is None:
        found = SavedTicketView(account_id=account_id, name=name, query=query)
        session.add(found)
    else:
        found.query = query
    session.flush()
    return found


def delete_view(session: Session, account_id: int, view_id: int) -> bool:
    """Delete the person's view with this id; False when they have none such."""
    done = session.execute(
        delete(SavedTicketView).where(
            SavedTicketView.account_id == account_id, SavedTicketView.id == view_id
        )
    )
    return bool(getattr(done, "rowcount", 0))
