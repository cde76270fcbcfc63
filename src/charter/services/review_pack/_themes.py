"""Section c's second half: the feedback themes of the period, each with the clauses
its comments are closest to (``charter.services.feedback_themes.review_themes``: the
survey comments, the public page's section feedback and the helpdesk's imported
comments made in the period, with the managers' names, merges and pins applied)."""

from __future__ import annotations

from charter.services.feedback_themes import ThemeSummary, review_themes
from charter.services.review_pack._values import Span
from charter.store import Database


def feedback_themes(database: Database, slug: str, span: Span) -> list[ThemeSummary]:
    """The themes of the comments made in ``span``, largest first."""
    return review_themes(database, slug, span.start, span.end)
