"""The policy editor pages: lists, the draft editor, lifecycle buttons, comments, diffs."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from charter.services import lifecycle
from charter.services.accounts import Account, Principal
from charter.services.publish_jobs import run_publish_jobs
from charter.services.ticket_queries import list_tickets
from charter.store import Database
from support import EXAMPLE_TEXT, column_of, line_of
from support.pages import csrf_of, sign_in
from support.seed import import_synthetic

SLUG = "larkfield"
VERSION = f"/policies/{SLUG}/versions/1"
URGENT_FIRST_REPLY = "first_response: {within: 1h, clock: uk-support}"


def _urgent_first_reply(within: str) -> str:
    """The example policy with the urgent rule's first-reply target changed."""
    return EXAMPLE_TEXT.replace(
        URGENT_FIRST_REPLY, f"first_response: {{within: {within}, clock: uk-support}}"
    )


def _principal(user: Account) -> Principal:
    return Principal(user.id, user.email, user.name, user.role)


def _draft_by(database: Database, author: Account, summary: str = "First policy") -> None:
    lifecycle.create_policy(
        database,
        slug=SLUG,
        name="Larkfield Home",
        text=EXAMPLE_TEXT,
        actor=_principal(author),
        change_summary=summary,
    )


def _post(client: TestClient, path: str, data: dict[str, str], page: str = VERSION) -> Response:
    token = csrf_of(client.get(page).text)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _act(client: TestClient, action: str, note: str = "", page: str = VERSION) -> Response:
    answer = _post(client, f"{page}/actions", {"action": action, "note": note}, page)
    if action != "publish" or answer.status_code != 303:
        return answer
    # Publishing goes through its preview and confirmation to a job the worker runs.
    form = {"confirm": "yes", "note": note, "effective_at": ""}
    queued = _post(client, f"{page}/publish", form, answer.headers["location"])
    run_publish_jobs(client.app.state.database)  # type: ignore[attr-defined]
    return queued


def _buttons(page: str) -> set[str]:
    return set(re.findall(r'name="action" value="([a-z_]+)"', page))


def _text_of(page: str) -> str:
    found = re.search(r'<textarea id="text" name="text"[^>]*>\n(.*?)</textarea>', page, re.S)
    assert found, "the page has no draft editor"
    return html.unescape(found.group(1))


def _status(database: Database, number: int = 1) -> str:
    return lifecycle.get_version(database, SLUG, number).status


BROKEN = [
    pytest.param("  mission: Make", "  mision: Make", "mision", id="unknown field"),
    pytest.param("name: Larkfield Home", "name: [Larkfield, Home]", "[Larkfield", id="wrong type"),
    pytest.param("  website: https", "  website: @https", "@https", id="YAML syntax"),
]


@pytest.mark.parametrize(("old", "new", "needle"), BROKEN)
def test_a_text_with_an_error_comes_back_marked_at_its_line_and_nothing_is_saved(
    client: TestClient, database: Database, old: str, new: str, needle: str
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    broken = EXAMPLE_TEXT.replace(old, new, 1)
    line = line_of(broken, needle)
    sent = broken.replace("\n", "\r\n")  # as a browser sends a textarea
    response = _post(client, f"{VERSION}/edit", {"text": sent, "change_summary": "Try"})
    assert response.status_code == 422
    page = response.text
    assert "Nothing was saved" in page
    assert f'<li id="L{line}" class="bad">' in page
    column = column_of(broken, needle)
    assert f'href="#L{line}">Line {line}, column {column}</a>' in page
    assert _text_of(page) == broken  # the user's text is kept, as they wrote it
    version = lifecycle.get_version(database, SLUG, 1)
    assert version.text == EXAMPLE_TEXT and version.change_summary == "First policy"
    assert [e.action for e in lifecycle.history(database, SLUG, 1)] == ["create"]


def test_an_error_says_what_is_wrong_and_how_to_fix_it(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    broken = EXAMPLE_TEXT.replace("  mission: Make", "  mision: Make", 1)
    page = _post(client, f"{VERSION}/edit", {"text": broken}).text
    assert "unknown field &#39;mision&#39;, did you mean &#39;mission&#39;?" in page
    assert "Fix: remove it or correct its spelling" in page


def test_a_valid_edit_is_saved_with_plain_line_ends(client: TestClient, database: Database) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    edited = EXAMPLE_TEXT.replace(
        URGENT_FIRST_REPLY, "first_response: {within: 45m, clock: uk-support}"
    )
    data = {"text": edited.replace("\n", "\r\n"), "change_summary": "Faster urgent replies"}
    response = _post(client, f"{VERSION}/edit", data)
    assert response.status_code == 303
    version = lifecycle.get_version(database, SLUG, 1)
    assert version.text == edited and version.change_summary == "Faster urgent replies"
    page = client.get(response.headers["location"]).text
    assert "The draft was saved." in page and _text_of(page) == edited


def test_the_author_can_submit_a_draft(client: TestClient, database: Database) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    assert _buttons(client.get(VERSION).text) == {"submit"}
    response = _act(client, "submit")
    assert response.status_code == 303
    assert _status(database) == "in_review"
    page = client.get(VERSION).text
    assert 'name="text"' not in page  # immutable once submitted: no editor


def test_a_draft_without_a_change_summary_is_not_submitted_and_the_page_says_why(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"), summary="")
    response = _act(client, "submit")
    assert response.status_code == 422
    assert "has no change summary" in response.text
    assert _status(database) == "draft"


def test_the_author_gets_no_approve_button_and_is_refused_when_posting_it(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    _act(client, "submit")
    assert _buttons(client.get(VERSION).text) == set()
    response = _act(client, "approve")
    assert response.status_code == 403
    page = response.text
    assert "you wrote or edited this version, so you cannot approve it" in page
    assert "<h1>Larkfield Home, version 1</h1>" in page  # the page, not a bare error
    assert _status(database) == "in_review"


def test_a_reviewer_approves_then_publishes(client: TestClient, database: Database) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    _act(client, "submit")
    sign_in(client, database, "manager")  # a second manager reviews
    assert _buttons(client.get(VERSION).text) == {"approve", "reject"}
    assert _act(client, "approve").status_code == 303
    assert _status(database) == "approved"
    assert _buttons(client.get(VERSION).text) == {"pilot", "publish"}
    response = _act(client, "publish")
    assert response.status_code == 303
    assert _status(database) == "published"
    assert "version 1 is published" in client.get(response.headers["location"]).text
    page = client.get(VERSION).text
    assert "(live)" in page
    assert _buttons(page) == {"retire"}


def test_a_rejection_needs_a_reason(client: TestClient, database: Database) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    _act(client, "submit")
    sign_in(client, database, "manager")
    refused = _act(client, "reject")
    assert refused.status_code == 422
    assert "give the reason for rejecting" in refused.text
    assert _act(client, "reject", note="Returns window is wrong").status_code == 303
    assert _status(database) == "rejected"
    assert "Returns window is wrong" in client.get(f"/policies/{SLUG}").text


def test_a_step_the_status_does_not_allow_comes_back_as_the_page_with_the_reason(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    response = _act(client, "publish")
    assert response.status_code == 409
    page = response.text
    assert "cannot publish version 1 of larkfield: its status is draft" in page
    assert 'role="alert"' in page and _buttons(page) == {"submit"}
    assert _status(database) == "draft"


def test_an_agent_sees_no_editor_and_no_lifecycle_buttons(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    sign_in(client, database, "agent")
    page = client.get(VERSION).text
    assert 'name="text"' not in page and _buttons(page) == set()
    assert "New draft" not in page and "Create a policy" not in client.get("/policies").text
    assert 'action="/policies/larkfield/versions/1/comments"' in page  # agents comment
    assert 'id="L1"' in page and "Only managers and admins edit drafts" in page


def test_an_agent_posting_an_edit_is_refused_and_nothing_is_saved(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    sign_in(client, database, "agent")
    response = _post(client, f"{VERSION}/edit", {"text": "organisation: {}\n"})
    assert response.status_code == 403
    assert "only managers and admins may edit a draft" in response.text
    assert lifecycle.get_version(database, SLUG, 1).text == EXAMPLE_TEXT
    step = _act(client, "submit")
    assert step.status_code == 403 and "only managers and admins may submit" in step.text
    assert _status(database) == "draft"


def test_comments_are_listed_with_their_author_and_clause(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    sign_in(client, database, "agent")
    data = {"body": "Can we promise 30 minutes?", "clause": "service_levels.rules.sl-urgent"}
    assert _post(client, f"{VERSION}/comments", data).status_code == 303
    page = client.get(VERSION).text
    assert "Can we promise 30 minutes?" in page and "<strong>Agent</strong>" in page
    assert 'href="/handbook#service_levels.rules.sl-urgent"' in page
    empty = _post(client, f"{VERSION}/comments", {"body": "  "})
    assert empty.status_code == 422
    assert [c.body for c in lifecycle.list_comments(database, SLUG, 1)] == [data["body"]]


def test_a_published_version_takes_no_comments(client: TestClient, database: Database) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    _act(client, "submit")
    sign_in(client, database, "manager")
    _act(client, "approve")
    _act(client, "publish")
    page = client.get(VERSION).text
    assert 'action="/policies/larkfield/versions/1/comments"' not in page
    refused = _post(client, f"{VERSION}/comments", {"body": "Too late?"})
    assert refused.status_code == 409
    assert "takes no more comments" in refused.text


def _published_and_changed(client: TestClient, database: Database) -> None:
    """Version 1 published; version 2 a draft whose urgent first reply is 30 minutes."""
    _draft_by(database, sign_in(client, database, "manager"))
    _act(client, "submit")
    sign_in(client, database, "manager")
    _act(client, "approve")
    _act(client, "publish")
    made = _post(client, f"/policies/{SLUG}/drafts", {"based_on": "1"})
    assert made.headers["location"] == f"/policies/{SLUG}/versions/2?done=draft"
    faster = EXAMPLE_TEXT.replace(
        URGENT_FIRST_REPLY, "first_response: {within: 30m, clock: uk-support}"
    )
    page = f"/policies/{SLUG}/versions/2"
    _post(client, f"{page}/edit", {"text": faster, "change_summary": "Faster"}, page)


def test_the_diff_shows_a_changed_promise(client: TestClient, database: Database) -> None:
    _published_and_changed(client, database)
    response = client.get(f"/policies/{SLUG}/diff?from=1&to=2")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Larkfield Home: version 1 → version 2</h1>" in page
    assert "<strong>1 major" in page
    assert "service_levels.rules[sl-urgent].targets.first_response.within" in page
    assert "stronger for customers" in page
    same = client.get(f"/policies/{SLUG}/diff?from=1&to=1").text
    assert "no changes" in same and '<table class="changes">' not in same


def test_a_diff_with_a_version_that_does_not_exist_is_a_not_found_page(
    client: TestClient, database: Database
) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    response = client.get(f"/policies/{SLUG}/diff?from=1&to=9")
    assert response.status_code == 404 and "has no version 9" in response.text


def test_the_lists_show_each_version_with_its_status_and_the_history(
    client: TestClient, database: Database
) -> None:
    _published_and_changed(client, database)
    listing = client.get("/policies").text
    assert f'href="/policies/{SLUG}">Larkfield Home</a>' in listing
    statuses = re.findall(r'versions/(\d+)">\d+</a> <span class="status status-(\w+)"', listing)
    assert statuses == [("1", "published"), ("2", "draft")]
    policy = client.get(f"/policies/{SLUG}").text
    assert "Version 1 is published." in policy
    assert policy.count("<td>publish</td>") == 1 and policy.count("<td>edit</td>") == 1


def test_a_manager_creates_a_policy_from_pasted_yaml(
    client: TestClient, database: Database
) -> None:
    sign_in(client, database, "manager")
    data = {"slug": "new-charter", "name": "New charter", "text": EXAMPLE_TEXT}
    response = _post(client, "/policies", data, page="/policies")
    assert response.headers["location"] == "/policies/new-charter/versions/1?done=create"
    assert lifecycle.get_version(database, "new-charter", 1).text == EXAMPLE_TEXT


def test_pasted_yaml_with_an_error_creates_nothing(client: TestClient, database: Database) -> None:
    sign_in(client, database, "manager")
    broken = EXAMPLE_TEXT.replace("  mission: Make", "  mision: Make", 1)
    data = {"slug": "new-charter", "name": "New charter", "text": broken}
    response = _post(client, "/policies", data, page="/policies")
    assert response.status_code == 422
    assert f'<li id="L{line_of(broken, "mision")}" class="bad">' in response.text
    assert 'value="new-charter"' in response.text
    assert lifecycle.list_policies(database) == []


@pytest.mark.parametrize(
    "path",
    ["/policies", f"/policies/{SLUG}", VERSION, f"/policies/{SLUG}/diff?from=1&to=1"],
)
def test_the_editor_pages_send_an_anonymous_visitor_to_sign_in(
    client: TestClient, path: str
) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_a_step_without_the_forms_token_is_refused(client: TestClient, database: Database) -> None:
    _draft_by(database, sign_in(client, database, "manager"))
    response = client.post(f"{VERSION}/actions", data={"action": "submit"})
    assert response.status_code == 403 and "CSRF" in response.text
    assert _status(database) == "draft"


def test_a_draft_saved_elsewhere_with_errors_shows_them_and_is_not_submitted(
    client: TestClient, database: Database
) -> None:
    author = sign_in(client, database, "manager")
    _draft_by(database, author)
    broken = EXAMPLE_TEXT.replace("  website: https", "  website: @https", 1)
    lifecycle.edit_draft(database, SLUG, 1, _principal(author), text=broken)  # as the API may
    line = line_of(broken, "@https")
    shown = client.get(VERSION).text
    assert "This draft does not load yet" in shown and f'<li id="L{line}" class="bad">' in shown
    refused = _act(client, "submit")
    assert refused.status_code == 422
    assert f'href="#L{line}">Line {line}, column {column_of(broken, "@https")}</a>' in refused.text
    assert _status(database) == "draft"
    diff = client.get(f"/policies/{SLUG}/diff?from=1&to=1")
    assert diff.status_code == 422 and "does not load, so it cannot be compared" in diff.text


def test_a_diff_without_from_compares_with_the_version_it_is_based_on(
    client: TestClient, database: Database
) -> None:
    _published_and_changed(client, database)
    page = client.get(f"/policies/{SLUG}/diff?to=2").text
    assert "<h1>Larkfield Home: version 1 → version 2</h1>" in page
    first = client.get(f"/policies/{SLUG}/diff?to=1")
    assert first.status_code == 200 and "based on no other version" in first.text


def test_publishing_from_the_page_holds_stored_tickets_to_the_new_version(
    client: TestClient, database: Database
) -> None:
    import_synthetic(database, tickets=60)
    _draft_by(database, sign_in(client, database, "manager"))
    _act(client, "submit")
    assert all(not t.sla for t in list_tickets(database, per_page=60).items)
    sign_in(client, database, "manager")
    _act(client, "approve")
    _act(client, "publish")
    tickets = list_tickets(database, per_page=60).items
    assert len(tickets) == 60 and all(t.sla.get("first_response") for t in tickets)
