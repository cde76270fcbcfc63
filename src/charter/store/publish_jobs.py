"""Publish jobs: each request to publish a version, run by the worker.

At most one job per version is queued or running (a partial unique index): ``add``
returns the job already waiting when a second request comes, whichever commits first.
``claim`` takes the oldest queued job, skipping one another worker holds (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from charter.store.models import PolicyRecord, PolicyVersion, PublishJob, User

ACTIVE = ("queued", "running")


def active_job(session: Session, version_id: int) -> PublishJob | None:
    """The version's queued or running job, if any."""
    query = select(PublishJob).where(
        PublishJob.version_id == version_id, PublishJob.state.in_(ACTIVE)
    )
    return session.scalars(query).one_or_none()


def add(
    session: Session, *, version_id: int, effective_at: dt.datetime | None, note: str,
    requested_by: int, at: dt.datetime,
) -> tuple[PublishJob, bool]:  # fmt: skip
    """A new queued job for the version, or the one already queued or running; whether
    it is new."""
    found = active_job(session, version_id)
    if found is not None:
        return found, False
    job = PublishJob(version_id=version_id, state="queued", effective_at=effective_at,
                     note=note, requested_by=requested_by, requested_at=at, progress=0,
                     step="waiting for the worker")  # fmt: skip
    try:
        with session.begin_nested():  # a racing request's job wins: keep the transaction
            session.add(job)
    except IntegrityError:
        racing = active_job(session, version_id)
        if racing is None:
            raise
        return racing, False
    return job, True


def job_by_id(session: Session, job_id: int) -> PublishJob | None:
    return session.get(PublishJob, job_id)


def latest_of_version(session: Session, version_id: int) -> PublishJob | None:
    """The version's most recent job."""
    query = select(PublishJob).where(PublishJob.version_id == version_id)
    return session.scalars(query.order_by(PublishJob.id.desc()).limit(1)).one_or_none()


def claim(session: Session, now: dt.datetime) -> PublishJob | None:
    """The oldest queued job, now running (locked for this transaction on PostgreSQL,
    skipping one another worker holds)."""
    query = (
        select(PublishJob)
        .where(PublishJob.state == "queued")
        .order_by(PublishJob.requested_at, PublishJob.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = session.scalars(query).one_or_none()
    if job is not None:
        job.state, job.started_at, job.step = "running", now, "starting"
    return job


def describe(session: Session, job: PublishJob) -> tuple[str, int, str, str]:
    """The job's policy slug, version number, policy name and requester's name."""
    query = (
        select(PolicyRecord.slug, PolicyVersion.number, PolicyRecord.name, User.name)
        .join(PolicyVersion, PolicyVersion.policy_id == PolicyRecord.id)
        .join(User, User.id == job.requested_by)
        .where(PolicyVersion.id == job.version_id)
    )
    slug, number, name, who = session.execute(query).one()
    return str(slug), int(number), str(name), str(who)


def record_progress(session: Session, job_id: int, progress: int, step: str) -> None:
    job = session.get(PublishJob, job_id)
    if job is not None:
        job.progress, job.step = progress, step[:200]


def finish(session: Session, job_id: int, at: dt.datetime, *, error: str | None = None) -> None:
    """The job done (``error`` None) or failed, saying why."""
    job = session.get(PublishJob, job_id)
    if job is None:
        return
    job.finished_at = at
    if error is None:
        job.state, job.progress, job.step = "done", 100, "done"
    else:
        job.state, job.error, job.step = "failed", error, "failed"
