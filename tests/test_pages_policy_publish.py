"""Publishing from the editor: a preview of what will be published, confirmation and an
effective instant, then a background job the worker runs, with its progress on a page
that reloads itself.

The story: Larkfield Home's version 1 (the example policy), written by one manager and
approved by another, is published by the second."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from fastapi.testclient import TestClient

from charter import clock
from charter.services import lifecycle
from charter.services.accounts import Account, Principal
from charter.services.publish_jobs import get_job, request_publish, run_publish_jobs
from charter.services.worker import tick
from charter.store import Database
from support import EXAMPLE_TEXT
from support.pages import csrf_of, sign_in
from support.web import make_settings

SLUG = "larkfield"
PUBLISH = f"/policies/{SLUG}/versions/1/publish"


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role)


def _approved(client: TestClient, database: Database) -> Principal:
    """Version 1 approved by the manager signed in now, who publishes it."""
    author = _principal(sign_in(client, database, "manager"))
    lifecycle.create_policy(database, slug=SLUG, name="Larkfield Home", text=EXAMPLE_TEXT,
                            actor=author, change_summary="First policy")  # fmt: skip
    lifecycle.transition(database, SLUG, 1, "submit", author)
    reviewer = _principal(sign_in(client, database, "manager"))
    lifecycle.transition(database, SLUG, 1, "approve", reviewer)
    return reviewer


def _post(client: TestClient, **form: str) -> object:
    token = csrf_of(client.get(PUBLISH).text)
    data = {"effective_at": "", "note": "", "confirm": "yes", "csrf_token": token, **form}
    return client.post(PUBLISH, data=data, follow_redirects=False)


def test_the_publish_step_goes_to_a_preview_and_the_worker_publishes_the_confirmed_job(
    client: TestClient, database: Database, database_url: str
) -> None:
    _approved(client, database)
    # The version page's Publish button asks for the preview first: nothing is published.
    token = csrf_of(client.get(f"/policies/{SLUG}/versions/1").text)
    step = client.post(f"/policies/{SLUG}/versions/1/actions", follow_redirects=False,
                       data={"action": "publish", "note": "Go", "csrf_token": token})  # fmt: skip
    assert step.status_code == 303
    assert step.headers["location"] == f"{PUBLISH}?note=Go"
    page = client.get(step.headers["location"]).text
    assert 'href="/policies/larkfield/versions/1/preview"' in page
    assert 'href="/handbook?version=1"' in page
    assert 'name="confirm" value="yes" required' in page
    assert "Europe/London time" in page  # the example's business clock
    # The preview is the public page rendered from version 1, marked as a preview.
    preview = client.get(f"/policies/{SLUG}/versions/1/preview").text
    assert "Preview: the public page as it will look with version 1 in force" in preview
    assert "Larkfield Home" in preview and 'content="noindex"' in preview
    assert lifecycle.get_version(database, SLUG, 1).status == "approved"
    # Confirmed: a queued job, and still nothing published until the worker runs it.
    queued = _post(client, note="Go")
    assert queued.status_code == 303  # type: ignore[attr-defined]
    job_page = queued.headers["location"]  # type: ignore[attr-defined]
    assert job_page.startswith(f"/policies/{SLUG}/publish-jobs/")
    waiting = client.get(job_page).text
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "queued" in waiting and 'id="refresh"' in waiting
    assert 'id="publish-job"' in client.get(f"/policies/{SLUG}/versions/1").text
    assert lifecycle.get_version(database, SLUG, 1).status == "approved"
    # The worker's tick runs it: one job, and version 1 is published with its note.
    done = tick(database, make_settings(database_url), worker="test", started_at=clock.now(),
                syncing=False)  # fmt: skip
    assert done.published == 1, done.errors
    assert lifecycle.get_version(database, SLUG, 1).status == "published"
    assert any(e.note.startswith("Go") for e in lifecycle.history(database, SLUG, 1))
    finished = client.get(job_page).text
    assert 'http-equiv="refresh"' not in finished
    assert 'value="100"' in finished and "version 1 is published" in finished


def test_two_racing_publish_requests_for_one_version_make_one_job(
    client: TestClient, database: Database
) -> None:
    reviewer = _approved(client, database)
    start = threading.Barrier(2)
    found: list[tuple[int, bool]] = []

    def ask() -> None:
        start.wait()
        job, new = request_publish(database, SLUG, 1, reviewer)
        found.append((job.id, new))

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Both got the same job; exactly one of them made it.
    assert len(found) == 2 and found[0][0] == found[1][0]
    assert sorted(new for _, new in found) == [False, True]
    assert run_publish_jobs(database) == 1
    assert run_publish_jobs(database) == 0  # nothing left: one job, run once


@pytest.mark.parametrize(
    ("form", "said"),
    [
        # 1 Jan 2020 09:00 in London is long past: refused, naming the field and the
        # instant on the business's clock (London keeps GMT in January).
        ({"effective_at": "2020-01-01T09:00"},
         "effective_at: Wed 01 Jan 2020 09:00 GMT is in the past"),
        # 1 Jul 2020 09:00 in London is summer time, BST (UTC+1).
        ({"effective_at": "2020-07-01T09:00"},
         "effective_at: Wed 01 Jul 2020 09:00 BST is in the past"),
        ({"confirm": ""}, "confirm: tick the box to confirm"),
        ({"effective_at": "next Monday"},
         "effective_at: &#39;next Monday&#39; is not a date and time"),
    ],
)  # fmt: skip
def test_a_past_instant_or_no_confirmation_queues_nothing(
    client: TestClient, database: Database, form: dict[str, str], said: str
) -> None:
    _approved(client, database)
    refused = _post(client, **form)
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert said in refused.text  # type: ignore[attr-defined]
    assert run_publish_jobs(database) == 0
    assert lifecycle.get_version(database, SLUG, 1).status == "approved"


def test_a_job_whose_instant_passed_while_queued_fails_saying_why_and_changes_nothing(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    reviewer = _approved(client, database)
    asked_at = clock.now()
    effective = asked_at + dt.timedelta(minutes=10)
    job, _ = request_publish(database, SLUG, 1, reviewer, effective_at=effective)
    # The worker only gets to it an hour later: the instant asked for is 50 minutes past.
    later = asked_at + dt.timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert run_publish_jobs(database) == 1
    failed = get_job(database, job.id)
    assert failed.state == "failed"
    assert failed.error is not None and failed.error.startswith("effective_at: ")
    assert "is in the past" in failed.error
    version = lifecycle.get_version(database, SLUG, 1)
    assert (version.status, version.effective_at) == ("approved", None)
    page = client.get(f"/policies/{SLUG}/publish-jobs/{job.id}").text
    assert "nothing was changed" in page and 'id="job-error"' in page
