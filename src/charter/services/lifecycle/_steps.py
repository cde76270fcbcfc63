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

from charter import clock, figures
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
from charter.services.lifecycle import _pilot
from charter.services.lifecycle._find import find_policy, find_version
from charter.services.lifecycle._input import NOTE_LENGTH, clean
from charter.services.lifecycle._notices import tell_reviewers
from charter.services.lifecycle._pilot import PilotRequest
from charter.services.lifecycle._reads import forget_operating_version
from charter.services.lifecycle._values import Version, version_of
from charter.services.lifecycle._writers import writers
from charter.store import Database
from charter.store import policies as policies_store
from charter.store.models import PolicyRecord, PolicyVersion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def transition(
    database: Database,
    slug: str,
    number: int,
    action: str,
    actor: Principal,
    note: str = "",
    *,
    effective_at: dt.datetime | None = None,
    pilot: PilotRequest | None = None,
) -> Version:
    """Take ``action`` on the version, or refuse it saying why and what would allow it.

    A publish takes effect at ``effective_at`` (aware, not in the past; default: now):
    the version in force until then stays in force, and from then on the new one
    governs the tickets created. Retiring a version published to take effect later
    cancels that publication: the version it would have replaced stays in force.
    A ``pilot`` names its group and period (``pilot``); ``extend`` gives the pilot a
    later end; publishing or abandoning a pilot ends it (docs/lifecycle.md, *Pilots*).
    """
    step_action = _action(action)
    require_author_role(actor.role, f"{step_action} a version")
    note = clean("note", note, limit=NOTE_LENGTH)
    if step_action == "reject" and not note:
        raise InvalidInput(
            "note: give the reason for rejecting, so the author knows what to change",
            [{"field": "note", "problem": "required to reject"}],
        )
    if effective_at is not None and step_action != "publish":
        raise InvalidInput(
            f"effective_at: only a publish takes an effective instant, not {step_action}; "
            "leave it out",
            [{"field": "effective_at", "problem": "only for publish"}],
        )
    _pilot.check_request(step_action, pilot)
    with database.transaction() as session:
        policy = find_policy(session, slug, lock=True)
        row = find_version(session, policy, number)
        before, now = row.status, clock.now()
        target = target_of(step_action, before, number=number, slug=slug)
        _check_step(session, row, step_action, actor, slug)
        said = _effects(session, policy, row, step_action, actor, now, effective_at, pilot)
        if said:
            note = f"{note} ({said})" if note else said
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


def _effects(
    session: Session,
    policy: PolicyRecord,
    row: PolicyVersion,
    action: Action,
    actor: Principal,
    now: dt.datetime,
    effective_at: dt.datetime | None,
    pilot: PilotRequest | None,
) -> str:
    """What ``action`` changes beyond the status; what the history's note adds."""
    if action == "pilot":
        return _pilot.start(row, pilot, now)
    if action == "extend":
        return _pilot.extend(row, pilot, now)
    if action == "abandon":
        return _pilot.conclude(row, action, now)
    if action == "publish":
        effective = publish_instant(effective_at, now)
        _supersede(session, policy, row, effective, actor, now)
        row.effective_at = effective
        said = _pilot.conclude(row, action, effective) if row.status == "pilot" else ""
        if effective > now:
            return "; ".join(filter(None, [f"takes effect {figures.instant(effective)}", said]))
        return said
    if action == "retire" and row.effective_at is not None and row.effective_at > now:
        _cancel(session, policy, row, actor, now)
    if action == "submit":  # the reviewers are told once, with the submission itself
        wrote = set(writers(session, row))
        told = tell_reviewers(session, policy, row, actor, wrote, now)
        return f"{told} reviewer{'' if told == 1 else 's'} told by e-mail"
    return ""


def publish_instant(effective_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """When a publish takes effect: ``effective_at``, or now; never in the past (the
    refusal names both instants in the zone ``effective_at`` was given in)."""
    if effective_at is None:
        return now
    if effective_at.tzinfo is None:
        raise InvalidInput(
            f"effective_at: {effective_at.isoformat()} has no timezone; give an instant with "
            "one, such as 2026-12-06T09:00:00+00:00",
            [{"field": "effective_at", "problem": "no timezone"}],
        )
    effective, zone = effective_at.astimezone(dt.UTC), effective_at.tzinfo
    if effective < now:
        raise InvalidInput(
            f"effective_at: {figures.instant(effective, zone)} is in the past (it is now "
            f"{figures.instant(now, zone)}); a version cannot take effect before it is published, "
            "as that would change verdicts already given. Give a later instant, or leave it "
            "out to publish now",
            [{"field": "effective_at", "problem": "in the past"}],
        )
    return effective


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


def _supersede(
    session: Session,
    policy: PolicyRecord,
    row: PolicyVersion,
    effective: dt.datetime,
    actor: Principal,
    now: dt.datetime,
) -> None:
    """End, at ``effective``, every version in force then or later: one in force before
    it stays in force until then; one scheduled from then on never takes effect. The
    live version is retired first, so one published version per policy holds throughout."""
    for other in policies_store.in_force_from(session, policy.id, effective):
        if other.id == row.id:
            continue
        before = other.status
        if other.effective_at is not None and other.effective_at >= effective:
            other.effective_at, other.retired_at = None, now
            note = f"replaced by version {row.number} before it took effect"
        else:
            other.retired_at = effective
            note = f"replaced by version {row.number}"
            if effective > now:
                note += f", in force until {figures.instant(effective)}"
        other.status, other.updated_at = "retired", now
        policies_store.add_event(
            session, other, "retire", before=before, actor=actor.id, at=now, note=note
        )
        policies_store.flush_or_conflict(
            session, f"{policy.slug} was published at the same time; reload and retry"
        )


def _cancel(
    session: Session, policy: PolicyRecord, row: PolicyVersion, actor: Principal, now: dt.datetime
) -> None:
    """Retiring a version before it takes effect: it never does, and the version it was
    to replace stays in force (published again)."""
    assert row.effective_at is not None
    planned, row.effective_at = row.effective_at, None
    row.status = "retired"  # first: one published version per policy holds throughout
    policies_store.flush_or_conflict(
        session, f"{policy.slug} changed at the same time; reload and retry"
    )
    for other in policies_store.retired_at_instant(session, policy.id, planned):
        other.retired_at, other.status, other.updated_at = None, "published", now
        note = (
            f"in force again: the publication of version {row.number}, due to take effect "
            f"{figures.instant(planned)}, was cancelled"
        )
        policies_store.add_event(
            session, other, "restore", before="retired", actor=actor.id, at=now, note=note
        )
