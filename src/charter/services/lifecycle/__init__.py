"""The policy lifecycle: ``draft → in_review → approved → pilot → published → retired``.

Managers and admins write policies: they create them, edit drafts and submit
them. A reviewer (a manager or admin who wrote none of the version's text, nor
of the unreviewed versions it was copied from) approves or rejects; managers and
admins pilot (naming the pilot's group and period), extend, publish, abandon and
retire. Agents read everything and comment. A version
is immutable once submitted; publishing one retires the version that was
published before, in the same transaction.
``docs/lifecycle.md`` has the whole table.

>>> import tempfile, pathlib
>>> from importlib import resources
>>> from charter.store import Database
>>> from charter.services.accounts import Principal, create_user
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> def manager(name: str) -> Principal:
...     a = create_user(db, email=f"{name}@example.com", name=name, role="manager",
...                     password="a long password")
...     return Principal(a.id, a.email, a.name, a.role)
>>> ada, bo = manager("ada"), manager("bo")
>>> text = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")
>>> create_policy(db, slug="acme", name="Acme", text=text, actor=ada,
...               change_summary="First charter").latest
1
>>> transition(db, "acme", 1, "submit", ada).status
'in_review'
>>> transition(db, "acme", 1, "approve", ada)
Traceback (most recent call last):
...
charter.errors.Forbidden: you wrote or edited this version, so you cannot approve it: ...
>>> [transition(db, "acme", 1, step, bo).status for step in ("approve", "publish")]
['approved', 'published']
>>> new_draft(db, "acme", ada).number, operating_version(db).number
(2, 1)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from charter import clock
from charter.errors import Conflict
from charter.policy.lifecycle import (
    ACTIONS,
    STATUSES,
    Action,
    Status,
    allowed_actions,
    check_editable,
    require_author_role,
)
from charter.services.accounts import Principal
from charter.services.lifecycle._find import default_base, find_policy, find_version
from charter.services.lifecycle._input import (
    CLAUSE_LENGTH,
    NAME_LENGTH,
    NOTE_LENGTH,
    SLUG_LENGTH,
    SLUG_PATTERN,
    TEXT_LENGTH,
    check_slug,
    clean,
    clean_text,
)
from charter.services.lifecycle._pilot import PilotRequest
from charter.services.lifecycle._reads import (
    get_policy,
    get_version,
    governing,
    judging_pilots,
    judging_versions,
    last_pilot,
    list_policies,
    list_versions,
    operating_version,
    operating_version_id,
    published_version,
    recent_operating_version_id,
)
from charter.services.lifecycle._review import add_comment, diff_versions, history, list_comments
from charter.services.lifecycle._steps import publish_instant, transition
from charter.services.lifecycle._values import (
    Comment,
    Event,
    PolicyOverview,
    Version,
    VersionDiff,
    content_hash,
    overview_of,
    version_of,
)
from charter.services.lifecycle._writers import text_writers
from charter.store import Database
from charter.store import policies as policies_store
from charter.store.models import PolicyRecord, PolicyVersion

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "ACTIONS",
    "CLAUSE_LENGTH",
    "NAME_LENGTH",
    "NOTE_LENGTH",
    "SLUG_LENGTH",
    "SLUG_PATTERN",
    "TEXT_LENGTH",
    "STATUSES",
    "Action",
    "Status",
    "allowed_actions",
    "Comment",
    "Event",
    "PilotRequest",
    "PolicyOverview",
    "Version",
    "VersionDiff",
    "add_comment",
    "content_hash",
    "create_policy",
    "diff_versions",
    "edit_draft",
    "get_policy",
    "get_version",
    "governing",
    "history",
    "judging_pilots",
    "judging_versions",
    "last_pilot",
    "list_comments",
    "list_policies",
    "list_versions",
    "new_draft",
    "operating_version",
    "operating_version_id",
    "recent_operating_version_id",
    "publish_instant",
    "published_version",
    "text_writers",
    "transition",
]


def create_policy(
    database: Database,
    *,
    slug: str,
    name: str,
    text: str,
    actor: Principal,
    change_summary: str = "",
) -> PolicyOverview:
    """A new policy whose version 1 is a draft holding ``text`` (checked on submit)."""
    require_author_role(actor.role, "create a policy")
    slug, name = check_slug(slug), clean("name", name, limit=NAME_LENGTH, required=True)
    text = clean_text(text)
    summary = clean("change_summary", change_summary, limit=NOTE_LENGTH)
    clash = f"a policy {slug!r} already exists; choose another slug, or add a version to it"
    with database.transaction() as session:
        if policies_store.policy_exists(session, slug):
            raise Conflict(f"{clash} with POST /api/policies/{slug}/versions")
        now = clock.now()
        policy = PolicyRecord(slug=slug, name=name, created_at=now, created_by=actor.id)
        session.add(policy)
        policies_store.flush_or_conflict(session, clash)
        _add_version(session, policy, 1, text, summary, None, actor, now)
        return overview_of(policy, [(1, "draft")])


def _add_version(
    session: Session,
    policy: PolicyRecord,
    number: int,
    text: str,
    summary: str,
    based_on: int | None,
    actor: Principal,
    now: dt.datetime,
) -> PolicyVersion:
    row = PolicyVersion(
        policy_id=policy.id,
        number=number,
        status="draft",
        text=text,
        content_hash=content_hash(text),
        change_summary=summary,
        based_on=based_on,
        author_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    policies_store.flush_or_conflict(
        session, f"version {number} of {policy.slug} was just created by someone else; retry"
    )
    note = f"from version {based_on}" if based_on is not None else ""
    policies_store.add_event(session, row, "create", before=None, actor=actor.id, at=now, note=note)
    return row


def new_draft(
    database: Database,
    slug: str,
    actor: Principal,
    *,
    based_on: int | None = None,
    change_summary: str = "",
) -> Version:
    """A draft numbered after the latest, copying ``based_on`` (default: published, else latest).

    The published version stays live; drafts may be made while others exist.
    """
    require_author_role(actor.role, "create a draft")
    summary = clean("change_summary", change_summary, limit=NOTE_LENGTH)
    with database.transaction() as session:
        policy = find_policy(session, slug, lock=True)
        base = (
            default_base(session, policy)
            if based_on is None
            else find_version(session, policy, based_on)
        )
        number = policies_store.latest_number(session, policy.id) + 1
        row = _add_version(
            session, policy, number, base.text, summary, base.number, actor, clock.now()
        )
        return version_of(row, slug)


def edit_draft(
    database: Database,
    slug: str,
    number: int,
    actor: Principal,
    *,
    text: str | None = None,
    change_summary: str | None = None,
) -> Version:
    """Change a draft's text or summary; ``None`` leaves it. Submitted versions are immutable."""
    require_author_role(actor.role, "edit a draft")
    if text is not None:
        text = clean_text(text)
    if change_summary is not None:
        change_summary = clean("change_summary", change_summary, limit=NOTE_LENGTH)
    with database.transaction() as session:
        row = find_version(session, find_policy(session, slug, lock=True), number)
        check_editable(row.status, number=number, slug=slug)
        changed = []
        if text is not None and text != row.text:
            row.text, row.content_hash = text, content_hash(text)
            changed.append("text")
        if change_summary is not None and change_summary != row.change_summary:
            row.change_summary = change_summary
            changed.append("change summary")
        if changed:
            row.updated_at = now = clock.now()
            note = f"changed the {' and the '.join(changed)}"
            policies_store.add_event(
                session, row, "edit", before="draft", actor=actor.id, at=now, note=note
            )
        return version_of(row, slug)
