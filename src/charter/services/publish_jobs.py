"""Publishing as a background job, and the preview of what a version will publish.

Publishing a version re-judges the tickets it governs and refills the dashboard, which
takes seconds at a real helpdesk's size, so the editor asks for it and the worker does
it (docs/policy-editor.md, *Publishing*):

- ``request_publish`` checks what can be checked at once (who asks, the version's
  status, an effective instant not in the past) and queues a job; a second request
  for the same version, even one racing it, gets the same job.
- ``run_publish_jobs`` (a step of the worker's tick) runs the queued jobs one by one,
  recording each part done as the job's progress. A job that fails says why; the
  publish step is one transaction, so a refused publish changes nothing.
- ``preview_page`` is the public page as it will look once the version is in force.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from charter import clock
from charter.errors import CharterError, InvalidInput, NotFound
from charter.excerpt import excerpt
from charter.policy.cache import load_cached
from charter.policy.lifecycle import require_author_role, target_of
from charter.publish.public_page import Edition, PublicPage, page_timezone, public_page
from charter.services.accounts import Principal, get_user
from charter.services.lifecycle import NOTE_LENGTH, get_version, publish_instant
from charter.services.public_charter import complaint_results, last_month, month_results
from charter.services.publishing import take_action
from charter.store import Database
from charter.store import policies as policies_store
from charter.store import publish_jobs as jobs
from charter.store.models import PublishJob

__all__ = ["Job", "get_job", "latest_job", "preview_page", "request_publish", "run_publish_jobs"]

log = logging.getLogger("charter.worker")
PUBLISHED = 20  # the progress recorded once the publish itself is committed


@dataclass(frozen=True)
class Job:
    """One publish job as a person reads it."""

    id: int
    slug: str
    number: int
    policy_name: str
    state: str  # queued, running, done, failed
    progress: int  # 0-100
    step: str
    effective_at: dt.datetime | None  # None: at the instant it runs
    note: str
    requested_by: str
    requested_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str | None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def _job(row: PublishJob, described: tuple[str, int, str, str]) -> Job:
    slug, number, name, who = described
    return Job(row.id, slug, number, name, row.state, row.progress, row.step, row.effective_at,
               row.note, who, row.requested_at, row.started_at, row.finished_at,
               row.error)  # fmt: skip


def request_publish(
    database: Database, slug: str, number: int, actor: Principal, *, note: str = "",
    effective_at: dt.datetime | None = None, now: dt.datetime | None = None,
) -> tuple[Job, bool]:  # fmt: skip
    """Queue the publication of version ``number`` of ``slug`` at ``effective_at`` (default:
    when the job runs); the job, and whether it is new (False: one was already waiting)."""
    require_author_role(actor.role, "publish a version")
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise InvalidInput(
            f"note: {len(note):,} characters is too long; at most {NOTE_LENGTH:,}",
            [{"field": "note", "problem": "too long"}],
        )
    moment = clock.utc_moment(now)
    if effective_at is not None:
        effective_at = publish_instant(effective_at, moment)  # refuses a past instant
    version = get_version(database, slug, number)
    with database.transaction() as session:
        policies_store.policy_by_slug(session, slug, lock=True)  # requests queue up here
        found = jobs.active_job(session, version.id)
        if found is None:  # a queued job's version may still be approved: not yet published
            target_of("publish", version.status, number=number, slug=slug)
        row, new = jobs.add(session, version_id=version.id, effective_at=effective_at,
                            note=note, requested_by=actor.id, at=moment)  # fmt: skip
        session.flush()
        return _job(row, jobs.describe(session, row)), new


def get_job(database: Database, job_id: int) -> Job:
    """The job ``job_id``, or ``NotFound``."""
    with database.reading() as session:
        row = jobs.job_by_id(session, job_id) if 1 <= job_id < 2**31 else None
        if row is None:
            raise NotFound(f"no publish job {job_id}")
        return _job(row, jobs.describe(session, row))


def latest_job(database: Database, version_id: int) -> Job | None:
    """The version's most recent publish job, if it ever had one."""
    with database.reading() as session:
        row = jobs.latest_of_version(session, version_id)
        return None if row is None else _job(row, jobs.describe(session, row))


def run_publish_jobs(database: Database, now: dt.datetime | None = None) -> int:
    """Run every queued job, oldest first; how many ran (done or failed)."""
    ran = 0
    while True:
        with database.transaction() as session:
            row = jobs.claim(session, clock.utc_moment(now))
            if row is None:
                return ran
            job = _job(row, jobs.describe(session, row))
            requested_by = row.requested_by
        _run(database, job, requested_by)
        ran += 1


def _run(database: Database, job: Job, requested_by: int) -> None:
    def progress(percent: int, words: str) -> None:
        with database.transaction() as session:
            jobs.record_progress(session, job.id, percent, words)

    error: str | None = None
    try:
        account = get_user(database, requested_by)
        actor = Principal(account.id, account.email, account.name, account.role, "cli")
        progress(5, "publishing the version")
        take_action(database, job.slug, job.number, "publish", actor, job.note,
                    effective_at=job.effective_at, progress=progress)  # fmt: skip
    except CharterError as refused:
        error = str(refused).splitlines()[0]
    except Exception as failed:  # noqa: BLE001 - the job records it; the worker goes on
        log.exception("publish job %s failed", job.id)
        error = f"unexpected error: {excerpt(str(failed), 300)}"
    if error is not None and get_job(database, job.id).progress >= PUBLISHED:
        error = (f"version {job.number} was published, but what follows failed: {error}; "
                 "the worker's next ticks judge the tickets again")  # fmt: skip
    with database.transaction() as session:
        jobs.finish(session, job.id, clock.now(), error=error)


def preview_page(
    database: Database, slug: str, number: int, *, effective_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> PublicPage:  # fmt: skip
    """The public page of version ``number`` as it will look once in force: its promises
    and hours from its own text, last month's results counted as the live page counts
    them (``month_results``), dated at ``effective_at`` (default: now)."""
    moment = clock.utc_moment(now)
    version = get_version(database, slug, number)
    policy = load_cached(version.text, version.file).policy  # a PolicyError lists the errors
    timezone = page_timezone(policy)
    first, end = last_month(moment, timezone)
    results = month_results(database, version, first, end, timezone)
    edition = Edition(version.number, effective_at or moment, version.content_hash)
    return public_page(policy, moment, results=results, edition=edition,
                       complaint_results=complaint_results(database, policy, moment))  # fmt: skip
