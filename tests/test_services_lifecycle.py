"""The policy lifecycle as a service: who may take which step from which status."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest

from charter import clock
from charter.errors import Conflict, Forbidden, InvalidInput, NotFound, PolicyError
from charter.services.accounts import Principal
from charter.services.lifecycle import (
    PilotRequest,
    add_comment,
    create_policy,
    diff_versions,
    edit_draft,
    get_policy,
    get_version,
    history,
    list_comments,
    list_policies,
    new_draft,
    operating_version,
    published_version,
    transition,
)
from charter.store import Database
from support.lifecycle import policy_text, staff

# How each status is reached from a new draft; written out here, not read from the code.
PATHS = {
    "draft": [],
    "in_review": ["submit"],
    "approved": ["submit", "approve"],
    "pilot": ["submit", "approve", "pilot"],
    "published": ["submit", "approve", "publish"],
    "retired": ["submit", "approve", "publish", "retire"],
    "rejected": ["submit", "reject"],
}
ALLOWED = {
    ("draft", "submit"): "in_review",
    ("in_review", "approve"): "approved",
    ("in_review", "reject"): "rejected",
    ("approved", "pilot"): "pilot",
    ("approved", "publish"): "published",
    ("pilot", "extend"): "pilot",
    ("pilot", "publish"): "published",
    ("pilot", "abandon"): "retired",
    ("published", "retire"): "retired",
}
ACTIONS = ("submit", "approve", "reject", "pilot", "extend", "publish", "abandon", "retire")


def pilot_terms(action: str) -> PilotRequest | None:
    """The group and period a pilot names (team tier-2 for 30 days), and an extension's
    later end; nothing for the other steps."""
    soon = dt.datetime.now(dt.UTC)
    if action == "pilot":
        return PilotRequest(kind="team", values=("tier-2",), ends_at=soon + dt.timedelta(30))
    return PilotRequest(ends_at=soon + dt.timedelta(60)) if action == "extend" else None


def version_in(database: Database, status: str, slug: str = "acme") -> tuple[Principal, Principal]:
    """Version 1 of ``slug`` in ``status``: written by one manager, reviewed by another."""
    author, reviewer = staff(database), staff(database)
    create_policy(
        database, slug=slug, name="Acme", text=policy_text(), actor=author, change_summary="First"
    )
    for action in PATHS[status]:
        who = author if action == "submit" else reviewer
        transition(database, slug, 1, action, who, "why", pilot=pilot_terms(action))
    return author, reviewer


@pytest.mark.parametrize("status, action", list(itertools.product(PATHS, ACTIONS)))
def test_every_action_from_every_status_is_allowed_or_refused_saying_why(
    database: Database, status: str, action: str
) -> None:
    _, reviewer = version_in(database, status)
    if (status, action) in ALLOWED:
        moved = transition(
            database, "acme", 1, action, reviewer, "a reason", pilot=pilot_terms(action)
        )
        assert moved.status == get_version(database, "acme", 1).status == ALLOWED[status, action]
        last = history(database, "acme", 1)[-1]
        assert (last.action, last.from_status, last.to_status) == (action, status, moved.status)
        assert last.actor_id == reviewer.id and last.note.startswith("a reason")
        return
    with pytest.raises(Conflict) as refused:
        transition(database, "acme", 1, action, reviewer, "a reason", pilot=pilot_terms(action))
    message = str(refused.value)
    assert f"status is {status}" in message and f"cannot {action} version 1" in message
    allowed_here = [a for (s, a) in ALLOWED if s == status]
    assert all(a in message for a in allowed_here)
    assert allowed_here or "final" in message
    assert get_version(database, "acme", 1).status == status


def test_a_published_version_refuses_edits_and_says_how_to_change_it(database: Database) -> None:
    author, _ = version_in(database, "published")
    with pytest.raises(Conflict) as refused:
        edit_draft(database, "acme", 1, author, text=policy_text("2h"))
    assert "version 1 of acme is published and cannot be edited" in str(refused.value)
    assert "POST /api/policies/acme/versions" in str(refused.value)


@pytest.mark.parametrize("status", ["in_review", "approved", "pilot", "retired", "rejected"])
def test_a_submitted_version_is_immutable(database: Database, status: str) -> None:
    author, _ = version_in(database, status)
    before = get_version(database, "acme", 1)
    for change in ({"text": policy_text("1h")}, {"change_summary": "other"}):
        with pytest.raises(Conflict, match=f"is {status} and cannot be edited"):
            edit_draft(database, "acme", 1, author, **change)
    after = get_version(database, "acme", 1)
    assert (after.text, after.content_hash, after.change_summary, after.number) == (
        before.text,
        before.content_hash,
        before.change_summary,
        before.number,
    )


def test_the_content_hash_is_the_sha256_of_the_text(database: Database) -> None:
    author, _ = version_in(database, "draft")
    text = policy_text("2h") + "# café\n"
    assert (
        get_version(database, "acme", 1).content_hash
        == hashlib.sha256(policy_text().encode("utf-8")).hexdigest()
    )
    edited = edit_draft(database, "acme", 1, author, text=text, change_summary="Faster")
    assert edited.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert (edited.text, edited.change_summary) == (text, "Faster")
    assert history(database, "acme", 1)[-1].action == "edit"


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_author_cannot_review_their_own_version(database: Database, action: str) -> None:
    author, _ = version_in(database, "in_review")
    with pytest.raises(Forbidden, match=f"cannot {action} it.*other than its author"):
        transition(database, "acme", 1, action, author, "no")
    assert get_version(database, "acme", 1).status == "in_review"


def test_whoever_edited_a_draft_cannot_review_it_but_a_third_manager_can(
    database: Database,
) -> None:
    author, editor = version_in(database, "draft")
    edit_draft(database, "acme", 1, editor, text=policy_text("3h"))
    transition(database, "acme", 1, "submit", author)
    with pytest.raises(Forbidden):
        transition(database, "acme", 1, "approve", editor)
    approved = transition(database, "acme", 1, "approve", staff(database, "admin"))
    assert approved.status == "approved" and approved.reviewer_id not in (author.id, editor.id)


@pytest.mark.parametrize("status, action", [(s, a) for (s, a) in ALLOWED])
def test_agents_take_no_lifecycle_step(database: Database, status: str, action: str) -> None:
    version_in(database, status)
    with pytest.raises(Forbidden, match="only managers and admins.*signed in as agent"):
        transition(database, "acme", 1, action, staff(database, "agent"), "note")
    assert get_version(database, "acme", 1).status == status


def test_agents_neither_create_nor_edit_policies(database: Database) -> None:
    agent = staff(database, "agent")
    with pytest.raises(Forbidden):
        create_policy(database, slug="mine", name="Mine", text=policy_text(), actor=agent)
    version_in(database, "draft")
    with pytest.raises(Forbidden):
        new_draft(database, "acme", agent)
    with pytest.raises(Forbidden):
        edit_draft(database, "acme", 1, agent, change_summary="x")


def test_submitting_needs_a_change_summary_and_a_text_that_loads(database: Database) -> None:
    author = staff(database)
    create_policy(database, slug="acme", name="Acme", text="calendars: [", actor=author)
    with pytest.raises(InvalidInput, match="change_summary") as missing:
        transition(database, "acme", 1, "submit", author)
    assert missing.value.details == [{"field": "change_summary", "problem": "required to submit"}]
    edit_draft(database, "acme", 1, author, change_summary="First")
    with pytest.raises(PolicyError) as broken:
        transition(database, "acme", 1, "submit", author)
    assert broken.value.diagnostics and broken.value.diagnostics[0].line >= 1
    assert get_version(database, "acme", 1).status == "draft"


def test_rejecting_needs_a_reason(database: Database) -> None:
    _, reviewer = version_in(database, "in_review")
    with pytest.raises(InvalidInput, match="reason"):
        transition(database, "acme", 1, "reject", reviewer, "  ")


def test_publishing_retires_the_previous_published_version(database: Database) -> None:
    author, reviewer = version_in(database, "published")
    new_draft(database, "acme", author, change_summary="Faster")
    edit_draft(database, "acme", 2, author, text=policy_text("2h"))
    for action in ("submit", "approve", "pilot", "publish"):
        who = author if action == "submit" else reviewer
        transition(database, "acme", 2, action, who, pilot=pilot_terms(action))
    old, new = get_version(database, "acme", 1), get_version(database, "acme", 2)
    assert (old.status, new.status) == ("retired", "published")
    assert old.retired_at is not None and new.published_at is not None
    assert history(database, "acme", 1)[-1].note == "replaced by version 2"
    assert get_policy(database, "acme").published == 2


def test_a_new_draft_from_the_published_version_leaves_it_live(database: Database) -> None:
    author, _ = version_in(database, "published")
    draft = new_draft(database, "acme", author)
    live = published_version(database, "acme")
    assert live is not None and (live.number, live.status) == (1, "published")
    assert (draft.number, draft.status, draft.based_on, draft.text) == (
        2,
        "draft",
        1,
        live.text,
    )
    operating = operating_version(database)
    assert operating is not None and operating.number == 1


def test_versions_are_numbered_after_the_latest_from_any_base(database: Database) -> None:
    author, _ = version_in(database, "rejected")
    assert new_draft(database, "acme", author).based_on == 1  # nothing published: the latest
    edit_draft(database, "acme", 2, author, text=policy_text("5h"))
    third = new_draft(database, "acme", author)
    assert (third.number, third.based_on, third.text) == (3, 2, policy_text("5h"))
    fourth = new_draft(database, "acme", author, based_on=1)
    assert (fourth.number, fourth.based_on, fourth.text) == (4, 1, policy_text())
    assert get_policy(database, "acme").latest == 4
    with pytest.raises(NotFound, match="has no version 9"):
        new_draft(database, "acme", author, based_on=9)


@pytest.mark.parametrize("status", ["draft", "in_review", "approved", "pilot"])
def test_staff_comment_on_versions_not_yet_published(database: Database, status: str) -> None:
    version_in(database, status)
    agent = staff(database, "agent")
    add_comment(database, "acme", 1, agent, body="Too slow for email?", clause="sl-email")
    add_comment(database, "acme", 1, agent, body="Second thought")
    comments = list_comments(database, "acme", 1)
    assert [(c.body, c.clause, c.author_id) for c in comments] == [
        ("Too slow for email?", "sl-email", agent.id),
        ("Second thought", None, agent.id),
    ]


@pytest.mark.parametrize("status", ["published", "retired", "rejected"])
def test_comments_are_refused_once_published_or_closed(database: Database, status: str) -> None:
    version_in(database, status)
    with pytest.raises(Conflict, match=f"is {status}, so it takes no more comments"):
        add_comment(database, "acme", 1, staff(database, "agent"), body="late")
    assert list_comments(database, "acme", 1) == []


@pytest.mark.parametrize(
    "body, clause", [("", None), ("x" * 10_001, None), ("ok", "c" * 201), ("nul\x00", None)]
)
def test_unusable_comments_are_refused(database: Database, body: str, clause: str | None) -> None:
    version_in(database, "draft")
    with pytest.raises(InvalidInput):
        add_comment(database, "acme", 1, staff(database, "agent"), body=body, clause=clause)


def test_the_diff_of_two_versions_names_the_changed_target(database: Database) -> None:
    author, _ = version_in(database, "published")
    new_draft(database, "acme", author)
    edit_draft(database, "acme", 2, author, text=policy_text("2h"))
    for found in (diff_versions(database, "acme", 2, 1), diff_versions(database, "acme", 2)):
        assert (found.old, found.new, found.summary.major, found.summary.minor) == (1, 2, 1, 0)
        [change] = found.changes
        assert change.path == "service_levels.rules[sl-email].targets.first_response.within"
        assert (change.old, change.new) == ("4h", "2h")


def test_a_diff_with_a_version_that_does_not_load_names_it(database: Database) -> None:
    author, _ = version_in(database, "draft")
    new_draft(database, "acme", author)
    edit_draft(database, "acme", 2, author, text="service_levels: 3\n")
    with pytest.raises(InvalidInput, match="version 2 of acme does not load") as refused:
        diff_versions(database, "acme", 1, 2)
    assert refused.value.details and "line" in refused.value.details[0]
    with pytest.raises(InvalidInput, match="based on no other version"):
        diff_versions(database, "acme", 1)


def test_the_operating_version_is_that_of_the_oldest_policy_with_one(database: Database) -> None:
    _, reviewer = version_in(database, "approved", slug="first")
    version_in(database, "published", slug="second")
    before = operating_version(database)
    assert before is not None and (before.slug, before.number) == ("second", 1)
    transition(database, "first", 1, "publish", reviewer)
    operating = operating_version(database)
    assert operating is not None and (operating.slug, operating.number) == ("first", 1)
    assert [p.slug for p in list_policies(database)] == ["first", "second"]


@pytest.mark.parametrize(
    "slug, name, text, error",
    [
        ("acme", "Acme", policy_text(), Conflict),
        ("Acme Corp", "Acme", policy_text(), InvalidInput),
        ("other\n", "Other", policy_text(), InvalidInput),
        ("other", " ", policy_text(), InvalidInput),
        ("other", "Other", "a: \x00", InvalidInput),
        ("other", "Other", "a: \ud800", InvalidInput),
    ],
)
def test_policies_need_a_new_slug_a_name_and_storable_text(
    database: Database, slug: str, name: str, text: str, error: type[Exception]
) -> None:
    author, _ = version_in(database, "draft")
    with pytest.raises(error):
        create_policy(database, slug=slug, name=name, text=text, actor=author)
    assert [p.slug for p in list_policies(database)] == ["acme"]


@pytest.mark.parametrize("slug, number", [("nope", 1), ("acme", 2), ("bad\x00slug", 1)])
def test_unknown_policies_and_versions_are_not_found(
    database: Database, slug: str, number: int
) -> None:
    version_in(database, "draft")
    with pytest.raises(NotFound):
        get_version(database, slug, number)


def test_publishing_over_a_scheduled_version_means_it_never_takes_effect(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    moment = {"now": dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    author, reviewer = version_in(database, "published")  # in force from 1 December
    moment["now"] = dt.datetime(2026, 12, 2, 9, tzinfo=dt.UTC)
    for number, first_response in ((2, "2h"), (3, "1h")):
        new_draft(database, "acme", author, change_summary="Faster")
        edit_draft(database, "acme", number, author, text=policy_text(first_response))
        transition(database, "acme", number, "submit", author)
        transition(database, "acme", number, "approve", reviewer)
    monday = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    transition(database, "acme", 2, "publish", reviewer, effective_at=monday)
    # Version 3, published now, replaces version 1 at once and version 2 before Monday.
    transition(database, "acme", 3, "publish", reviewer)
    one, two, three = (get_version(database, "acme", n) for n in (1, 2, 3))
    assert (one.status, one.retired_at) == ("retired", moment["now"])
    assert one.effective_at == dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    assert (two.status, two.effective_at) == ("retired", None)
    assert (three.status, three.effective_at) == ("published", moment["now"])
    moment["now"] = monday + dt.timedelta(hours=1)
    operating = operating_version(database)
    assert operating is not None and operating.number == 3
    assert [e.note for e in history(database, "acme", 2)][-1] == (
        "replaced by version 3 before it took effect"
    )
