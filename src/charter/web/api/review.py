"""``/api/review``: where the live policy's review stands, and recording one
(docs/review.md)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, status

from charter.errors import NotFound
from charter.services.review import ReviewStatus, record_review, review_status
from charter.web.deps import DatabaseDep, Manager
from charter.web.schemas.review import ReviewCreate, ReviewStatusPublic

router = APIRouter(tags=["review"])


def _public(found: ReviewStatus | None) -> ReviewStatusPublic:
    if found is None:
        raise NotFound("no version is in force, or its policy sets no review")
    return ReviewStatusPublic(**asdict(found))


@router.get("/review", responses={404: {"description": "No review is set."}})
def read_review(database: DatabaseDep, _user: Manager) -> ReviewStatusPublic:
    """The next review: its date, warning period, state, owner and the last one recorded."""
    return _public(review_status(database))


@router.post(
    "/review",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "Nothing in force, no review set, or not a draft."}},
)
def create_review(body: ReviewCreate, database: DatabaseDep, user: Manager) -> ReviewStatusPublic:
    """Record a review of the live policy done today: no change, or the draft that
    carries its changes. The next review moves a full interval (docs/review.md)."""
    found = record_review(database, user, body.outcome, draft=body.draft, note=body.note)
    return _public(found)
