"""Rows of the lifecycle within one session, and the checks on what users send.

Every function here works inside a session the calling service opened; none
commits. Lookups raise :class:`NotFound` with a message that says where to look.

>>> clean("note", "  looks good  ", limit=100)
'looks good'
>>> check_slug("Not A Slug")
Traceback (most recent call last):
...
charter.errors.InvalidInput: slug: 'Not A Slug' is not a slug; use lower-case letters, ...
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from charter import clock
from charter.errors import Conflict, InvalidInput, NotFound
from charter.policy.limits import MAX_TEXT_BYTES, size_message
from charter.store.models import PolicyRecord, PolicyVersion, VersionEvent

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_PATTERN = SLUG.pattern
SLUG_LENGTH = 100
NAME_LENGTH = 200
CLAUSE_LENGTH = 200
NOTE_LENGTH = 10_000
TEXT_LENGTH = MAX_TEXT_BYTES  # in characters at the API, then in UTF-8 bytes by clean_text


def utc_now() -> dt.datetime:
    return clock.now()


def flush_or_conflict(session: Session, clash: str) -> None:
    """Flush, turning a unique-key clash with a concurrent change into a Conflict."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(clash) from None


def _invalid(field: str, problem: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", [{"field": field, "problem": problem}])


def clean(field: str, value: str, *, limit: int, required: bool = False, strip: bool = True) -> str:
    """``value`` checked to be storable text of at most ``limit`` characters."""
    if "\x00" in value:
        raise _invalid(field, "contains a NUL character", "remove the NUL (\\0) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(field, "not UTF-8", "send valid Unicode text (no lone surrogates)") from None
    cleaned = value.strip() if strip else value
    if len(cleaned) > limit:
        raise _invalid(
            field, f"longer than {limit} characters", f"at most {limit} characters are kept"
        )
    if required and not cleaned.strip():
        raise _invalid(field, "empty", "must not be empty")
    return cleaned


def clean_text(text: str) -> str:
    """A policy text checked to be storable and at most ``MAX_TEXT_BYTES`` in UTF-8."""
    text = clean("text", text, limit=TEXT_LENGTH, strip=False)
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise _invalid(
            "text",
            f"larger than {MAX_TEXT_BYTES} bytes",
            size_message(size),
        )
    return text


def check_slug(slug: str) -> str:
    if len(slug) > SLUG_LENGTH or not SLUG.fullmatch(slug):
        raise _invalid(
            "slug",
            "not a slug",
            f"{slug[:SLUG_LENGTH]!r} is not a slug; use lower-case letters, digits and single "
            f"hyphens (e.g. 'customer-charter'), at most {SLUG_LENGTH} characters",
        )
    return slug


def _no_policy(slug: str) -> NotFound:
    return NotFound(f"no policy {slug[:SLUG_LENGTH]!r}; GET /api/policies lists the policies")


def find_policy(session: Session, slug: str, *, lock: bool = False) -> PolicyRecord:
    """The policy ``slug``; ``lock`` holds its row so changes to it queue up (PostgreSQL)."""
    if len(slug) > SLUG_LENGTH or not SLUG.fullmatch(slug):
        raise _no_policy(slug)  # no stored policy has such a slug; do not query with it
    query = select(PolicyRecord).where(PolicyRecord.slug == slug)
    row = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if row is None:
        raise _no_policy(slug)
    return row


def find_version(session: Session, policy: PolicyRecord, number: int) -> PolicyVersion:
    row = session.scalars(
        select(PolicyVersion).where(
            PolicyVersion.policy_id == policy.id, PolicyVersion.number == number
        )
    ).one_or_none()
    if row is None:
        latest = latest_number(session, policy.id)
        raise NotFound(
            f"policy {policy.slug} has no version {number}; its versions are 1 to {latest} "
            f"(GET /api/policies/{policy.slug}/versions)"
        )
    return row


def latest_number(session: Session, policy_id: int) -> int:
    found = session.scalar(
        select(func.max(PolicyVersion.number)).where(PolicyVersion.policy_id == policy_id)
    )
    return int(found or 0)


def published_row(session: Session, policy_id: int) -> PolicyVersion | None:
    return session.scalars(
        select(PolicyVersion).where(
            PolicyVersion.policy_id == policy_id, PolicyVersion.status == "published"
        )
    ).one_or_none()


def default_base(session: Session, policy: PolicyRecord) -> PolicyVersion:
    """Where a new draft starts when none is named: the published version, else the latest."""
    published = published_row(session, policy.id)
    return published or find_version(session, policy, latest_number(session, policy.id))


def record_event(
    session: Session,
    row: PolicyVersion,
    action: str,
    *,
    before: str | None,
    actor: int | None,
    at: dt.datetime,
    note: str = "",
) -> None:
    """Write one row of the audit trail: ``action`` moved ``row`` from ``before``."""
    session.add(
        VersionEvent(
            version_id=row.id,
            action=action,
            from_status=before,
            to_status=row.status,
            actor_id=actor,
            note=note,
            at=at,
        )
    )
