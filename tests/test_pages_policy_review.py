"""The reviewer's page and the e-mail that brings reviewers to it.

The story: Larkfield Home's version 1 (the example policy) is live; a manager writes
version 2, which answers chat within 10 minutes instead of 5, and submits it. Each other
manager and admin is told by e-mail, once; the one who opens the version finds the
changes against the live version and the approve / reject controls first."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from charter.config import Settings
from charter.errors import Conflict
from charter.services import lifecycle
from charter.services.accounts import Account, Principal
from charter.services.escalations import deliver_due
from charter.store import Database
from charter.store.models import OutboxMessage
from support import EXAMPLE_TEXT
from support.lifecycle import staff
from support.pages import csrf_of, sign_in
from support.smtp import smtp_server

SLUG = "larkfield"
CHAT_FASTER = ("first_response: {within: 5m, clock: uk-support, attainment: 90%}",
               "first_response: {within: 10m, clock: uk-support, attainment: 90%}")  # fmt: skip


def _principal(account: Account) -> Principal:
    return Principal(account.id, account.email, account.name, account.role)


def _live_and_submitted(database: Database, author: Principal, approver: Principal) -> None:
    """Version 1 live (written by ``author``, approved and published by ``approver``);
    version 2, chat within 10 minutes, written by ``author`` and submitted."""
    assert CHAT_FASTER[0] in EXAMPLE_TEXT
    lifecycle.create_policy(database, slug=SLUG, name="Larkfield Home", text=EXAMPLE_TEXT,
                            actor=author, change_summary="First policy")  # fmt: skip
    lifecycle.transition(database, SLUG, 1, "submit", author)
    lifecycle.transition(database, SLUG, 1, "approve", approver)
    lifecycle.transition(database, SLUG, 1, "publish", approver)
    lifecycle.new_draft(database, SLUG, author, change_summary="Chat within 10 minutes")
    lifecycle.edit_draft(database, SLUG, 2, author, text=EXAMPLE_TEXT.replace(*CHAT_FASTER))
    lifecycle.transition(database, SLUG, 2, "submit", author)


def _review_mails(database: Database) -> list[OutboxMessage]:
    with database.reading() as session:
        query = select(OutboxMessage).where(
            OutboxMessage.purpose == "review", OutboxMessage.level_id == "submitted"
        )
        return list(session.scalars(query.order_by(OutboxMessage.id)))


def test_the_chat_change_opens_with_its_diff_against_live_and_the_review_controls_first(
    client: TestClient, database: Database
) -> None:
    author, approver = staff(database), staff(database)
    _live_and_submitted(database, author, approver)
    sign_in(client, database, "manager")  # a third manager: wrote none of version 2
    html = client.get(f"/policies/{SLUG}/versions/2").text
    assert "Review against the live version 1" in html
    # One change only: the chat promise's first response went from 5 to 10 minutes, a
    # promise to customers made weaker, so a major change.
    assert "<strong>1 major change</strong>" in html
    assert "direction-weaker" in html
    # In the document: the controls, then the changes, then the version's facts and text.
    order = ['id="review-form"', 'id="review-changes"', '<dl class="facts">', 'id="text-heading"']
    places = [html.index(marker) for marker in order]
    assert places == sorted(places), dict(zip(order, places, strict=True))
    # The reviewer's two steps are offered once, at the top, not again under "Next steps".
    assert html.count('name="action" value="approve"') == 1
    assert html.count('name="action" value="reject"') == 1
    # Rejecting from the top form works like any step.
    token = csrf_of(html)
    form = {"action": "reject", "note": "Keep chat at 5 minutes", "csrf_token": token}
    answer = client.post(f"/policies/{SLUG}/versions/2/actions", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert lifecycle.get_version(database, SLUG, 2).status == "rejected"


def test_the_author_sees_the_diff_but_no_controls(client: TestClient, database: Database) -> None:
    approver = staff(database)
    author = _principal(sign_in(client, database, "manager"))
    _live_and_submitted(database, author, approver)
    html = client.get(f"/policies/{SLUG}/versions/2").text
    assert 'id="review-changes"' in html
    assert 'id="review-form"' not in html
    assert "who wrote none of this version" in html


def test_submitting_tells_each_other_manager_and_admin_once_by_email(database: Database) -> None:
    author, other = staff(database, "manager"), staff(database, "manager")
    admin, agent = staff(database, "admin"), staff(database, "agent")
    lifecycle.create_policy(database, slug=SLUG, name="Larkfield Home", text=EXAMPLE_TEXT,
                            actor=author, change_summary="First policy")  # fmt: skip
    assert _review_mails(database) == []  # a draft waits for nobody
    lifecycle.transition(database, SLUG, 1, "submit", author)
    # Reviewers: managers and admins who wrote none of it. The author wrote it and an
    # agent never reviews, so the other manager and the admin: two messages.
    mails = _review_mails(database)
    assert sorted(m.recipient for m in mails) == sorted([other.email, admin.email])
    assert agent.email not in {m.recipient for m in mails}
    assert {m.state for m in mails} == {"pending"}
    assert mails[0].payload["headline"] == "Version 1 of Larkfield Home waits for your review"
    facts = {f["label"]: f["text"] for f in mails[0].payload["facts"]}
    assert facts["Review it at"] == "/policies/larkfield/versions/1"
    assert facts["What changed"] == "First policy"
    # Once per submission: a second submit is refused and approving writes nothing more.
    with pytest.raises(Conflict):
        lifecycle.transition(database, SLUG, 1, "submit", author)
    lifecycle.transition(database, SLUG, 1, "approve", other)
    assert len(_review_mails(database)) == 2
    history = lifecycle.history(database, SLUG, 1)
    assert next(e for e in history if e.action == "submit").note == "2 reviewers told by e-mail"


@pytest.mark.parametrize(
    ("base_url", "link"),
    [
        ("https://charter.larkfield.example/", "https://charter.larkfield.example/policies/larkfield/versions/1"),
        (None, None),
    ],
)  # fmt: skip
def test_the_reviewers_email_links_to_the_version_on_charters_own_address(
    database: Database, tmp_path: Path, base_url: str | None, link: str | None
) -> None:
    # The notice names the version's page by its path; sent, the path becomes a link on
    # CHARTER_BASE_URL (no double slash), or stays plain text when no address is set.
    author, other = staff(database, "manager"), staff(database, "manager")
    lifecycle.create_policy(database, slug=SLUG, name="Larkfield Home", text=EXAMPLE_TEXT,
                            actor=author, change_summary="First policy")  # fmt: skip
    lifecycle.transition(database, SLUG, 1, "submit", author)
    with smtp_server() as mailbox:
        settings = Settings(data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=mailbox.port,
                            smtp_tls="none", smtp_from_address="charter@larkfield.example",
                            base_url=base_url)  # fmt: skip
        assert deliver_due(database, settings).sent == 1
        [received] = mailbox.received
    assert received.recipients == [other.email]
    text = received.message.get_body(("plain",)).get_content()
    page = received.message.get_body(("html",)).get_content()
    if link:
        assert f"Review it at: {link}" in text and f'href="{link}"' in page
    else:
        assert "Review it at: /policies/larkfield/versions/1" in text and "href=" not in page
