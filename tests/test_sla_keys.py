"""Evaluation pairs each ticket with its own rule's targets and its own clock runs, in
the tickets' order, whatever order their ids sort in; a policy without service levels
judges no ticket.

Times are Europe/London wall clock; 2026-01-05 is a Monday (GMT). ``office`` opens
Mon-Fri 09:00-17:00.
"""

from __future__ import annotations

from charter.policy import load_policy_text
from charter.sla.evaluate import RESULT_COLUMNS, evaluate
from support.sla import H, at, data, make_ticket, sla_policy

CHAT = (
    "    - {id: chat, when: {channel: [chat]}, targets: {"
    "first_response: {within: 1h, clock: office}, resolution: {within: 2h, clock: office}}}\n"
)


def test_a_chat_an_email_and_a_silent_chat_each_get_their_own_rule_in_file_order() -> None:
    tickets = data(
        [
            make_ticket(id="t2", channel="chat", status="solved"),
            make_ticket(id="t1", channel="email"),
            make_ticket(id="t3", channel="chat"),
        ],
        [
            ("t2", "2026-01-05 10:30", "status", "solved"),
            ("t2", "2026-01-05 11:00", "agent_reply", None),
            ("t1", "2026-01-05 10:00", "agent_reply", None),
        ],
    )
    policy = sla_policy("first_response: {within: 4h, clock: office}", rules_before=CHAT)
    frame = evaluate(policy, tickets, now=at("2026-01-05 12:00"))
    rows = [
        (r["ticket_id"], r["metric"], r["rule_id"], r["elapsed_seconds"], r["status"])
        for r in frame.iter_rows(named=True)
    ]
    assert rows == [
        # t2 (chat, 1 h): replied 11:00, 2 h after 09:00, past its 10:00 due.
        ("t2", "first_response", "chat", 2 * H, "breached"),
        # t2 (chat, 2 h): solved 10:30, 1.5 h, before its 11:00 due.
        ("t2", "resolution", "chat", 1.5 * H, "met"),
        # t1 (main, 4 h): replied 10:00, 1 h, due 13:00.
        ("t1", "first_response", "main", 1 * H, "met"),
        # The main rule sets no resolution target: no clock.
        ("t1", "resolution", "main", None, "none"),
        # t3 (chat): no reply, not solved; at 12:00 both run 3 h, past 10:00 and 11:00.
        ("t3", "first_response", "chat", 3 * H, "breached"),
        ("t3", "resolution", "chat", 3 * H, "breached"),
    ]


def test_a_policy_without_service_levels_judges_no_ticket() -> None:
    policy = load_policy_text("organisation: {name: A, mission: M}\n").policy
    frame = evaluate(policy, data([make_ticket()]), now=at("2026-01-05 12:00"))
    assert frame.height == 0
    assert frame.columns == RESULT_COLUMNS
