"""The policy editor's lists: ``/policies``, one policy's versions and history, diffs.

``GET /policies`` lists every policy with its versions and their statuses; managers
and admins create a policy there from pasted YAML (``POST /policies``; the text must
load, every error is shown at its line). ``GET /policies/{slug}`` shows the versions
and the history of all of them; ``POST /policies/{slug}/drafts`` makes a new draft.
``GET /policies/{slug}/diff?from=N&to=M`` is the semantic diff between two versions.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter.errors import InvalidInput
from charter.policy.lifecycle import may_author
from charter.services import lifecycle
from charter.services.accounts import Principal
from charter.services.lifecycle import SLUG_LENGTH, TEXT_LENGTH
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._policy_view import (
    DONE,
    REFUSALS,
    Problem,
    check_text,
    form_text,
    message_of,
    source_lines,
)
from charter.web.rendering import page_user, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, page_user()]
Slug = Annotated[str, Path(min_length=1, max_length=SLUG_LENGTH)]
FormText = Annotated[str, Form()]
VersionNumber = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


def _list_page(
    request: Request,
    database: Database,
    who: Principal,
    *,
    form: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    message: str = "",
    status: int = 200,
) -> HTMLResponse:
    """Every policy with its versions; ``form`` keeps what a refused creation sent."""
    policies = [
        (policy, lifecycle.list_versions(database, policy.slug))
        for policy in lifecycle.list_policies(database)
    ]
    form = form or {"slug": "", "name": "", "change_summary": "", "text": ""}
    context: dict[str, Any] = {
        "policies": policies,
        "can_create": may_author(who.role),
        "form": form,
        "problems": problems or [],
        "lines": source_lines(form["text"], problems or []),
        "message": message,
    }
    return render(request, "policies/list.html", context, user=who, status=status)


@router.get("/policies", response_class=HTMLResponse)
def read_policies(request: Request, database: DatabaseDep, who: Staff) -> Response:
    """The policies, their versions with statuses, and (for managers) a creation form."""
    return _list_page(request, database, who)


@router.post("/policies", response_class=HTMLResponse)
def create_policy(
    request: Request,
    database: DatabaseDep,
    who: Staff,
    slug: FormText = "",
    name: FormText = "",
    change_summary: FormText = "",
    text: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """A new policy whose version 1 is a draft holding the pasted text, which must load."""
    check_csrf(request, csrf_token)
    text = form_text(text)
    form = {"slug": slug, "name": name, "change_summary": change_summary, "text": text}
    if may_author(who.role) and len(text) <= TEXT_LENGTH:
        problems = check_text(text, f"{slug} version 1")
        if problems:
            message = f"Nothing was created: the text has {len(problems)} error(s); fix them."
            return _list_page(
                request, database, who, form=form, problems=problems, message=message, status=422
            )
    try:
        lifecycle.create_policy(
            database, slug=slug, name=name, text=text, actor=who, change_summary=change_summary
        )
    except REFUSALS as error:
        return _list_page(
            request, database, who, form=form, message=message_of(error), status=status_of(error)
        )
    return RedirectResponse(f"/policies/{slug}/versions/1?done=create", status_code=303)


def _policy_page(
    request: Request, database: Database, who: Principal, slug: str, *, message: str = "",
    status: int = 200,
) -> HTMLResponse:  # fmt: skip
    """The policy's versions, and the history of every version, newest first."""
    policy = lifecycle.get_policy(database, slug)
    versions = lifecycle.list_versions(database, slug)
    events = [e for v in versions for e in lifecycle.history(database, slug, v.number)]
    events.sort(key=lambda e: (e.at, e.id), reverse=True)
    context: dict[str, Any] = {
        "policy": policy,
        "versions": versions,
        "events": events,
        "can_draft": may_author(who.role),
        "message": message,
        "notice": DONE.get(request.query_params.get("done", ""), ""),
    }
    return render(request, "policies/policy.html", context, user=who, status=status)


@router.get("/policies/{slug}", response_class=HTMLResponse)
def read_policy(request: Request, slug: Slug, database: DatabaseDep, who: Staff) -> Response:
    return _policy_page(request, database, who, slug)


@router.post("/policies/{slug}/drafts", response_class=HTMLResponse)
def create_draft(
    request: Request,
    slug: Slug,
    database: DatabaseDep,
    who: Staff,
    based_on: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """A new draft copying ``based_on`` (default: the published version, else the latest)."""
    check_csrf(request, csrf_token)
    try:
        base = _number("based_on", based_on)
        draft = lifecycle.new_draft(database, slug, who, based_on=base)
    except REFUSALS as error:
        message, status = message_of(error), status_of(error)
        return _policy_page(request, database, who, slug, message=message, status=status)
    return RedirectResponse(f"/policies/{slug}/versions/{draft.number}?done=draft", status_code=303)


def _number(field: str, value: str) -> int | None:
    """A version number from a form field; blank is None."""
    if not value.strip():
        return None
    if not value.strip().isdigit() or not 1 <= int(value) < 2**31:
        problem = "not a version number"
        raise InvalidInput(f"{field}: {value[:20]!r} is {problem}", [{"field": field,
                           "problem": problem}])  # fmt: skip
    return int(value)


@router.get("/policies/{slug}/diff", response_class=HTMLResponse)
def read_diff(
    request: Request,
    slug: Slug,
    database: DatabaseDep,
    who: Staff,
    old: Annotated[int | None, Query(alias="from", ge=1, le=2**31 - 1)] = None,
    to: VersionNumber = None,
) -> Response:
    """What changed from version ``from`` (default: the one ``to`` is based on) to ``to``."""
    policy = lifecycle.get_policy(database, slug)
    new = to or policy.latest
    context: dict[str, Any] = {"policy": policy, "old": old, "new": new, "diff": None}
    if old is None and lifecycle.get_version(database, slug, new).based_on is None:
        context["notice"] = f"Version {new} is based on no other version; choose one to compare."
        return render(request, "policies/diff.html", context, user=who)
    try:
        context["diff"] = lifecycle.diff_versions(database, slug, new, old)
    except InvalidInput as error:
        context["message"] = message_of(error)
        return render(request, "policies/diff.html", context, user=who, status=422)
    return render(request, "policies/diff.html", context, user=who)
