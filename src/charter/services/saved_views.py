"""Saved ticket views: a person names the ticket list they are looking at (its URL
query) and finds it again by that name; each person sees, saves over and deletes only
their own (docs/tickets-view.md, "Saved views").

A name is 1 to 60 characters once trimmed, with no control characters; saving a name
the person already has replaces that view's query. A person keeps at most
``MAX_VIEWS`` views.

>>> check_name("  Due today ")
'Due today'
>>> check_name("")
Traceback (most recent call last):
charter.errors.InvalidInput: name: a saved view needs a name; type 1 to 60 characters...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charter.errors import InvalidInput, NotFound
from charter.excerpt import excerpt
from charter.store import Database
from charter.store import tickets as stored

NAME_LENGTH = 60
QUERY_LENGTH = 1000
MAX_VIEWS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SavedView:
    """A view as the list shows it: its name and the list's query it opens."""

    id: int
    name: str
    query: str


def views_of(database: Database, person_id: int) -> list[SavedView]:
    """The person's saved views, by name."""
    with database.reading() as session:
        return [SavedView(v.id, v.name, v.query) for v in stored.views_of(session, person_id)]


def save_view(database: Database, person_id: int, name: str, query: str) -> SavedView:
    """Save ``query`` under ``name`` for this person (replacing a view of that name);
    ``InvalidInput`` naming the field for a bad name or query, or one view too many."""
    name = check_name(name)
    if len(query) > QUERY_LENGTH or _CONTROL.search(query):
        raise InvalidInput(
            f"query: a saved view keeps at most {QUERY_LENGTH:,} plain characters of the "
            "list's address; clear some filters and save again",
            [{"field": "query", "problem": "too long or not printable"}],
        )
    with database.transaction() as session:
        known = {v.name for v in stored.views_of(session, person_id)}
        if name not in known and len(known) >= MAX_VIEWS:
            raise InvalidInput(
                f"name: you have {MAX_VIEWS} saved views, the most one person keeps; "
                "delete one, or save under a name you already use to replace it",
                [{"field": "name", "problem": "too many views"}],
            )
        saved = stored.save_view(session, person_id, name, query)
        return SavedView(saved.id, saved.name, saved.query)


def delete_view(database: Database, person_id: int, view_id: int) -> None:
    """Delete the person's view ``view_id``; ``NotFound`` when they have none such
    (another person's view included)."""
    missing = NotFound(f"saved view {view_id} not found among your saved views")
    if not 1 <= view_id <= 2**31 - 1:  # no view has it; the databases' integers stop there
        raise missing
    with database.transaction() as session:
        if not stored.delete_view(session, person_id, view_id):
            raise missing


def check_name(name: str) -> str:
    """The view's name trimmed; ``InvalidInput`` naming what is wrong with it."""
    text = name.strip()
    if not text:
        raise InvalidInput(
            f"name: a saved view needs a name; type 1 to {NAME_LENGTH} characters, "
            'such as "Due today"',
            [{"field": "name", "problem": "empty"}],
        )
    if len(text) > NAME_LENGTH or _CONTROL.search(text):
        raise InvalidInput(
            f"name: {excerpt(text, 30)!r} is not a usable name; a saved view's name is at most "
            f"{NAME_LENGTH} characters with no line breaks or control characters",
            [{"field": "name", "problem": "too long or not printable"}],
        )
    return text
