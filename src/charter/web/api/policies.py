"""``/api/policies``: policies, their versions, lifecycle actions, comments, history, diffs.

Reads and comments are open to every signed-in role; creating, editing and the
lifecycle actions need a manager or admin (and approve / reject someone other
than the version's author and editors, which the service checks).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from charter import clock
from charter.services import lifecycle
from charter.services.lifecycle import SLUG_LENGTH, SLUG_PATTERN, Action, PilotRequest, Version
from charter.services.publishing import take_action
from charter.web.deps import CurrentUser, DatabaseDep, Manager
from charter.web.schemas.policies import (
    ChangePublic,
    CommentCreate,
    CommentPublic,
    DiffPublic,
    DiffSummaryPublic,
    PolicyCreate,
    PolicyPublic,
    TransitionCreate,
    VersionCreate,
    VersionEventPublic,
    VersionPublic,
    VersionUpdate,
)

router = APIRouter(prefix="/policies", tags=["policies"])
Slug = Annotated[
    str,
    Path(min_length=1, max_length=SLUG_LENGTH, pattern=SLUG_PATTERN, description="Its slug."),
]
Number = Annotated[int, Path(ge=1, le=2**31 - 1, description="The version's number.")]

Responses = dict[int | str, dict[str, Any]]
READ: Responses = {
    401: {"description": "Not signed in."},
    404: {"description": "No such policy or version."},
}
WRITE: Responses = {
    **READ,
    403: {"description": "The role does not allow it (or a reviewer wrote the version)."},
    409: {"description": "The version's status does not allow it; the message says why."},
    422: {"description": "A field is not usable, or the policy text has errors (details)."},
}


def _version(version: Version) -> VersionPublic:
    fields = asdict(version)
    fields.pop("id")
    fields["policy"] = fields.pop("slug")
    return VersionPublic(
        **fields,
        allowed_actions=lifecycle.allowed_actions(version.status),
        in_force=version.in_force(clock.now()),
    )


@router.get("", responses=READ)
def read_policies(database: DatabaseDep, _user: CurrentUser) -> list[PolicyPublic]:
    """Every policy, oldest first, with its published and latest version numbers."""
    return [PolicyPublic(**asdict(p)) for p in lifecycle.list_policies(database)]


@router.post("", status_code=status.HTTP_201_CREATED, responses=WRITE)
def create_policy(body: PolicyCreate, database: DatabaseDep, user: Manager) -> PolicyPublic:
    """A new policy; its version 1 is a draft holding ``text``."""
    created = lifecycle.create_policy(
        database,
        slug=body.slug,
        name=body.name,
        text=body.text,
        actor=user,
        change_summary=body.change_summary,
    )
    return PolicyPublic(**asdict(created))


@router.get("/{slug}", responses=READ)
def read_policy(slug: Slug, database: DatabaseDep, _user: CurrentUser) -> PolicyPublic:
    return PolicyPublic(**asdict(lifecycle.get_policy(database, slug)))


@router.get("/{slug}/versions", responses=READ)
def read_versions(slug: Slug, database: DatabaseDep, _user: CurrentUser) -> list[VersionPublic]:
    """Every version of the policy, by number."""
    return [_version(v) for v in lifecycle.list_versions(database, slug)]


@router.post("/{slug}/versions", status_code=status.HTTP_201_CREATED, responses=WRITE)
def create_version(
    slug: Slug, body: VersionCreate, database: DatabaseDep, user: Manager
) -> VersionPublic:
    """A new draft from ``based_on``; the published version stays live meanwhile."""
    draft = lifecycle.new_draft(
        database, slug, user, based_on=body.based_on, change_summary=body.change_summary
    )
    return _version(draft)


@router.get("/{slug}/versions/{number}", responses=READ)
def read_version(
    slug: Slug, number: Number, database: DatabaseDep, _user: CurrentUser
) -> VersionPublic:
    return _version(lifecycle.get_version(database, slug, number))


@router.patch("/{slug}/versions/{number}", responses=WRITE)
def update_version(
    slug: Slug, number: Number, body: VersionUpdate, database: DatabaseDep, user: Manager
) -> VersionPublic:
    """Edit a draft's text or change summary; submitted versions are immutable (409)."""
    edited = lifecycle.edit_draft(
        database, slug, number, user, text=body.text, change_summary=body.change_summary
    )
    return _version(edited)


@router.get("/{slug}/versions/{number}/diff", responses={**READ, 422: WRITE[422]})
def read_diff(
    slug: Slug,
    number: Number,
    database: DatabaseDep,
    _user: CurrentUser,
    against: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="The version to compare with (default: based_on)."),
    ] = None,
) -> DiffPublic:
    """What changed from version ``against`` to this one, each change major or minor."""
    found = lifecycle.diff_versions(database, slug, number, against)
    summary = DiffSummaryPublic(
        major=found.summary.major,
        minor=found.summary.minor,
        total=found.summary.total,
        text=str(found.summary),
    )
    changes = [ChangePublic(**change.to_json()) for change in found.changes]
    return DiffPublic(
        policy=found.slug, old=found.old, new=found.new, summary=summary, changes=changes
    )


@router.get("/{slug}/versions/{number}/comments", responses=READ)
def read_comments(
    slug: Slug, number: Number, database: DatabaseDep, _user: CurrentUser
) -> list[CommentPublic]:
    """Staff comments on the version, oldest first."""
    return [CommentPublic(**asdict(c)) for c in lifecycle.list_comments(database, slug, number)]


@router.post(
    "/{slug}/versions/{number}/comments",
    status_code=status.HTTP_201_CREATED,
    responses={**READ, 409: WRITE[409], 422: WRITE[422]},
)
def create_comment(
    slug: Slug, number: Number, body: CommentCreate, database: DatabaseDep, user: CurrentUser
) -> CommentPublic:
    """Comment on a version that is not yet published (any signed-in role)."""
    comment = lifecycle.add_comment(
        database, slug, number, user, body=body.body, clause=body.clause
    )
    return CommentPublic(**asdict(comment))


@router.get("/{slug}/versions/{number}/history", responses=READ)
def read_history(
    slug: Slug, number: Number, database: DatabaseDep, _user: CurrentUser
) -> list[VersionEventPublic]:
    """The version's audit trail: who did what, from which status to which, when."""
    return [VersionEventPublic(**asdict(e)) for e in lifecycle.history(database, slug, number)]


# Declared last: its ``{action}`` segment must not shadow ``comments`` and the rest.
@router.post("/{slug}/versions/{number}/{action}", responses=WRITE)
def act_on_version(
    slug: Slug,
    number: Number,
    action: Annotated[
        Action,
        Path(description="submit, approve, reject, pilot, extend, publish, abandon, retire"),
    ],
    database: DatabaseDep,
    user: Manager,
    body: TransitionCreate | None = None,
) -> VersionPublic:
    """Move the version on: ``submit`` (draft → in_review), ``approve`` / ``reject``
    (in_review → approved / rejected; not by its author or editors; reject needs a
    ``note``), ``pilot`` (approved → pilot, on ``group`` from ``starts_at``, default
    now, to ``ends_at``), ``extend`` (a pilot's later ``ends_at``), ``publish``
    (approved or pilot → published; it takes effect at ``effective_at``, default now,
    and the version in force until then is retired from that instant), ``abandon``
    (pilot → retired; its tickets go back to the version in force), ``retire``
    (published → retired; retiring a version before it takes effect cancels its
    publication)."""
    body = body or TransitionCreate()
    pilot = PilotRequest(
        kind=body.group.kind if body.group else None,
        values=tuple(body.group.values) if body.group else (),
        starts_at=body.starts_at,
        ends_at=body.ends_at,
    )
    return _version(
        take_action(
            database,
            slug,
            number,
            action,
            user,
            body.note,
            effective_at=body.effective_at,
            pilot=pilot,
        )  # fmt: skip
    )
