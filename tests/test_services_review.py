"""The review cycle on the example policy: reviewed every 6 months, next on Thursday
1 April 2027, 30 days' warning (from 2 March), owned by the service manager
(service-managers@larkfield.example). Days are UTC dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from charter.config import Settings
from charter.errors import Conflict, Forbidden, InvalidInput
from charter.services.escalations import deliver_due
from charter.services.lifecycle import new_draft
from charter.services.review import record_review, review_status, send_review_reminders
from charter.store import Database
from support import EXAMPLE_TEXT
from support.seed import Seeded, principal_of, publish_example
from support.smtp import smtp_server
from support.ticket_store import publish, rows


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


@pytest.fixture
def seeded(database: Database) -> Seeded:
    return publish_example(database)


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [("2027-03-01", "upcoming", 31), ("2027-03-02", "warning", 30),
     ("2027-04-01", "warning", 0), ("2027-04-02", "overdue", -1)],
)  # fmt: skip
def test_the_review_of_1_april_is_upcoming_then_in_warning_then_overdue(
    database: Database, seeded: Seeded, today: str, state: str, left: int
) -> None:
    status = review_status(database, dt.date.fromisoformat(today))
    assert status is not None
    assert (status.state, status.days_left, status.owner) == (state, left, "service-manager")
    assert status.last_reviewed_on is None


def outbox(database: Database) -> list[tuple[str, str, str]]:
    """The review reminders queued (not the notices that a version waits for review)."""
    return [tuple(r) for r in rows(database, "SELECT level_id, recipient, state FROM outbox "
                                   "WHERE purpose = 'review' AND level_id <> 'submitted' "
                                   "ORDER BY id")]  # fmt: skip


def test_the_owner_is_reminded_on_2_and_9_march_on_1_april_and_weekly_after(
    database: Database, seeded: Seeded, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    sent = {day: send_review_reminders(database, settings, at(f"{day} 09:00"))
            for day in ("2027-03-01", "2027-03-02", "2027-03-03", "2027-03-09",
                        "2027-04-01", "2027-04-02", "2027-04-08")}  # fmt: skip
    assert sent == {"2027-03-01": 0, "2027-03-02": 1, "2027-03-03": 0, "2027-03-09": 1,
                    "2027-04-01": 1, "2027-04-02": 0, "2027-04-08": 1}  # fmt: skip
    assert send_review_reminders(database, settings, at("2027-03-09 15:00")) == 0  # once a day
    owner = "service-managers@larkfield.example"
    assert outbox(database) == [
        ("warning", owner, "pending"), ("warning", owner, "pending"),
        ("warning", owner, "pending"), ("overdue", owner, "pending"),
    ]  # fmt: skip


def test_a_review_with_no_change_on_20_march_moves_the_next_to_1_october(
    database: Database, seeded: Seeded, tmp_path: Path
) -> None:
    status = record_review(database, seeded.author, "no_change", note="Still right",
                           now=at("2027-03-20 10:00"))  # fmt: skip
    # Inside the warning period: a full 6 months on from 1 April, not from 20 March.
    assert (status.next_review, status.state) == (dt.date(2027, 10, 1), "upcoming")
    assert (status.last_reviewed_on, status.last_outcome) == (dt.date(2027, 3, 20), "no_change")
    # No more reminders for the review that was done.
    assert send_review_reminders(database, Settings(data_dir=tmp_path), at("2027-03-23 09:00")) == 0
    assert send_review_reminders(database, Settings(data_dir=tmp_path), at("2027-03-30 09:00")) == 0


def test_a_review_that_changes_the_policy_names_its_draft(
    database: Database, seeded: Seeded
) -> None:
    with pytest.raises(InvalidInput, match="name the draft"):
        record_review(database, seeded.author, "new_draft", now=at("2027-03-20 10:00"))
    with pytest.raises(Conflict, match="version 1 is not a draft"):
        record_review(database, seeded.author, "new_draft", draft=1, now=at("2027-03-20 10:00"))
    number = new_draft(database, "larkfield", seeded.author, change_summary="Review 2027").number
    status = record_review(database, seeded.author, "new_draft", draft=number,
                           now=at("2027-03-20 10:00"))  # fmt: skip
    assert status.last_outcome == "new_draft" and status.next_review == dt.date(2027, 10, 1)
    assert rows(database, "SELECT draft_number FROM policy_reviews") == [(number,)]


def test_an_agent_may_not_record_a_review_and_an_unknown_outcome_is_refused(
    database: Database, seeded: Seeded
) -> None:
    agent = principal_of(database, "agent")
    with pytest.raises(Forbidden):
        record_review(database, agent, "no_change", now=at("2027-03-20 10:00"))
    with pytest.raises(InvalidInput, match="is not no_change or new_draft"):
        record_review(database, seeded.author, "skipped", now=at("2027-03-20 10:00"))
    assert rows(database, "SELECT count(*) FROM policy_reviews") == [(0,)]


def test_an_owner_role_without_an_address_leaves_a_dead_letter_saying_so(
    database: Database, tmp_path: Path
) -> None:
    publish(database, EXAMPLE_TEXT.replace("      email: service-managers@larkfield.example\n", ""))
    assert send_review_reminders(database, Settings(data_dir=tmp_path), at("2027-03-02 09:00")) == 1
    [(recipient, state, error)] = rows(
        database, "SELECT recipient, state, last_error FROM outbox WHERE purpose = 'review'"
    )
    assert (recipient, state) == ("service-manager", "dead")
    assert error.startswith("role 'service-manager' has no e-mail address")


def test_the_reminder_reaches_the_owner_over_smtp(
    database: Database, seeded: Seeded, tmp_path: Path
) -> None:
    with smtp_server() as mailbox:
        settings = Settings(
            data_dir=tmp_path,
            smtp_host="127.0.0.1",
            smtp_port=mailbox.port,
            smtp_tls="none",
            smtp_from_address="charter@larkfield.example",
        )
        send_review_reminders(database, settings, at("2027-04-08 09:00"))
        # The reminder, and the notice that version 1 waited for review (its submission).
        assert deliver_due(database, settings, now=at("2027-04-08 09:00")).sent == 2
        [received] = [m for m in mailbox.received if "review is overdue" in m.message["Subject"]]
    assert received.recipients == ["service-managers@larkfield.example"]
    assert received.message["Subject"] == (
        "The customer service policy's review is overdue since Thu 01 Apr 2027"
    )
