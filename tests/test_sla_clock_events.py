"""The clock events of a ticket's audit trail: started, paused, resumed, breached,
stopped, worked out by hand on the ``office`` calendar (Mon-Fri 09:00-17:00 London;
in January London is UTC).

The story: Acme promises a first response to e-mail within 4 business hours, the clock
stopping while the ticket waits on the customer (``pending``). Ticket t1 is written on
Monday 5 January 2026 at 09:00.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from charter.sla.clock_events import clock_events
from support.sla import H, at, data, make_ticket, sla_policy

WAITING = "first_response: {within: 4h, clock: office, paused: [pending]}"
WAIT_10_TO_11 = [("t1", "2026-01-05 10:00", "status", "pending"),
                 ("t1", "2026-01-05 11:00", "status", "open")]  # fmt: skip


def events(targets: str, tickets: list[dict[str, Any]], evts: list[Any], now: str) -> list[Any]:
    frame = clock_events(sla_policy(targets), data(tickets, evts), at(now))
    return [
        (e["metric"], e["kind"], e["at"], e["status"], e["seconds"], e["verdict"])
        for e in frame.iter_rows(named=True)
    ]


def test_t1_paused_an_hour_waiting_on_the_customer_and_answered_at_14_00_is_never_breached() -> (
    None
):
    # 09:00-10:00 runs (1 h used), 10:00-11:00 waits on the customer (paused), so the
    # due moves by the hour paused before it: 09:00 + 4 h + 1 h = 14:00. The answer at
    # 14:00 is at the due instant, which is met: no breach. Elapsed at the stop: 5 h of
    # office time less the 1 h paused = 4 h.
    answered = make_ticket(first_response_at=at("2026-01-05 14:00"))
    got = events(WAITING, [answered], WAIT_10_TO_11, "2026-01-05 18:00")
    assert got == [
        ("first_response", "started", at("2026-01-05 09:00"), None, None, None),
        ("first_response", "paused", at("2026-01-05 10:00"), "pending", None, None),
        ("first_response", "resumed", at("2026-01-05 11:00"), None, 1 * H, None),
        ("first_response", "stopped", at("2026-01-05 14:00"), None, 4 * H, "met"),
    ]


def test_t1_unanswered_breaches_at_14_00_while_its_clock_runs() -> None:
    # The same wait; no reply by 15:30: the due instant 14:00 passed with the clock
    # running, so it breached at 14:00 (the event carries the 4 h target); nothing stops.
    got = events(WAITING, [make_ticket()], WAIT_10_TO_11, "2026-01-05 15:30")
    assert [(m, k, a) for m, k, a, *_ in got] == [
        ("first_response", "started", at("2026-01-05 09:00")),
        ("first_response", "paused", at("2026-01-05 10:00")),
        ("first_response", "resumed", at("2026-01-05 11:00")),
        ("first_response", "breached", at("2026-01-05 14:00")),
    ]
    assert got[-1][4] == 4 * H


def test_t1_answered_at_15_30_breached_at_14_00_then_stopped_breached() -> None:
    # Breach at 14:00, answer at 15:30: elapsed 09:00-15:30 is 6 h 30 min less the hour
    # paused = 5 h 30 min, and the verdict is breached.
    late = make_ticket(first_response_at=at("2026-01-05 15:30"))
    got = events(WAITING, [late], WAIT_10_TO_11, "2026-01-06 09:00")
    assert [(k, a) for _, k, a, *_ in got][-2:] == [
        ("breached", at("2026-01-05 14:00")),
        ("stopped", at("2026-01-05 15:30")),
    ]
    assert got[-1][4:] == (5.5 * H, "breached")


def test_t1_without_the_pause_breaches_at_13_00_the_clock_still_running_before_noon_does_not() -> (
    None
):
    # No pause in the target (first response never pauses by default): due 09:00 + 4 h
    # = 13:00. At 12:59 nothing has breached yet; at 13:01 it has, at 13:00 exactly.
    target = "first_response: {within: 4h, clock: office}"
    before = events(target, [make_ticket()], WAIT_10_TO_11, "2026-01-05 12:59")
    assert [k for _, k, *_ in before] == ["started"]
    after = events(target, [make_ticket()], WAIT_10_TO_11, "2026-01-05 13:01")
    assert [(k, a) for _, k, a, *_ in after] == [
        ("started", at("2026-01-05 09:00")),
        ("breached", at("2026-01-05 13:00")),
    ]


def test_t1_waiting_now_with_target_left_is_paused_with_no_breach_and_no_resume() -> None:
    # Pending from 10:00 and still pending at 16:00: the clock has 3 h left and no due
    # instant while it waits, so there is no breach and no resume yet.
    wait = [("t1", "2026-01-05 10:00", "status", "pending")]
    got = events(WAITING, [make_ticket()], wait, "2026-01-05 16:00")
    assert [(k, a) for _, k, a, *_ in got] == [
        ("started", at("2026-01-05 09:00")),
        ("paused", at("2026-01-05 10:00")),
    ]


def test_pending_then_on_hold_back_to_back_is_one_pause_of_two_hours() -> None:
    # Pending 10:00, on hold 11:00, open 12:00: one pause 10:00-12:00 (2 h), so the due
    # is 09:00 + 4 h + 2 h = 15:00, and the answer at 14:30 is met after 3 h 30 min.
    target = "first_response: {within: 4h, clock: office, paused: [pending, on_hold]}"
    waits = [("t1", "2026-01-05 10:00", "status", "pending"),
             ("t1", "2026-01-05 11:00", "status", "on_hold"),
             ("t1", "2026-01-05 12:00", "status", "open")]  # fmt: skip
    ticket = make_ticket(first_response_at=at("2026-01-05 14:30"))
    got = events(target, [ticket], waits, "2026-01-05 18:00")
    assert [(k, a, s) for _, k, a, _, s, _ in got] == [
        ("started", at("2026-01-05 09:00"), None),
        ("paused", at("2026-01-05 10:00"), None),
        ("resumed", at("2026-01-05 12:00"), 2 * H),
        ("stopped", at("2026-01-05 14:30"), 3.5 * H),
    ]
    assert got[-1][5] == "met"


def test_a_pause_that_ends_with_the_solve_stops_the_clock_without_resuming_it() -> None:
    # Resolution within 8 business hours, paused while pending: pending 10:00, solved
    # 12:00 in one update. The clock stops at 12:00 after 1 h of use; no resume.
    target = "resolution: {within: 8h, clock: office}"
    events_ = [("t1", "2026-01-05 10:00", "status", "pending"),
               ("t1", "2026-01-05 12:00", "status", "solved")]  # fmt: skip
    ticket = make_ticket(status="solved", solved_at=at("2026-01-05 12:00"))
    got = events(target, [ticket], events_, "2026-01-05 18:00")
    assert [(k, a, s) for _, k, a, _, s, _ in got] == [
        ("started", at("2026-01-05 09:00"), None),
        ("paused", at("2026-01-05 10:00"), None),
        ("stopped", at("2026-01-05 12:00"), 1 * H),
    ]


@pytest.mark.parametrize("now", ["2026-01-05 09:00", "2026-01-05 08:00"])
def test_a_ticket_written_after_now_or_at_it_has_at_most_its_start(now: str) -> None:
    # At 09:00 the clock has just started; at 08:00 it has not started yet.
    got = events(WAITING, [make_ticket()], [], now)
    assert len(got) == (1 if now.endswith("09:00") else 0)


def test_each_next_reply_is_its_own_run_with_its_own_events() -> None:
    # Next response within 1 business hour: the customer writes at 10:00 and 13:00
    # after replies at 09:30 and 12:00; the agent answers at 10:30 (met, 30 min) and
    # 14:30 (due 14:00: breached at 14:00, stopped 14:30 after 1 h 30 min).
    target = "next_response: {within: 1h, clock: office}"
    talk = [("t1", "2026-01-05 09:30", "agent_reply", None),
            ("t1", "2026-01-05 10:00", "customer_message", None),
            ("t1", "2026-01-05 10:30", "agent_reply", None),
            ("t1", "2026-01-05 12:00", "agent_reply", None),
            ("t1", "2026-01-05 13:00", "customer_message", None),
            ("t1", "2026-01-05 14:30", "agent_reply", None)]  # fmt: skip
    frame = clock_events(sla_policy(target), data([make_ticket()], talk), at("2026-01-05 18:00"))
    got = [(e["occurrence"], e["kind"], e["at"], e["verdict"]) for e in frame.iter_rows(named=True)]
    assert got == [
        (0, "started", at("2026-01-05 10:00"), None),
        (0, "stopped", at("2026-01-05 10:30"), "met"),
        (1, "started", at("2026-01-05 13:00"), None),
        (1, "breached", at("2026-01-05 14:00"), None),
        (1, "stopped", at("2026-01-05 14:30"), "breached"),
    ]


def test_every_event_is_an_aware_utc_instant() -> None:
    frame = clock_events(sla_policy(WAITING), data([make_ticket()], WAIT_10_TO_11),
                         at("2026-01-05 12:00"))  # fmt: skip
    assert all(isinstance(a, dt.datetime) and a.tzinfo is not None for a in frame["at"])
