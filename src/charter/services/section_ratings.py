"""What visitors said of the public charter's sections, for managers: each section's
clear and fair tallies over every version of the policy, with its comments, newest
first (docs/feedback.md, "Rating the policy's sections")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charter.policy.clauses import SECTIONS
from charter.services.feedback_themes import policy_slug
from charter.services.lifecycle import list_versions
from charter.services.policy_feedback import RATED_SECTIONS
from charter.store import Database
from charter.store import feedback as records
from charter.store.policies import policy_by_slug

__all__ = ["COMMENTS_SHOWN", "SectionRatings", "section_ratings"]

COMMENTS_SHOWN = 20  # the newest comments listed per section
READ = 2000  # comments read at most, over all sections
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FAR = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SectionRatings:
    """One section: how many rated it, their clear / fair answers (yes, no), how many
    left a comment, and the newest ``COMMENTS_SHOWN`` comments."""

    section: str
    heading: str
    ratings: int
    clear_yes: int
    clear_no: int
    fair_yes: int
    fair_no: int
    comment_count: int
    comments: list[records.SectionComment]


def section_ratings(database: Database, slug: str | None = None) -> list[SectionRatings]:
    """Every rated section of ``slug`` (default: the policy in force), in the page's
    order, with sections nobody rated at zero."""
    name = policy_slug(database, slug)
    versions = {v.id for v in list_versions(database, name)}
    with database.reading() as session:
        counted = [t for t in records.tallies(session) if t.version_id in versions]
        policy = policy_by_slug(session, name)
        said = records.comments_of(session, policy.id, EPOCH, FAR, READ) if policy else []
    return [_one(section, counted, said) for section in RATED_SECTIONS]


def _one(
    section: str, counted: list[records.SectionTally], said: list[records.SectionComment]
) -> SectionRatings:
    mine = [t for t in counted if t.section == section]
    return SectionRatings(
        section=section, heading=SECTIONS.get(section, section),
        ratings=sum(t.ratings for t in mine), clear_yes=sum(t.clear_yes for t in mine),
        clear_no=sum(t.clear_no for t in mine), fair_yes=sum(t.fair_yes for t in mine),
        fair_no=sum(t.fair_no for t in mine), comment_count=sum(t.comments for t in mine),
        comments=[c for c in said if c.section == section][:COMMENTS_SHOWN],
    )  # fmt: skip
