"""The handbook's clauses as sentences written from their typed values, and the clause
kinds that have none yet (they show their fields as before)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from charter.policy import Policy, load_policy_text
from charter.policy.clauses import clauses
from charter.publish.clause_sentences import UNWRITTEN, WRITERS, kind_of, sentences
from support import EXAMPLE_TEXT, edited_text


@cache
def example() -> Policy:
    return load_policy_text(EXAMPLE_TEXT).policy


@cache
def said() -> dict[str, str]:
    return sentences(example())


@pytest.mark.parametrize(
    "clause_id, sentence",
    [
        # returns: window_days 30 from last_delivery, fees free; refund 5wd to
        # original_payment
        ("returns", "Items can be returned within 30 days of the last delivery of the order, "
         "free of charge; we refund within 5 working days to the original payment method."),
        # cp-phone-uk: sl-phone is the first rule naming only the phone channel (2h on
        # uk-support, a working clock); uk-support opens 08:00-20:00 Mon-Fri and
        # 09:00-13:00, 14:00-17:00 on Saturday
        ("contact_points.cp-phone-uk", "We answer calls on +44 20 7946 0321 within 2 working "
         "hours, 8:00–20:00 Monday to Friday and 9:00–13:00, 14:00–17:00 Saturday "
         "(Europe/London time)."),
        # cp-chat: sl-chat, 5m on uk-support
        ("contact_points.cp-chat", "We answer chats on https://www.larkfield.example/chat "
         "within 5 minutes, 8:00–20:00 Monday to Friday and 9:00–13:00, 14:00–17:00 Saturday "
         "(Europe/London time)."),
        # cp-email: the only e-mail rule also names a priority, so no time is promised
        ("contact_points.cp-email", "We reply to e-mails on help@larkfield.example, 8:00–20:00 "
         "Monday to Friday and 9:00–13:00, 14:00–17:00 Saturday (Europe/London time)."),
        # complaint-front-line: acknowledge 1wd, answer 2wd, 85 %
        ("complaints.stages.complaint-front-line", "Front line: a complaint is acknowledged "
         "within 1 working day and answered within 2 working days, for 85 % of complaints."),
        # sl-chat: first response 5m (90 %) on uk-support, resolution 1d on 24x7 (85 %)
        ("service_levels.rules.sl-chat", "When the channel is chat, we reply first within "
         "5 minutes (90 % of tickets) and solve the ticket within 1 day (85 % of tickets)."),
        # delivery-uk-standard: handling 0-1 + transit 2-3 = 2-4 days, cutoff 14:00
        ("delivery.delivery-uk-standard", "Standard delivery to UK mainland arrives within "
         "2–4 working days when ordered by 14:00; Free over £40, otherwise £3.95."),
        # pauses: requester_wait [pending]; agent_work and resolution [pending, on_hold];
        # the others pause for nothing and no rule's target names its own
        ("service_levels", "The requester wait clock stops while a ticket is pending; the "
         "agent work time and resolution clocks while it is pending or on hold. The first "
         "rule that matches a ticket applies."),
        # team-lead: one responsibility, a shared mailbox; agent: two, no mailbox
        ("staff.roles.team-lead", "Team lead (mail to team-leads@larkfield.example): watch "
         "the queue and step in before a promise is missed."),
        ("staff.roles.agent", "Customer care agent: answer contacts within the promised "
         "times; log every complaint with its reference."),
        # esc-resolution-late: breach + 4h
        ("escalation.esc-resolution-late", "4 hours after the resolution time runs out, level 2 "
         "notifies service-manager and escalations@larkfield.example and reassigns the ticket "
         "to resolutions."),
    ],
)  # fmt: skip
def test_refund_story_each_clause_reads_as_a_sentence_of_its_typed_values(
    clause_id: str, sentence: str
) -> None:
    assert said()[clause_id] == sentence


def test_refund_story_a_changed_value_changes_the_sentence() -> None:
    def fortnight(data: Any) -> None:
        data["returns"]["refund"] = {"method": "store_credit", "within": "14d", "clock": "24x7"}

    policy = load_policy_text(edited_text(fortnight)).policy
    # 14d on the 24x7 clock is 14 calendar days; store_credit reads "as store credit"
    assert sentences(policy)["returns"].endswith("we refund within 14 days as store credit.")


def test_clause_kinds_without_a_sentence_are_listed_and_keep_their_fields() -> None:
    kinds = list(dict.fromkeys(kind_of(c.id) for c in clauses(example())))
    without = [kind for kind in kinds if kind not in WRITERS]
    # Section headings of list sections (no fields of their own), the kinds that are
    # running text already (UNWRITTEN), and the kinds still shown field by field.
    headings = ["goals", "principles", "calendars", "contact_points", "escalation", "delivery"]
    still_fields = ["complaints", "staff", "kpis", "competitors"]
    assert sorted(without) == sorted([*headings, *UNWRITTEN, *still_fields])
    assert not any(kind in WRITERS for kind in UNWRITTEN)
    # every item a writer covers has its sentence, and nothing else has one
    covered = {c.id for c in clauses(example()) if kind_of(c.id) in WRITERS}
    assert set(said()) == covered
