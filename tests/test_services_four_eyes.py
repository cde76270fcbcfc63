"""Four eyes cannot be sidestepped by copying: nobody approves text they wrote.

A version carries the text of its author and editors, and of whoever wrote the
unreviewed versions (draft, in review, rejected) it was copied from, by
``based_on`` or by pasting the same text. A reviewed ancestor ends the trail.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from charter.errors import Forbidden
from charter.services.accounts import Principal
from charter.services.lifecycle import (
    create_policy,
    edit_draft,
    get_version,
    new_draft,
    text_writers,
    transition,
)
from charter.store import Database
from support.api import POLICIES, ok, signed_in
from support.lifecycle import policy_text, staff
from support.pages import csrf_of, sign_in

SLUG = "acme"


def published_by(database: Database, author: Principal, reviewer: Principal) -> None:
    """Version 1 of acme, written by ``author``, approved and published by ``reviewer``."""
    create_policy(
        database, slug=SLUG, name="Acme", text=policy_text(), actor=author, change_summary="v1"
    )
    transition(database, SLUG, 1, "submit", author)
    for step in ("approve", "publish"):
        transition(database, SLUG, 1, step, reviewer)


def draft(database: Database, actor: Principal, based_on: int, within: str | None = None) -> int:
    """A new draft from ``based_on``; with ``within``, its text edited by ``actor``."""
    number = new_draft(database, SLUG, actor, based_on=based_on, change_summary="change").number
    if within is not None:
        edit_draft(database, SLUG, number, actor, text=policy_text(within))
    return number


def refused(database: Database, number: int, reviewer: Principal) -> str:
    with pytest.raises(Forbidden) as raised:
        transition(database, SLUG, number, "approve", reviewer)
    assert get_version(database, SLUG, number).status == "in_review"
    return str(raised.value)


def test_a_copy_of_an_unreviewed_draft_is_not_approved_by_its_writer(database: Database) -> None:
    ada, bo, cy, dee = (staff(database) for _ in range(4))
    published_by(database, dee, cy)
    two = draft(database, ada, 1, "2h")  # Ada writes draft 2
    three = draft(database, bo, two)  # Bo copies it as draft 3 and submits
    transition(database, SLUG, three, "submit", bo)
    message = refused(database, three, ada)
    assert "carries text you wrote in version 2" in message
    assert "cannot approve it" in message
    assert transition(database, SLUG, three, "approve", cy).status == "approved"


def test_the_trail_runs_back_through_every_unreviewed_version(database: Database) -> None:
    ada, bo, cy, dee, eve, fay = (staff(database) for _ in range(6))
    published_by(database, fay, eve)
    two = draft(database, ada, 1, "2h")
    edit_draft(database, SLUG, two, dee, text=policy_text("90m"))  # Dee edits Ada's draft
    transition(database, SLUG, two, "submit", ada)
    transition(database, SLUG, two, "reject", eve, "not yet")  # rejected is not reviewed text
    three = draft(database, bo, two, "1h")
    four = draft(database, cy, three)
    transition(database, SLUG, four, "submit", cy)
    for writer in (ada, dee):
        assert "carries text you wrote in version 2," in refused(database, four, writer)
    assert "carries text you wrote in version 3," in refused(database, four, bo)
    assert "you wrote or edited this version" in refused(database, four, cy)
    assert transition(database, SLUG, four, "approve", eve).status == "approved"


def test_a_copy_of_a_published_version_may_be_approved_by_whoever_wrote_that(
    database: Database,
) -> None:
    ada, bo, cy = (staff(database) for _ in range(3))
    published_by(database, ada, cy)  # Ada's text was reviewed by Cy
    two = draft(database, bo, 1, "2h")
    transition(database, SLUG, two, "submit", bo)
    assert transition(database, SLUG, two, "approve", ada).status == "approved"


def test_a_copy_of_a_published_version_someone_else_wrote_may_be_approved(
    database: Database,
) -> None:
    ada, bo, cy = (staff(database) for _ in range(3))
    published_by(database, cy, bo)
    two = draft(database, bo, 1, "2h")
    transition(database, SLUG, two, "submit", bo)
    assert transition(database, SLUG, two, "approve", ada).status == "approved"


def test_text_pasted_from_an_unreviewed_draft_carries_its_writer(database: Database) -> None:
    ada, bo, cy, dee = (staff(database) for _ in range(4))
    published_by(database, dee, cy)
    draft(database, ada, 1, "2h")  # Ada's draft 2, never submitted
    three = draft(database, bo, 1, "2h")  # Bo starts from version 1 and pastes Ada's text
    transition(database, SLUG, three, "submit", bo)
    assert "carries text you wrote in version 2" in refused(database, three, ada)
    assert transition(database, SLUG, three, "approve", cy).status == "approved"


def test_a_text_equal_to_a_reviewed_one_carries_no_other_drafts_writer(
    database: Database,
) -> None:
    ada, bo, cy, dee = (staff(database) for _ in range(4))
    published_by(database, dee, cy)
    draft(database, ada, 1)  # Ada's untouched copy of version 1
    three = draft(database, bo, 1)  # so is Bo's: neither wrote the text
    transition(database, SLUG, three, "submit", bo)
    assert text_writers(database, SLUG, three) == {bo.id: (three,)}
    assert transition(database, SLUG, three, "approve", ada).status == "approved"


# Through the API and on the version page ----------------------------------------------


def test_the_api_refuses_the_copied_drafts_writer_with_the_reason(
    client: TestClient, database: Database
) -> None:
    ada, bo, cy = (signed_in(database, "manager") for _ in range(3))
    body = {"slug": SLUG, "name": "Acme", "text": policy_text(), "change_summary": "v1"}
    ok(client.post(POLICIES, json=body, headers=ada), 201)
    copy = ok(client.post(f"{POLICIES}/{SLUG}/versions", json={"based_on": 1}, headers=bo), 201)
    path = f"{POLICIES}/{SLUG}/versions/{copy['number']}"
    ok(client.patch(path, json={"change_summary": "copied"}, headers=bo))
    ok(client.post(f"{path}/submit", json={}, headers=bo))
    response = client.post(f"{path}/approve", json={}, headers=ada)
    assert response.status_code == 403, response.text
    assert "carries text you wrote in version 1" in response.json()["error"]["message"]
    assert ok(client.post(f"{path}/approve", json={}, headers=cy))["status"] == "approved"


def _buttons(page: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', page))


def test_the_page_offers_no_approve_to_whoever_wrote_the_copied_text(
    client: TestClient, database: Database
) -> None:
    ada = sign_in(client, database, "manager")
    me = Principal(ada.id, ada.email, ada.name, ada.role)
    bo, cy = staff(database), staff(database)
    published_by(database, cy, bo)
    two = draft(database, me, 1, "2h")
    three = draft(database, bo, two)
    transition(database, SLUG, three, "submit", bo)
    page = f"/policies/{SLUG}/versions/{three}"
    assert _buttons(client.get(page).text) == set()
    token = csrf_of(client.get(page).text)
    posted = client.post(
        f"{page}/actions", data={"action": "approve", "note": "", "csrf_token": token}
    )
    assert posted.status_code == 403
    assert "carries text you wrote in version 2" in posted.text
    sign_in(client, database, "manager")  # someone who wrote none of it
    assert _buttons(client.get(page).text) == {"approve", "reject"}
