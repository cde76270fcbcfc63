"""Publishing further versions of the example policy, and reading the handbook's HTML."""

from __future__ import annotations

import html
import re

from charter.services.lifecycle import edit_draft, new_draft
from charter.services.publishing import take_action
from charter.store import Database
from support.seed import SLUG, Seeded

_TAG = re.compile(r"<[^>]+>")


def publish_version(database: Database, seeded: Seeded, text: str) -> int:
    """A new version of ``larkfield`` holding ``text``, taken through to published."""
    draft = new_draft(database, SLUG, seeded.author, change_summary="Next")
    edit_draft(database, SLUG, draft.number, seeded.author, text=text)
    steps = (("submit", seeded.author), ("approve", seeded.reviewer), ("publish", seeded.author))
    for action, actor in steps:
        take_action(database, SLUG, draft.number, action, actor)
    return draft.number


def text_of(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def block(page: str, clause_id: str) -> str:
    """The HTML of the element carrying ``id="<clause_id>"`` (a clause or a section)."""
    found = re.search(
        rf'<(article|section) [^>]*id="{re.escape(clause_id)}">(.*?)</\1>', page, re.S
    )
    assert found, f"no element with id {clause_id!r}"
    return found.group(2)
