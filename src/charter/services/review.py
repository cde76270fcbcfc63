"""The review cycle: where the next review stands, recording a review, and the
reminders to its owner (docs/review.md).

The next review date is the later of the policy text's ``review.next_review`` and the
date the latest recorded review set, so recording a review moves it without a new
version (and without asking anyone to acknowledge again), and a new version whose
text names a later date moves it too. Days are UTC dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from charter import clock
from charter.config import Settings
from charter.errors import Conflict, Forbidden, InvalidInput, NotFound
from charter.feedback.review import ReviewState, next_after_approval, reminder_dates, review_due
from charter.policy.people import Review
from charter.services.accounts import Principal, Role
from charter.services.lifecycle import Version, get_version, operating_version
from charter.store import Database
from charter.store import outbox as outbox_store
from charter.store import reviews as records
from charter.store.policies import policy_by_slug

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["ReviewStatus", "record_review", "review_status", "send_review_reminders"]

Outcome = Literal["no_change", "new_draft"]
MAX_NOTE = 2000
FOOTER = "Sent by Charter because the customer service policy names you as its reviewer."


@dataclass(frozen=True)
class ReviewStatus:
    """The live policy's next review: when, its warning period, where it stands, who owns
    it, and the last review recorded (None before the first)."""

    slug: str
    version: int
    next_review: dt.date
    warn_from: dt.date
    state: ReviewState
    days_left: int
    owner: str  # the owner's role id
    owner_name: str  # the role's name, or its id when the policy names it no further
    cadence_months: int
    last_reviewed_on: dt.date | None
    last_outcome: str | None


def _effective(
    version: Version, database: Database
) -> tuple[Review, records.PolicyReview | None] | None:
    """The live version's review section with the next date moved on by the latest
    recorded review, and that record."""
    review = version.policy().review
    if review is None:
        return None
    with database.reading() as session:
        policy_id = _policy_id(session, version)
        last = records.latest_review(session, policy_id)
    if last is not None and last.next_review > review.next_review:
        review = review.model_copy(update={"next_review": last.next_review})
    return review, last


def _policy_id(session: Session, version: Version) -> int:
    found = policy_by_slug(session, version.slug)
    if found is None:
        raise NotFound(f"no policy {version.slug!r}")
    return int(found.id)


def review_status(database: Database, today: dt.date | None = None) -> ReviewStatus | None:
    """The live policy's review standing on ``today`` (default: today, UTC); None when no
    version is in force or its policy sets no review."""
    day = today or clock.now().date()
    version = operating_version(database)
    if version is None:
        return None
    found = _effective(version, database)
    if found is None:
        return None
    review, last = found
    due = review_due(review, day)
    staff = version.policy().staff
    name = next((r.name for r in staff.roles if r.id == review.owner), None) if staff else None
    return ReviewStatus(version.slug, version.number, due.next_review, due.warn_from,
                        due.state, due.days_left, review.owner, name or review.owner,
                        review.cadence_months,
                        last.reviewed_on if last else None,
                        last.outcome if last else None)  # fmt: skip


def record_review(
    database: Database, actor: Principal, outcome: str, *, draft: int | None = None,
    note: str = "", now: dt.datetime | None = None,
) -> ReviewStatus:  # fmt: skip
    """Record that the live policy was reviewed today: ``no_change`` (nothing is asked
    of anyone again) or ``new_draft`` (naming the draft that carries the changes into
    the lifecycle). The next review moves a full interval (docs/review.md)."""
    if not actor.has(Role.admin, Role.manager):
        raise Forbidden("only managers and admins record a review")
    if outcome not in ("no_change", "new_draft"):
        raise InvalidInput(f"outcome {outcome[:20]!r} is not no_change or new_draft",
                           [{"field": "outcome", "problem": "unknown outcome"}])  # fmt: skip
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"note: {len(note):,} characters is too long; at most {MAX_NOTE:,}",
                           [{"field": "note", "problem": "too long"}])  # fmt: skip
    moment = clock.utc_moment(now)
    version = operating_version(database, moment)
    if version is None:
        raise Conflict("no version is in force: there is nothing to review")
    found = _effective(version, database)
    if found is None:
        raise Conflict("the policy in force sets no review (add a review: section)")
    review, _ = found
    if outcome == "new_draft":
        if draft is None:
            raise InvalidInput("name the draft that carries the review's changes",
                               [{"field": "draft", "problem": "missing"}])  # fmt: skip
        if get_version(database, version.slug, draft).status not in (
            "draft",
            "in_review",
            "approved",
            "pilot",
        ):
            raise Conflict(f"version {draft} is not a draft on its way to publishing")
    elif draft is not None:
        raise InvalidInput("a review with no change names no draft",
                           [{"field": "draft", "problem": "not expected"}])  # fmt: skip
    day = moment.date()
    following = next_after_approval(review, day)
    with database.transaction() as session:
        records.add_review(session, policy_id=_policy_id(session, version), version_id=version.id,
                           reviewed_on=day, reviewed_at=moment, reviewer_id=actor.id,
                           outcome=outcome, draft_number=draft, next_review=following,
                           note=note.strip())  # fmt: skip
    status = review_status(database, day)
    assert status is not None
    return status


def send_review_reminders(
    database: Database, settings: Settings, now: dt.datetime | None = None
) -> int:
    """Write the owner's reminder due today, once (none before the warning period);
    how many were written (0 or 1)."""
    moment = clock.utc_moment(now)
    day = moment.date()
    version = operating_version(database, moment)
    found = _effective(version, database) if version is not None else None
    if version is None or found is None:
        return 0
    review, _ = found
    due_days = reminder_dates(review, day)
    if not due_days or due_days[-1] != day:
        return 0
    policy = version.policy()
    owner = review.owner
    address = policy.staff.address_of(owner) if policy.staff else None
    status = review_due(review, day)
    words = (f"due on {status.next_review:%a %d %b %Y}" if status.state == "warning"
             else f"overdue since {status.next_review:%a %d %b %Y}")  # fmt: skip
    base = (settings.base_url or "").rstrip("/")
    facts = [
        {"label": "Policy", "text": f"{version.slug}, version {version.number}", "href": None},
        {"label": "Review", "text": words, "href": None},
        {"label": "Every", "text": f"{review.cadence_months} months", "href": None},
    ]
    if base.startswith(("http://", "https://")):
        facts.append({"label": "Open", "text": "The policy in Charter",
                      "href": f"{base}/policies/{version.slug}"})  # fmt: skip
    payload = {"headline": f"The customer service policy's review is {words}",
               "facts": facts, "footer": FOOTER}  # fmt: skip
    with database.transaction() as session:
        if not records.claim_reminder(session, _policy_id(session, version), status.next_review,
                                      day, moment):  # fmt: skip
            return 0
        missing = (f"role '{owner}' has no e-mail address; add email: to it under staff.roles "
                   "in the policy") if address is None else None  # fmt: skip
        outbox_store.queue(session, purpose="review", version_id=version.id, kind=status.state,
                           recipient=address or owner, payload=payload, at=moment,
                           dead_because=missing)  # fmt: skip
    return 1
