"""The publish form: a version published to take effect later, on the policy's clock
(the version page's Publish step leads to the form; the worker runs the job)."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from httpx2 import Response

from charter.services import lifecycle
from charter.services.accounts import Account, Principal
from charter.services.publish_jobs import run_publish_jobs
from charter.store import Database
from support import EXAMPLE_TEXT
from support.pages import csrf_of, sign_in

SLUG = "larkfield"
VERSION = f"/policies/{SLUG}/versions/1"
PUBLISH = f"{VERSION}/publish"


def _approved(client: TestClient, database: Database) -> None:
    """Version 1 of the example, written by one manager and approved by the one signed
    in now (a second manager)."""
    author = sign_in(client, database, "manager")
    lifecycle.create_policy(
        database, slug=SLUG, name="Larkfield Home", text=EXAMPLE_TEXT,
        actor=_principal(author), change_summary="First policy",
    )  # fmt: skip
    lifecycle.transition(database, SLUG, 1, "submit", _principal(author))
    reviewer = sign_in(client, database, "manager")
    lifecycle.transition(database, SLUG, 1, "approve", _principal(reviewer))


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role)


def _publish(client: TestClient, effective_at: str) -> Response:
    token = csrf_of(client.get(PUBLISH).text)
    data = {"confirm": "yes", "note": "", "effective_at": effective_at, "csrf_token": token}
    return client.post(PUBLISH, data=data, follow_redirects=False)


def test_the_publish_form_schedules_the_version_on_the_policys_clock(
    client: TestClient, database: Database
) -> None:
    _approved(client, database)
    form = client.get(PUBLISH).text
    assert 'name="effective_at" type="datetime-local"' in form
    assert "Europe/London time" in form  # the example's business clock
    response = _publish(client, "2099-06-01T09:00")
    assert response.status_code == 303, response.text
    assert run_publish_jobs(database) == 1
    version = lifecycle.get_version(database, SLUG, 1)
    # 09:00 in London on 1 June is British Summer Time (UTC+1): 08:00 UTC.
    assert version.effective_at == dt.datetime(2099, 6, 1, 8, tzinfo=dt.UTC)
    page = client.get(VERSION).text
    assert "takes effect" in page and "Mon 01 Jun 2099 08:00 UTC" in page
    assert "Version 1 is published to take effect later." in client.get(f"/policies/{SLUG}").text


def test_a_publish_form_time_that_is_not_one_is_refused_and_kept(
    client: TestClient, database: Database
) -> None:
    _approved(client, database)
    refused = _publish(client, "next Monday")
    assert refused.status_code == 422
    assert "effective_at: &#39;next Monday&#39; is not a date and time" in refused.text
    assert 'value="next Monday"' in refused.text
    assert lifecycle.get_version(database, SLUG, 1).status == "approved"
