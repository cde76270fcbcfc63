"""Section c's second half: the feedback themes of the period, each with the clauses
its comments are closest to (``charter.services.feedback_themes.review_themes``)."""

from __future__ import annotations

from typing import Any

from charter.services.review_pack._values import Span
from charter.store import Database


def feedback_themes(database: Database, slug: str, span: Span) -> list[Any] | None:
    """The themes of the comments made in ``span``; None while they cannot be read."""
    # THEMES: charter.services.feedback_themes.review_themes(database, slug, since, until)
    # is called here once it is in place; until then the pack leaves the themes out.
    return None
