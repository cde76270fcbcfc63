"""One policy version: its text (an editor for a draft), lifecycle steps and comments.

``GET /policies/{slug}/versions/{n}`` shows the version; a manager or admin edits a
draft there (``POST .../edit``: the text is validated first and nothing is saved
while it has errors, each shown at its line), takes the lifecycle steps open to them
(``POST .../actions``), and anyone signed in comments (``POST .../comments``). A
refused step comes back as the same page with the service's message.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter import clock
from charter.errors import PolicyError
from charter.policy.lifecycle import COMMENTABLE, Action, may_author
from charter.policy.pilot_group import KIND_WORDS
from charter.policy.service_level import METRIC_WORDS
from charter.services import lifecycle
from charter.services.accounts import Principal
from charter.services.lifecycle import SLUG_LENGTH, TEXT_LENGTH, Version
from charter.services.publish_jobs import Job, latest_job
from charter.services.publishing import take_action
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._policy_view import (
    DONE,
    REFUSALS,
    REVIEW_STEPS,
    Problem,
    check_text,
    form_text,
    message_of,
    pilot_request,
    problems_of,
    publish_zone,
    review_of,
    source_lines,
    steps_for,
)
from charter.web.pages.policy_publish import publish_address
from charter.web.rendering import MANAGERS, page_user, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
PILOT_KINDS = [(kind, words[1]) for kind, words in KIND_WORDS.items()]  # the form's choices
Staff = Annotated[Principal, page_user()]
Slug = Annotated[str, Path(min_length=1, max_length=SLUG_LENGTH)]
Number = Annotated[int, Path(ge=1, le=2**31 - 1)]
FormText = Annotated[str, Form()]


def version_page(
    request: Request,
    database: Database,
    who: Principal,
    slug: str,
    number: int,
    *,
    message: str = "",
    status: int = 200,
    draft: tuple[str, str] | None = None,
    problems: list[Problem] | None = None,
    comment: tuple[str, str] = ("", ""),
    effective_at: str = "",
    pilot_form: dict[str, str] | None = None,
) -> HTMLResponse:
    """The version page; ``draft``, ``comment``, ``effective_at`` and ``pilot_form`` keep
    what a refused form sent."""
    policy = lifecycle.get_policy(database, slug)
    version = lifecycle.get_version(database, slug, number)
    events = lifecycle.history(database, slug, number)
    steps = steps_for(who, version, lifecycle.text_writers(database, slug, number))
    review = review_of(database, policy, version, steps)
    can_edit = version.status == "draft" and may_author(who.role)
    text, summary = draft or (version.text, version.change_summary)
    if problems is None:
        problems = check_text(text, version.file) if version.status == "draft" else []
    context: dict[str, Any] = {
        "policy": policy,
        "version": version,
        "events": events,
        "author": next((e.actor_name for e in events if e.action == "create"), None),
        "comments": lifecycle.list_comments(database, slug, number),
        # A version in review opens with its changes and the reviewer's two steps.
        "review": review,
        "steps": [s for s in steps if review is None or s not in REVIEW_STEPS],
        "can_edit": can_edit,
        "can_comment": version.status in COMMENTABLE,
        "can_draft": may_author(who.role) and version.status != "draft",
        "text": text,
        "summary": summary,
        "problems": problems,
        "lines": source_lines(text, problems),
        "comment": comment,
        "compare": _compare(version),
        "message": message,
        "notice": DONE.get(request.query_params.get("done", ""), ""),
        "in_force_from_later": version.scheduled(clock.now()),
        "publish_zone": publish_zone(version),
        "effective_at": effective_at,
        "pilot_form": pilot_form or {},
        "pilot_kinds": PILOT_KINDS,
        "pilot_state": version.pilot.state(clock.now()) if version.pilot else "",
        "whatif": _whatif_links(who, version),
        "publish_job": _running_job(database, version),
    }
    return render(request, "policies/version.html", context, user=who, status=status)


def _whatif_links(who: Principal, version: Version) -> list[tuple[str, str, str]]:
    """``(rule, metric, words)`` of each promise a manager or admin can try in the
    what-if (``/what-if``); none while the text does not load."""
    if who.role not in MANAGERS:
        return []
    try:
        rules = version.policy().service_levels.rules
    except PolicyError:
        return []
    return [
        (rule.id, metric, f"{rule.name or rule.id}: {METRIC_WORDS.get(metric, metric)} "
         f"within {target.within.words(business=target.clock != '24x7')}")
        for rule in rules
        for metric, target in rule.targets.items()
    ]  # fmt: skip


def _running_job(database: Database, version: Version) -> Job | None:
    """The version's publish job while it is queued or running."""
    if version.status not in ("approved", "pilot"):
        return None
    job = latest_job(database, version.id)
    return job if job is not None and not job.finished else None


def _steps_of(database: Database, who: Principal, slug: str, number: int) -> list[Action]:
    version = lifecycle.get_version(database, slug, number)
    return steps_for(who, version, lifecycle.text_writers(database, slug, number))


def _compare(version: Version) -> tuple[int, int]:
    """The pair of versions the compare form starts with: this one and its base."""
    if version.based_on is not None:
        return version.based_on, version.number
    return (version.number - 1, version.number) if version.number > 1 else (1, 2)


def _to_version(slug: str, number: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/policies/{slug}/versions/{number}?done={done}", status_code=303)


@router.get("/policies/{slug}/versions/{number}", response_class=HTMLResponse)
def read_version(
    request: Request, slug: Slug, number: Number, database: DatabaseDep, who: Staff
) -> Response:
    """The version's text, status, the steps open to this user, comments and history."""
    return version_page(request, database, who, slug, number)


@router.post("/policies/{slug}/versions/{number}/edit", response_class=HTMLResponse)
def edit_version(
    request: Request,
    slug: Slug,
    number: Number,
    database: DatabaseDep,
    who: Staff,
    text: FormText = "",
    change_summary: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Save a draft's text and summary, or show every error at its line and save nothing."""
    check_csrf(request, csrf_token)
    text = form_text(text)
    sent = (text, change_summary)
    file = f"{slug} version {number}"
    if may_author(who.role) and len(text) <= TEXT_LENGTH:
        problems = check_text(text, file)
        if problems:
            count = f"{len(problems)} error{'s' if len(problems) != 1 else ''}"
            message = f"Nothing was saved: the text has {count}. Fix them and save again."
            return version_page(
                request, database, who, slug, number,
                message=message, status=422, draft=sent, problems=problems,
            )  # fmt: skip
    try:
        lifecycle.edit_draft(database, slug, number, who, text=text, change_summary=change_summary)
    except REFUSALS as error:
        return version_page(
            request, database, who, slug, number,
            message=message_of(error), status=status_of(error), draft=sent,
        )  # fmt: skip
    return _to_version(slug, number, "edit")


@router.post("/policies/{slug}/versions/{number}/actions", response_class=HTMLResponse)
def act_on_version(
    request: Request,
    slug: Slug,
    number: Number,
    database: DatabaseDep,
    who: Staff,
    action: FormText = "",
    note: FormText = "",
    effective_at: FormText = "",
    pilot_kind: FormText = "",
    pilot_values: FormText = "",
    starts_at: FormText = "",
    ends_at: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Take one lifecycle step; a publish goes to its preview and confirmation
    (``policy_publish``), carrying ``effective_at`` and ``note``; a pilot names its group
    and period, an extension its new end (local times on the policy's clock)."""
    check_csrf(request, csrf_token)
    if action == "publish" and action in _steps_of(database, who, slug, number):
        # Publishing is previewed and confirmed, then run by the worker; a publish that
        # is not open to this person now is refused below, saying why.
        return RedirectResponse(publish_address(slug, number, effective_at, note), 303)
    sent = {"pilot_kind": pilot_kind[:40], "pilot_values": pilot_values[:20_000],
            "starts_at": starts_at[:40], "ends_at": ends_at[:40]}  # fmt: skip
    try:
        zone = publish_zone(lifecycle.get_version(database, slug, number))
        pilot = pilot_request(action, sent, zone)
        take_action(database, slug, number, action, who, note, pilot=pilot)
    except REFUSALS as error:
        found = problems_of(error.diagnostics) if isinstance(error, PolicyError) else None
        return version_page(
            request, database, who, slug, number, message=message_of(error),
            status=status_of(error), problems=found, effective_at=effective_at[:40],
            pilot_form=sent,
        )  # fmt: skip
    return _to_version(slug, number, action)


@router.post("/policies/{slug}/versions/{number}/comments", response_class=HTMLResponse)
def comment_on_version(
    request: Request,
    slug: Slug,
    number: Number,
    database: DatabaseDep,
    who: Staff,
    body: FormText = "",
    clause: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Add a staff comment (any role) to a version that is not yet published."""
    check_csrf(request, csrf_token)
    try:
        lifecycle.add_comment(database, slug, number, who, body=body, clause=clause or None)
    except REFUSALS as error:
        return version_page(
            request, database, who, slug, number,
            message=message_of(error), status=status_of(error), comment=(body, clause),
        )  # fmt: skip
    return _to_version(slug, number, "comment")
