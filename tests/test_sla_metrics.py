"""Service levels on hand-computed tickets: every metric and status, pauses, chains,
holidays, working days and a clock-change night.

Times are Europe/London wall clock. January dates are GMT (= UTC); 2026-01-05 is a
Monday. The office calendar opens Mon-Fri 09:00-17:00 with England's bank holidays.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from charter.policy import load_policy_text
from charter.sla.evaluate import evaluate, settle_times
from charter.tickets.dataset import TicketData
from charter.tickets.synth import synthesize
from support import EXAMPLE_TEXT
from support.sla import WEEKDAYS, H, at, data, make_ticket
from support.sla import sla_policy as policy
from support.sla import sla_row as result

FIRST_2H = "first_response: {within: 2h, clock: office}"


def test_first_response_within_target_is_met_with_its_due_time() -> None:
    d = data([make_ticket(first_response_at=at("2026-01-05 10:30"))])
    row = result(policy(FIRST_2H), d, "2026-01-09 12:00", "first_response")
    assert (row["status"], row["elapsed_seconds"]) == ("met", 1.5 * H)
    assert row["due_at"] == at("2026-01-05 11:00")


def test_first_response_over_a_weekend_counts_business_hours_only() -> None:
    # Fri 16:00-17:00 = 1 h, Mon 09:00-10:30 = 1.5 h: 2.5 h > 2 h; due Mon 10:00.
    d = data([make_ticket(created_at=at("2026-01-09 16:00"),
                          first_response_at=at("2026-01-12 10:30"))])  # fmt: skip
    row = result(policy(FIRST_2H), d, "2026-01-14 12:00", "first_response")
    assert (row["status"], row["elapsed_seconds"]) == ("breached", 2.5 * H)
    assert row["due_at"] == at("2026-01-12 10:00")


@pytest.mark.parametrize(
    ("now", "status", "elapsed"),
    [
        ("2026-01-05 10:00", "pending", 1 * H),  # 1 h of 4 h
        ("2026-01-05 12:00", "at_risk", 3 * H),  # 75 % of 4 h
        ("2026-01-05 14:00", "breached", 5 * H),  # past the 13:00 due time
        ("2026-01-05 20:00", "breached", 8 * H),  # evening: the clock stopped at 17:00
    ],
)
def test_a_running_first_response_is_pending_at_risk_then_breached(
    now: str, status: str, elapsed: float
) -> None:
    d = data([make_ticket()])
    row = result(policy("first_response: {within: 4h, clock: office}"), d, now, "first_response")
    assert (row["status"], row["elapsed_seconds"], row["stop_at"]) == (status, elapsed, None)
    assert row["due_at"] == at("2026-01-05 13:00")


def test_the_first_public_agent_reply_event_wins_over_the_ticket_column() -> None:
    d = data(
        [make_ticket(first_response_at=at("2026-01-05 16:00"))],
        [("t1", "2026-01-05 09:00", "customer_message", None),
         ("t1", "2026-01-05 09:45", "agent_reply", None)],
    )  # fmt: skip
    row = result(policy(FIRST_2H), d, "2026-01-06 09:00", "first_response")
    assert (row["status"], row["elapsed_seconds"]) == ("met", 0.75 * H)


def test_a_reply_after_now_is_not_yet_known() -> None:
    d = data([make_ticket(first_response_at=at("2026-01-05 15:00"))])
    row = result(policy(FIRST_2H), d, "2026-01-05 10:00", "first_response")
    assert (row["status"], row["stop_at"]) == ("pending", None)


PAUSED_SPELLS = [
    ("t1", "2026-01-05 09:30", "status", "open"),
    ("t1", "2026-01-05 10:00", "status", "pending"),  # waiting for the customer 4 h
    ("t1", "2026-01-05 14:00", "status", "open"),
    ("t1", "2026-01-06 09:00", "status", "on_hold"),  # waiting on a third party 1 h
    ("t1", "2026-01-06 10:00", "status", "open"),
    ("t1", "2026-01-06 11:00", "status", "solved"),
]


@pytest.mark.parametrize(
    ("metric", "elapsed"),
    [
        # Mon 09:00-17:00 = 8 h and Tue 09:00-11:00 = 2 h: 10 h in all.
        ("resolution", 10 * H - 4 * H - 1 * H),  # pending and on_hold excluded
        ("requester_wait", 10 * H - 4 * H),  # only pending excluded: on_hold counts
        ("agent_work", 10 * H - 4 * H - 1 * H),  # pending and on_hold excluded
    ],
)
def test_paused_statuses_stop_each_clock_by_its_own_rule(metric: str, elapsed: float) -> None:
    d = data([make_ticket(status="solved", solved_at=at("2026-01-06 11:00"))], PAUSED_SPELLS)
    row = result(policy(f"{metric}: {{within: 8h, clock: office}}"), d, "2026-01-09 09:00", metric)
    assert row["elapsed_seconds"] == elapsed
    assert row["status"] == ("met" if elapsed <= 8 * H else "breached")


def test_pause_rules_written_in_the_policy_replace_the_defaults() -> None:
    pol = policy(
        "resolution: {within: 8h, clock: office}", pauses="pauses: {resolution: [on_hold]}"
    )
    d = data([make_ticket(status="solved", solved_at=at("2026-01-06 11:00"))], PAUSED_SPELLS)
    row = result(pol, d, "2026-01-09 09:00", "resolution")
    assert (row["elapsed_seconds"], row["status"]) == (9 * H, "breached")


def test_resolution_due_time_moves_by_the_paused_time() -> None:
    d = data([make_ticket(status="solved", solved_at=at("2026-01-06 11:00"))], PAUSED_SPELLS)
    row = result(policy("resolution: {within: 8h, clock: office}"), d, "2026-01-09 09:00",
                 "resolution")  # fmt: skip
    # 8 h of target plus 5 h paused = 13 business hours from Mon 09:00: Tue 14:00.
    assert row["due_at"] == at("2026-01-06 14:00")


def test_a_clock_paused_now_has_no_due_instant_until_it_resumes() -> None:
    d = data(
        [make_ticket(status="pending")],
        [("t1", "2026-01-05 11:00", "status", "pending")],
    )
    row = result(policy("resolution: {within: 4h, clock: office}"), d, "2026-01-06 12:00",
                 "resolution")  # fmt: skip
    # 2 h ran (Mon 09:00-11:00); paused since, with 2 h left: no due instant ("paused").
    assert (row["status"], row["elapsed_seconds"]) == ("pending", 2 * H)
    assert row["due_at"] is None


CHAIN = [
    ("t1", "2026-01-05 09:00", "customer_message", None),
    ("t1", "2026-01-05 09:30", "agent_reply", None),
    ("t1", "2026-01-05 10:00", "customer_message", None),  # awaits a reply: 1 h
    ("t1", "2026-01-05 10:15", "customer_message", None),  # same wait, no new one
    ("t1", "2026-01-05 11:00", "agent_reply", None),
    ("t1", "2026-01-05 16:00", "customer_message", None),  # 1 h Mon + 1.5 h Tue = 2.5 h
    ("t1", "2026-01-06 10:30", "agent_reply", None),
]


def test_next_response_breaches_the_ticket_when_any_reply_is_late() -> None:
    row = result(policy("next_response: {within: 2h, clock: office}"), data([make_ticket()], CHAIN),
                 "2026-01-07 09:00", "next_response")  # fmt: skip
    assert (row["status"], row["occurrences"], row["elapsed_seconds"]) == ("breached", 2, 2.5 * H)
    assert row["start_at"] == at("2026-01-05 16:00")


def test_next_response_is_met_when_every_reply_is_in_time() -> None:
    row = result(policy("next_response: {within: 3h, clock: office}"), data([make_ticket()], CHAIN),
                 "2026-01-07 09:00", "next_response")  # fmt: skip
    assert (row["status"], row["occurrences"]) == ("met", 2)


def test_next_response_never_awaited_is_none() -> None:
    d = data([make_ticket()], CHAIN[:2])
    row = result(policy("next_response: {within: 2h, clock: office}"), d, "2026-01-07 09:00",
                 "next_response")  # fmt: skip
    assert (row["status"], row["occurrences"]) == ("none", 0)


UPDATES = [
    ("t1", "2026-01-05 09:30", "agent_reply", None),
    ("t1", "2026-01-05 12:30", "agent_reply", None),  # gap 3 h
    ("t1", "2026-01-06 11:30", "agent_reply", None),  # gap 4.5 h + 2.5 h = 7 h
    ("t1", "2026-01-06 12:00", "status", "solved"),  # last gap 0.5 h
]


@pytest.mark.parametrize(("target", "status"), [("8h", "met"), ("6h", "breached")])
def test_periodic_update_is_the_longest_gap_between_agent_updates(target: str, status: str) -> None:
    d = data([make_ticket(status="solved", solved_at=at("2026-01-06 12:00"))], UPDATES)
    row = result(policy(f"periodic_update: {{within: {target}, clock: office}}"), d,
                 "2026-01-08 09:00", "periodic_update")  # fmt: skip
    assert (row["status"], row["elapsed_seconds"], row["occurrences"]) == (status, 7 * H, 3)


def test_a_bank_holiday_is_not_business_time() -> None:
    # Fri 28 Aug 2026 16:00 BST; Mon 31 Aug is the summer bank holiday; reply Tue 09:30 BST.
    d = data([make_ticket(created_at=at("2026-08-28 16:00"),
                          first_response_at=at("2026-09-01 09:30"))])  # fmt: skip
    row = result(policy(FIRST_2H), d, "2026-09-02 09:00", "first_response")
    assert (row["status"], row["elapsed_seconds"]) == ("met", 1.5 * H)


def test_a_night_shift_on_the_night_clocks_go_back_counts_real_hours() -> None:
    # Sat 24 Oct 2026 23:00 BST (22:00 UTC) to Sun 25 Oct 05:00 GMT (05:00 UTC) is 7 real
    # hours inside the 22:00-06:00 shift; a wall-clock count would say 6 h.
    pol = policy("first_response: {within: 6h30m, clock: nights}")
    d = data([make_ticket(created_at=at("2026-10-24 23:00"),
                          first_response_at=at("2026-10-25 05:00"))])  # fmt: skip
    row = result(pol, d, "2026-10-26 09:00", "first_response")
    assert (row["status"], row["elapsed_seconds"]) == ("breached", 7 * H)


@pytest.mark.parametrize(
    ("solved", "status"), [("2026-01-07 16:00", "met"), ("2026-01-08 09:30", "breached")]
)
def test_working_day_targets_are_due_at_the_close_of_the_last_day(solved: str, status: str) -> None:
    # Received Mon 10:00 (day 0); 2 working days: due at Wednesday's close, 17:00.
    d = data([make_ticket(created_at=at("2026-01-05 10:00"), status="solved",
                          solved_at=at(solved))])  # fmt: skip
    row = result(policy("resolution: {within: 2wd, clock: office}"), d, "2026-01-09 09:00",
                 "resolution")  # fmt: skip
    assert row["due_at"] == at("2026-01-07 17:00")
    assert row["status"] == status


def test_first_matching_rule_applies_and_unmatched_tickets_have_no_promise() -> None:
    urgent = (
        "    - {id: urgent, when: {priority: [urgent]}, "
        "targets: {first_response: {within: 1h, clock: office}}}\n"
    )
    pol = policy(FIRST_2H, rules_before=urgent)
    tickets = [make_ticket(id="u", priority="urgent", first_response_at=at("2026-01-05 10:30")),
               make_ticket(id="n", first_response_at=at("2026-01-05 10:30"))]  # fmt: skip
    frame = evaluate(pol, data(tickets), now=at("2026-01-06 09:00"))
    by_id = {r["ticket_id"]: r for r in frame.iter_rows(named=True)}
    assert (by_id["u"]["rule_id"], by_id["u"]["status"]) == ("urgent", "breached")
    assert (by_id["n"]["rule_id"], by_id["n"]["status"]) == ("main", "met")


def test_a_ticket_no_rule_matches_gets_status_none() -> None:
    text = f"""
organisation: {{name: A, mission: M}}
calendars: [{{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}]
service_levels:
  rules: [{{id: chat, when: {{channel: [chat]}}, targets: {{{FIRST_2H}}}}}]
"""
    row = result(load_policy_text(text).policy, data([make_ticket()]), "2026-01-06 09:00",
                 "first_response")  # fmt: skip
    assert (row["rule_id"], row["status"], row["due_at"]) == (None, "none", None)


def test_a_metric_the_rule_does_not_target_is_none_for_its_tickets() -> None:
    other = (
        "    - {id: chat, when: {channel: [chat]}, "
        "targets: {resolution: {within: 8h, clock: office}}}\n"
    )
    frame = evaluate(policy(FIRST_2H, rules_before=other), data([make_ticket()]),
                     now=at("2026-01-06 09:00"))  # fmt: skip
    row = frame.filter(pl.col("metric") == "resolution").row(0, named=True)
    assert (row["rule_id"], row["status"], row["target_seconds"]) == ("main", "none", None)


def test_one_tickets_reply_never_answers_another_tickets_message() -> None:
    # t1's last customer message is still unanswered; t2's agent reply comes right after
    # it in the event stream and must not stop t1's clock.
    events = [
        ("t1", "2026-01-05 09:00", "customer_message", None),
        ("t1", "2026-01-05 09:30", "agent_reply", None),
        ("t1", "2026-01-05 10:00", "customer_message", None),
        ("t2", "2026-01-05 09:00", "customer_message", None),
        ("t2", "2026-01-05 10:30", "agent_reply", None),
    ]
    tickets = [make_ticket(), make_ticket(id="t2")]
    pol = policy("next_response: {within: 2h, clock: office}")
    row = result(pol, data(tickets, events), "2026-01-05 11:00", "next_response")
    assert (row["stop_at"], row["status"], row["elapsed_seconds"]) == (None, "pending", 1 * H)
    other = result(pol, data(tickets, events), "2026-01-05 11:00", "next_response", "t2")
    assert other["status"] == "none"


def test_integer_ticket_ids_give_what_text_ids_give() -> None:
    # The store evaluates with its integer ids (cheaper to sort and join): every
    # figure must be what the same tickets give with text ids.

    example = load_policy_text(EXAMPLE_TEXT).policy
    texts = synthesize(400, 30, seed=11)
    number = {ticket: index for index, ticket in enumerate(texts.tickets["id"].to_list())}
    numbers = TicketData(
        texts.tickets.with_columns(pl.col("id").replace_strict(number, return_dtype=pl.Int64)),
        texts.events.with_columns(
            pl.col("ticket_id").replace_strict(number, return_dtype=pl.Int64)
        ),
    )
    now = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    back = pl.col("ticket_id").replace_strict({v: k for k, v in number.items()})
    by_text = evaluate(example, texts, now)
    by_number = evaluate(example, numbers, now).with_columns(back)
    assert by_number.schema == by_text.schema
    assert by_number.sort("ticket_id", "metric").equals(by_text.sort("ticket_id", "metric"))
    settled = settle_times(numbers).with_columns(back)
    assert settled.sort("ticket_id").equals(settle_times(texts).sort("ticket_id"))
