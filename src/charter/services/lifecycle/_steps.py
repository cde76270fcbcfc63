"""Lifecycle steps: move a version from one status to the next, or refuse saying why.

Re-exported by :mod:`charter.services.lifecycle`; use :func:`transition` from there.

>>> _action("publish")
'publish'
>>> _action("delete")
Traceback (most recent call last):
...
charter.errors.UsageError: 'delete' is not a lifecycle action; use one of submit, approve, ...
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import InvalidInput, UsageError
from charter.policy.lifecycle import (
    ACTIONS,
    STEPS,
    Action,
    require_author_role,
    require_other_reviewer,
    target_of,
)
from charter.services.accounts import Principal
from charter.services.lifecycle._find import find_policy, find_version
from charter.services.lifecycle._input import NOTE_LENGTH, clean
from charter.services.lifecycle._reads import forget_operating_version
from charter.services.lifecycle._values import Version, version_of
from charter.services.lifecycle._writers import writers
from charter.store import Database
from charter.store import policies as policies_store
from charter.store.models import PolicyRecord, PolicyVersion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def transition(
    database: Database, slug: str, number: int, action: str, actor: Principal, note: str = ""
) -> Version:
    """Take ``action`` on the version, or refuse it saying why and what would allow it."""
    step_action = _action(action)
    require_author_role(actor.role, f"{step_action} a version")
    note = clean("note", note, limit=NOTE_LENGTH)
    if step_action == "reject" and not note:
        raise InvalidInput(
            "note: give the reason for rejecting, so the author knows what to change",
            [{"field": "note", "problem": "required to reject"}],
        )
    with database.transaction() as session:
        policy = find_policy(session, slug, lock=True)
        row = find_version(session, policy, number)
        before, now = row.status, clock.now()
        target = target_of(step_action, before, number=number, slug=slug)
        _check_step(session, row, step_action, actor, slug)
        if step_action == "publish":
            _retire_published(session, policy, row, actor, now)
        row.status, row.updated_at = target, now
        stamp = STEPS[step_action].stamp
        if stamp is not None:
            setattr(row, stamp, now)
        policies_store.add_event(
            session, row, step_action, before=before, actor=actor.id, at=now, note=note
        )
        policies_store.flush_or_conflict(
            session, f"version {number} of {slug} changed at the same time; reload and retry"
        )
        version = version_of(row, slug)
    forget_operating_version(database)  # committed: pages caching the live version look again
    return version


def _action(action: str) -> Action:
    for known in ACTIONS:
        if action == known:
            return known
    raise UsageError(f"{action[:40]!r} is not a lifecycle action; use one of {', '.join(ACTIONS)}")


def _check_step(
    session: Session, row: PolicyVersion, action: Action, actor: Principal, slug: str
) -> None:
    """The checks beyond the status: a reviewer who did not write it, a loadable text."""
    if STEPS[action].review:
        require_other_reviewer(actor.id, writers(session, row), action, row.number)
        row.reviewer_id = actor.id
    if action == "submit":
        if not row.change_summary.strip():
            raise InvalidInput(
                f"change_summary: version {row.number} of {slug} has no change summary; say "
                f"what changed with PATCH /api/policies/{slug}/versions/{row.number}, then submit",
                [{"field": "change_summary", "problem": "required to submit"}],
            )
        version_of(row, slug).loaded()  # a PolicyError carries every diagnostic


def _retire_published(
    session: Session, policy: PolicyRecord, row: PolicyVersion, actor: Principal, now: dt.datetime
) -> None:
    """Retire the live version first, so one published version per policy holds throughout."""
    live = policies_store.published_version(session, policy.id)
    if live is None:
        return
    live.status, live.retired_at, live.updated_at = "retired", now, now
    note = f"replaced by version {row.number}"
    policies_store.add_event(
        session, live, "retire", before="published", actor=actor.id, at=now, note=note
    )
    policies_store.flush_or_conflict(
        session, f"{policy.slug} was published at the same time; reload and retry"
    )
