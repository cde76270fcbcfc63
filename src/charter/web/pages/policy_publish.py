"""Publishing a version from the editor: preview, confirm, then a background job.

``GET /policies/{slug}/versions/{n}/publish`` shows what will be published (the changes
against the live version, links to the public page and the handbook as they will look)
and asks for confirmation and an effective instant (a local time on the policy's clock;
empty: as soon as the job runs). ``POST`` on the same address queues the job
(``charter.services.publish_jobs``) and answers with its page,
``GET /policies/{slug}/publish-jobs/{id}``, which shows its progress and reloads itself
every few seconds without JavaScript (a meta refresh) until the job is done or failed.
``GET /policies/{slug}/versions/{n}/preview`` is the public page rendered from the
version. Managers and admins only; a refused request comes back as the page with the
message naming the field.
"""

from __future__ import annotations

import zoneinfo
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from charter.errors import InvalidInput, PolicyError
from charter.services import lifecycle
from charter.services.accounts import Principal
from charter.services.lifecycle import SLUG_LENGTH
from charter.services.publish_jobs import get_job, latest_job, preview_page, request_publish
from charter.store import Database
from charter.web.deps import DatabaseDep
from charter.web.errors import status_of
from charter.web.pages._policy_view import (
    REFUSALS,
    effective_instant,
    live_changes,
    message_of,
    publish_zone,
)
from charter.web.rendering import ManagerUser, render
from charter.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(min_length=1, max_length=SLUG_LENGTH)]
Number = Annotated[int, Path(ge=1, le=2**31 - 1)]
FormText = Annotated[str, Form()]
REFRESH_SECONDS = 2  # how often a running job's page reloads itself


def publish_address(slug: str, number: int, effective_at: str = "", note: str = "") -> str:
    """The publish page of a version, carrying what the version page's form said.

    >>> publish_address("acme", 2, "2027-01-04T09:00")
    '/policies/acme/versions/2/publish?effective_at=2027-01-04T09%3A00'
    """
    asked = {k: v for k, v in (("effective_at", effective_at[:40]), ("note", note[:2000])) if v}
    query = f"?{urlencode(asked)}" if asked else ""
    return f"/policies/{slug}/versions/{number}/publish{query}"


def _publish_page(
    request: Request, database: Database, who: Principal, slug: str, number: int, *,
    effective_at: str = "", note: str = "", message: str = "", status: int = 200,
) -> HTMLResponse:  # fmt: skip
    policy = lifecycle.get_policy(database, slug)
    version = lifecycle.get_version(database, slug, number)
    job = latest_job(database, version.id)
    changes = live_changes(database, policy, version)
    context: dict[str, Any] = {
        "policy": policy,
        "version": version,
        "changes": changes,
        "job": job if job is not None and not job.finished else None,
        "can_publish": version.status in ("approved", "pilot"),
        "publish_zone": publish_zone(version),
        "effective_at": effective_at[:40],
        "note": note[:2000],
        "message": message,
    }
    return render(request, "policies/publish.html", context, user=who, status=status)


@router.get("/policies/{slug}/versions/{number}/publish", response_class=HTMLResponse)
def read_publish(
    request: Request, slug: Slug, number: Number, database: DatabaseDep, who: ManagerUser
) -> Response:
    """The preview and the confirmation form."""
    asked = request.query_params
    when, note = asked.get("effective_at", ""), asked.get("note", "")
    return _publish_page(request, database, who, slug, number, effective_at=when, note=note)


@router.post("/policies/{slug}/versions/{number}/publish", response_class=HTMLResponse)
def publish(
    request: Request,
    slug: Slug,
    number: Number,
    database: DatabaseDep,
    who: ManagerUser,
    effective_at: FormText = "",
    note: FormText = "",
    confirm: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    """Queue the publication (or find the one already queued) and show its job."""
    check_csrf(request, csrf_token)
    try:
        if confirm != "yes":
            raise InvalidInput(
                "confirm: tick the box to confirm you looked at the preview and want to "
                "publish this version",
                [{"field": "confirm", "problem": "not confirmed"}],
            )
        zone = publish_zone(lifecycle.get_version(database, slug, number))
        # Kept in the business's zone, so a refusal names the times on its clock.
        when = None
        if effective_at.strip():
            when = effective_instant(effective_at, zone).astimezone(zoneinfo.ZoneInfo(zone))
        job, _ = request_publish(database, slug, number, who, note=note, effective_at=when)
    except REFUSALS as error:
        said, status = message_of(error), status_of(error)
        return _publish_page(request, database, who, slug, number, effective_at=effective_at,
                             note=note, message=said, status=status)  # fmt: skip
    return RedirectResponse(f"/policies/{slug}/publish-jobs/{job.id}", status_code=303)


@router.get("/policies/{slug}/publish-jobs/{job_id}", response_class=HTMLResponse)
def read_job(
    request: Request, slug: Slug, job_id: Number, database: DatabaseDep, who: ManagerUser
) -> Response:
    """The job's state and progress; the page reloads itself until the job has finished."""
    job = get_job(database, job_id)
    if job.slug != slug:
        return RedirectResponse(f"/policies/{job.slug}/publish-jobs/{job.id}", status_code=307)
    context = {"job": job, "refresh": REFRESH_SECONDS}
    return render(request, "policies/publish_job.html", context, user=who,
                  headers={"Cache-Control": "no-store"})  # fmt: skip


@router.get("/policies/{slug}/versions/{number}/preview", response_class=HTMLResponse)
def read_preview(
    request: Request, slug: Slug, number: Number, database: DatabaseDep, who: ManagerUser
) -> Response:
    """The public page as it will look with this version in force."""
    version = lifecycle.get_version(database, slug, number)
    try:
        page = preview_page(database, slug, number)
    except PolicyError as error:
        return render(request, "policies/publish.html", {
            "policy": lifecycle.get_policy(database, slug), "version": version, "changes": None,
            "job": None, "can_publish": False, "publish_zone": "UTC", "effective_at": "",
            "note": "", "message": message_of(error)}, user=who, status=422)  # fmt: skip
    context = {"page": page, "lang": page.lang, "offer_tz_reload": False,
               "feedback_form": None, "version": version}  # fmt: skip
    return render(request, "policies/preview_public.html", context, user=who,
                  headers={"Cache-Control": "private, no-store"})  # fmt: skip
