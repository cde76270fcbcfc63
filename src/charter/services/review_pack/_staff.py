"""Sections e and f: what staff said and how they stand.

- Staff comments on the drafts written in the period: every comment on a version
  created in the period, grouped by version (newest first) and by the clause it is
  about (comments on the version as a whole first), oldest comment first.
- Training: the people the version in force asks to acknowledge it and pass its quiz,
  and the quiz answers per clause, as the training results page counts them
  (``charter.services.training.results``).
"""

from __future__ import annotations

import datetime as dt

from charter.services.lifecycle import Comment, list_comments, list_versions
from charter.services.review_pack._values import CommentGroup, Span, Training
from charter.services.training import results
from charter.store import Database


def _grouped(number: int, status: str, found: list[Comment]) -> list[CommentGroup]:
    clauses: dict[str, list[Comment]] = {}
    for comment in sorted(found, key=lambda c: (c.created_at, c.id)):
        clauses.setdefault(comment.clause or "", []).append(comment)
    return [CommentGroup(number, status, clause, tuple(items))
            for clause, items in sorted(clauses.items())]  # fmt: skip


def comment_groups(database: Database, slug: str, span: Span) -> tuple[CommentGroup, ...]:
    """The comments on the versions of ``slug`` created in ``span``."""
    groups: list[CommentGroup] = []
    for version in sorted(list_versions(database, slug), key=lambda v: -v.number):
        if not span.start <= version.created_at <= span.end:
            continue
        found = list_comments(database, slug, version.number)
        if found:
            groups += _grouped(version.number, version.status, found)
    return tuple(groups)


def training(database: Database, now: dt.datetime) -> Training:
    """How the people with a requirement stand at ``now``, and the clauses' answers."""
    found = results(database, now=now)
    people = [p for p in found.people if p.version is not None]
    return Training(
        people=len(people),
        acknowledged=sum(p.acknowledged_at is not None for p in people),
        passed=sum(p.passed_at is not None for p in people),
        overdue=sum(p.state == "overdue" for p in people),
        clauses=tuple(found.clauses),
    )
