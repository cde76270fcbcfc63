"""The e-mail that tells reviewers a version waits for them, written with the submission.

Each active manager and admin who wrote none of the version's text (who may approve or
reject it, :func:`charter.policy.lifecycle.require_other_reviewer`) gets one message in
the outbox, written in the transaction that moves the version to ``in_review``. A
version is submitted once (it never goes back to draft), so each submission tells each
reviewer exactly once; the worker delivers the messages like every other e-mail.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from charter import figures
from charter.policy.lifecycle import AUTHORS
from charter.services.accounts import Principal
from charter.store import accounts as accounts_store
from charter.store import outbox as outbox_store
from charter.store.models import PolicyRecord, PolicyVersion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KIND = "submitted"  # the outbox row's level: a version submitted for review
FOOTER = ("Sent by Charter because you are a manager or admin who may review this version "
          "of the customer service policy.")  # fmt: skip


def tell_reviewers(
    session: Session,
    policy: PolicyRecord,
    row: PolicyVersion,
    actor: Principal,
    writers: set[int],
    now: dt.datetime,
) -> int:
    """Queue one e-mail to each person who may review ``row``; how many were queued."""
    reviewers = [
        user
        for user in accounts_store.all_users(session)
        if user.active and user.role in AUTHORS and user.id not in writers
    ]
    link = f"/policies/{policy.slug}/versions/{row.number}"
    facts = [
        {"label": "Policy", "text": f"{policy.name} ({policy.slug}), version {row.number}",
         "href": None},
        {"label": "Submitted by", "text": f"{actor.name}, {figures.instant(now)}", "href": None},
        {"label": "What changed", "text": row.change_summary or "—", "href": None},
        {"label": "Review it at", "text": link, "href": link},  # on CHARTER_BASE_URL
    ]  # fmt: skip
    payload = {
        "headline": f"Version {row.number} of {policy.name} waits for your review",
        "facts": facts,
        "footer": FOOTER,
    }
    for user in reviewers:
        outbox_store.queue(session, purpose="review", version_id=row.id, kind=KIND,
                           recipient=user.email, payload=payload, at=now)  # fmt: skip
    return len(reviewers)
