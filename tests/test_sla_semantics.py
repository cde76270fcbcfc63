"""Exact SLA semantics on hand-computed ticket stories: the instant rule, due instants,
one run per metric, the solve, the column fallback, periodic updates, counted statuses.

Times are Europe/London wall clock. January dates are GMT (= UTC); 2026-01-05 is a
Monday. ``office`` opens Mon-Fri 09:00-17:00 with England's bank holidays, ``desk``
Mon-Fri 09:00-17:30, ``nights`` every night 22:00-06:00.
"""

from __future__ import annotations

from typing import Any

import pytest

from support.sla import H, at, data, make_ticket, sla_policy, sla_row

Event = tuple[str, str, str, str | None]  # ticket, London wall time, kind, status
SOLVED = "2026-01-09 12:00"  # a later instant at which every story below is over

# 1. Instant rule ---------------------------------------------------------------------


@pytest.mark.parametrize(("reply", "status"), [("18:00", "breached"), ("17:30", "met")])
def test_a_reply_at_18_00_to_a_clock_due_at_the_17_30_close_is_breached(
    reply: str, status: str
) -> None:
    # Created Mon 15:30 on desk: 2 h fill the day to its 17:30 close, so due Mon 17:30.
    # A reply at 18:00 has 2 h of business time (the desk is closed after 17:30), equal
    # to the target, but comes after the due instant: breached. At 17:30 itself: met.
    d = data([make_ticket(created_at=at("2026-01-05 15:30"),
                          first_response_at=at(f"2026-01-05 {reply}"))])  # fmt: skip
    row = sla_row(sla_policy("first_response: {within: 2h, clock: desk}"), d, SOLVED,
                  "first_response")  # fmt: skip
    assert (row["due_at"], row["elapsed_seconds"]) == (at("2026-01-05 17:30"), 2 * H)
    assert row["status"] == status


def test_a_clock_still_running_at_17_45_after_a_17_30_due_is_breached() -> None:
    # Same story without a reply: at 17:45 the elapsed time is 2 h (= target) but now is
    # past the 17:30 due instant.
    d = data([make_ticket(created_at=at("2026-01-05 15:30"))])
    row = sla_row(sla_policy("first_response: {within: 2h, clock: desk}"), d,
                  "2026-01-05 17:45", "first_response")  # fmt: skip
    assert (row["stop_at"], row["elapsed_seconds"], row["status"]) == (None, 2 * H, "breached")


@pytest.mark.parametrize(
    ("now", "status"),
    [
        ("2026-01-05 11:59", "pending"),  # 2 h 59 m of 4 h: under 75 %
        ("2026-01-05 12:00", "at_risk"),  # exactly 75 %: at risk (inclusive)
        ("2026-01-05 13:00", "at_risk"),  # at the due instant: not yet past it
        ("2026-01-05 13:01", "breached"),  # past the 13:00 due
    ],
)
def test_a_running_clock_is_at_risk_from_75_percent_and_breached_after_its_due(
    now: str, status: str
) -> None:
    row = sla_row(sla_policy("first_response: {within: 4h, clock: office}"),
                  data([make_ticket()]), now, "first_response")  # fmt: skip
    assert row["status"] == status


def test_a_reply_at_07_00_to_a_night_shift_clock_due_at_the_06_00_close_is_breached() -> None:
    # nights 22:00-06:00: created Mon 22:00, 8 h fill the shift, due Tue 06:00. The reply
    # at 07:00 has 8 h of business time but comes an hour after the due instant.
    d = data([make_ticket(created_at=at("2026-01-05 22:00"),
                          first_response_at=at("2026-01-06 07:00"))])  # fmt: skip
    row = sla_row(sla_policy("first_response: {within: 8h, clock: nights}"), d, SOLVED,
                  "first_response")  # fmt: skip
    assert (row["due_at"], row["elapsed_seconds"]) == (at("2026-01-06 06:00"), 8 * H)
    assert row["status"] == "breached"


def test_a_reply_on_the_august_bank_holiday_to_a_clock_due_friday_at_close_is_breached() -> None:
    # Fri 28 Aug 2026 15:00 BST, 2 h on office: due Fri 17:00 BST. Mon 31 Aug is the
    # summer bank holiday (closed), so a reply then at 10:00 has 2 h of business time,
    # equal to the target, but comes three days after the due.
    d = data([make_ticket(created_at=at("2026-08-28 15:00"),
                          first_response_at=at("2026-08-31 10:00"))])  # fmt: skip
    row = sla_row(sla_policy("first_response: {within: 2h, clock: office}"), d,
                  "2026-09-02 09:00", "first_response")  # fmt: skip
    assert (row["due_at"], row["elapsed_seconds"]) == (at("2026-08-28 17:00"), 2 * H)
    assert row["status"] == "breached"


# 2. Due instants ---------------------------------------------------------------------


def test_an_on_hold_13_hours_after_the_due_does_not_move_it() -> None:
    # 24x7, 8 h: created Mon 09:00, due Mon 17:00. On hold Tue 06:00 (13 h after the due)
    # to Wed 18:00 (36 h), solved Wed 19:00. The hold came after the due: due stays Mon
    # 17:00 (not Wed 05:00). Elapsed 58 h - 36 h on hold = 22 h; breached.
    events = [("t1", "2026-01-06 06:00", "status", "on_hold"),
              ("t1", "2026-01-07 18:00", "status", "open"),
              ("t1", "2026-01-07 19:00", "status", "solved")]  # fmt: skip
    d = data([make_ticket(status="solved")], events)
    row = sla_row(sla_policy("resolution: {within: 8h, clock: 24x7}"), d, SOLVED, "resolution")
    assert row["due_at"] == at("2026-01-05 17:00")
    assert (row["elapsed_seconds"], row["paused_seconds"]) == (22 * H, 36 * H)
    assert row["status"] == "breached"


def test_a_pause_before_the_due_moves_it_and_a_later_one_does_not() -> None:
    # office, 4 h from Mon 09:00: due 13:00. Pending 12:00-14:00 began before it: the due
    # moves by those 2 h to 15:00. Pending again 15:30-16:30 begins after the moved due:
    # it moves nothing. Solved 16:45: elapsed 7.75 h - 3 h paused = 4.75 h; breached.
    events = [("t1", "2026-01-05 12:00", "status", "pending"),
              ("t1", "2026-01-05 14:00", "status", "open"),
              ("t1", "2026-01-05 15:30", "status", "pending"),
              ("t1", "2026-01-05 16:30", "status", "open"),
              ("t1", "2026-01-05 16:45", "status", "solved")]  # fmt: skip
    d = data([make_ticket(status="solved")], events)
    row = sla_row(sla_policy("resolution: {within: 4h, clock: office}"), d, SOLVED, "resolution")
    assert row["due_at"] == at("2026-01-05 15:00")
    assert (row["elapsed_seconds"], row["status"]) == (4.75 * H, "breached")


def test_a_pause_over_the_night_the_clocks_go_back_moves_the_due_by_its_real_hours() -> None:
    # nights 22:00-06:00, 4 h: created Sat 24 Oct 2026 22:00 BST. Pending from 23:00 BST
    # until Sun 25 Oct 02:00 GMT: 23:00 BST-01:00 BST-01:00 GMT-02:00 GMT is 4 real hours.
    # The due moves from 02:00 BST (01:00 UTC) by 4 h to 05:00 UTC = 05:00 GMT.
    events = [("t1", "2026-10-24 23:00", "status", "pending"),
              ("t1", "2026-10-25 02:00", "status", "open"),
              ("t1", "2026-10-25 04:30", "status", "solved")]  # fmt: skip
    d = data([make_ticket(created_at=at("2026-10-24 22:00"), status="solved")], events)
    row = sla_row(sla_policy("resolution: {within: 4h, clock: nights}"), d,
                  "2026-10-26 09:00", "resolution")  # fmt: skip
    assert row["due_at"] == at("2026-10-25 05:00")
    # Ran 22:00-23:00 BST (1 h) and 02:00-04:30 GMT (2.5 h): 3.5 h, solved before the due.
    assert (row["elapsed_seconds"], row["status"]) == (3.5 * H, "met")


def test_a_clock_pending_now_with_target_left_has_no_due_instant() -> None:
    # office, 4 h from Mon 09:00; pending since Mon 11:00 (2 h used). At Tue 12:00 the
    # clock is paused with 2 h left: no due instant until it resumes.
    d = data([make_ticket(status="pending")], [("t1", "2026-01-05 11:00", "status", "pending")])
    row = sla_row(sla_policy("resolution: {within: 4h, clock: office}"), d,
                  "2026-01-06 12:00", "resolution")  # fmt: skip
    assert (row["due_at"], row["elapsed_seconds"], row["status"]) == (None, 2 * H, "pending")


def test_a_clock_pending_now_after_using_up_its_target_is_breached_at_its_due() -> None:
    # office, 2 h from Mon 09:00: due 11:00. Pending since Mon 12:00 (3 h used). At Tue
    # 10:00 it is paused, but the target ran out before the pause: breached, due Mon 11:00.
    d = data([make_ticket(status="pending")], [("t1", "2026-01-05 12:00", "status", "pending")])
    row = sla_row(sla_policy("resolution: {within: 2h, clock: office}"), d,
                  "2026-01-06 10:00", "resolution")  # fmt: skip
    assert (row["due_at"], row["elapsed_seconds"], row["status"]) == (
        at("2026-01-05 11:00"), 3 * H, "breached")  # fmt: skip


# 3. One run, coherently --------------------------------------------------------------


def _runs(*pairs: tuple[str, str | None]) -> list[Event]:
    """Customer message → agent reply pairs on Mon 5 Jan, after a first reply at 09:05."""
    events: list[Event] = [
        ("t1", "2026-01-05 09:00", "customer_message", None),
        ("t1", "2026-01-05 09:05", "agent_reply", None),
    ]
    for asked, answered in pairs:
        events.append(("t1", f"2026-01-05 {asked}", "customer_message", None))
        if answered:
            events.append(("t1", f"2026-01-05 {answered}", "agent_reply", None))
    return events


def _next_response(events: list[Event], now: str) -> dict[str, Any]:
    return sla_row(sla_policy("next_response: {within: 2h, clock: office}"),
                   data([make_ticket()], events), f"2026-01-05 {now}", "next_response")  # fmt: skip


def test_two_replies_in_time_report_the_longer_wait_whole() -> None:
    # 10:00→10:30 (0.5 h, due 12:00) and 13:00→14:30 (1.5 h, due 15:00): both met; the
    # run with the largest elapsed is reported with its own start and due.
    row = _next_response(_runs(("10:00", "10:30"), ("13:00", "14:30")), "16:00")
    assert (row["start_at"], row["due_at"], row["elapsed_seconds"], row["status"]) == (
        at("2026-01-05 13:00"), at("2026-01-05 15:00"), 1.5 * H, "met")  # fmt: skip


def test_the_first_late_reply_is_reported_not_a_later_longer_one() -> None:
    # 09:30→12:00 (2.5 h, due 11:30) breached, 12:30→15:30 (3 h, due 14:30) breached: the
    # first breached run, with its 2.5 h.
    row = _next_response(_runs(("09:30", "12:00"), ("12:30", "15:30")), "16:00")
    assert (row["start_at"], row["due_at"], row["elapsed_seconds"], row["status"]) == (
        at("2026-01-05 09:30"), at("2026-01-05 11:30"), 2.5 * H, "breached")  # fmt: skip
    assert row["occurrences"] == 2


def test_a_message_awaiting_a_reply_is_reported_over_an_earlier_longer_met_one() -> None:
    # 10:00→11:30 (1.5 h) met; 14:00 still waiting at 14:30 (0.5 h, due 16:00): pending.
    row = _next_response(_runs(("10:00", "11:30"), ("14:00", None)), "14:30")
    assert (row["start_at"], row["due_at"], row["elapsed_seconds"], row["status"]) == (
        at("2026-01-05 14:00"), at("2026-01-05 16:00"), 0.5 * H, "pending")  # fmt: skip


# 4. The solve ------------------------------------------------------------------------


def test_a_csv_import_with_a_solved_event_and_an_empty_solved_at_column_is_solved() -> None:
    # Status events say open at 09:30 and solved Mon 11:00; the solved_at column is empty.
    # Resolution (office, 8 h) ran 2 h: met at 11:00.
    events = [("t1", "2026-01-05 09:30", "status", "open"),
              ("t1", "2026-01-05 11:00", "status", "solved")]  # fmt: skip
    d = data([make_ticket(status="solved", solved_at=None)], events)
    row = sla_row(sla_policy("resolution: {within: 8h, clock: office}"), d, SOLVED, "resolution")
    assert (row["stop_at"], row["elapsed_seconds"], row["status"]) == (
        at("2026-01-05 11:00"), 2 * H, "met")  # fmt: skip


REOPENED = [
    ("t1", "2026-01-05 10:00", "status", "on_hold"),
    ("t1", "2026-01-05 11:00", "status", "open"),
    ("t1", "2026-01-05 12:00", "status", "solved"),
    ("t1", "2026-01-05 14:00", "status", "open"),  # reopened
]


def test_a_ticket_reopened_and_not_solved_again_has_a_running_resolution() -> None:
    # Solved 12:00, reopened 14:00, evaluated 16:00: still running; the solved_at column
    # keeps the stale 12:00. 7 h since 09:00 less 1 h on hold = 6 h of 8 h: at risk.
    d = data([make_ticket(status="open", solved_at=at("2026-01-05 12:00"))], REOPENED)
    row = sla_row(sla_policy("resolution: {within: 8h, clock: office}"), d,
                  "2026-01-05 16:00", "resolution")  # fmt: skip
    assert (row["stop_at"], row["elapsed_seconds"], row["status"]) == (None, 6 * H, "at_risk")


def test_a_ticket_solved_again_after_a_reopen_is_solved_at_its_last_solve() -> None:
    # Solved 12:00, reopened 14:00, solved again 16:00: the solve is 16:00. 7 h less 1 h
    # on hold = 6 h; the 2 h spent solved count for resolution.
    events = [*REOPENED, ("t1", "2026-01-05 16:00", "status", "solved")]
    d = data([make_ticket(status="solved", solved_at=at("2026-01-05 12:00"))], events)
    row = sla_row(sla_policy("resolution: {within: 8h, clock: office}"), d, SOLVED, "resolution")
    assert (row["stop_at"], row["elapsed_seconds"], row["status"]) == (
        at("2026-01-05 16:00"), 6 * H, "met")  # fmt: skip


def test_a_ticket_closed_the_day_after_its_solve_is_solved_at_the_solve() -> None:
    events = [("t1", "2026-01-05 11:00", "status", "solved"),
              ("t1", "2026-01-06 09:00", "status", "closed")]  # fmt: skip
    d = data([make_ticket(status="closed")], events)
    row = sla_row(sla_policy("resolution: {within: 8h, clock: office}"), d, SOLVED, "resolution")
    assert (row["stop_at"], row["elapsed_seconds"]) == (at("2026-01-05 11:00"), 2 * H)


@pytest.mark.parametrize(("last", "stop"), [("open", None), ("solved", "2026-01-05 11:00")])
def test_a_solve_and_a_reopen_at_the_same_instant_keep_file_order(
    last: str, stop: str | None
) -> None:
    # Solved and reopened at Mon 11:00 in one instant: the status written last holds.
    first = "solved" if last == "open" else "open"
    events = [("t1", "2026-01-05 11:00", "status", first),
              ("t1", "2026-01-05 11:00", "status", last)]  # fmt: skip
    d = data([make_ticket(status=last)], events)
    row = sla_row(sla_policy("resolution: {within: 8h, clock: office}"), d,
                  "2026-01-05 12:00", "resolution")  # fmt: skip
    assert row["stop_at"] == (at(stop) if stop else None)


# 5. Column fallback per metric -------------------------------------------------------


def test_a_ticket_without_reply_events_takes_its_first_response_column_for_both() -> None:
    # No agent-reply events; first_response_at Mon 10:00; a customer message at 11:00;
    # solved Mon 15:00. first_response stops at 10:00 (1 h); periodic_update runs from
    # that first update to the solve (5 h); next_response never started (the column is
    # no agent reply a message could follow).
    pol = sla_policy("first_response: {within: 2h, clock: office}, "
                     "periodic_update: {within: 4h, clock: office}, "
                     "next_response: {within: 2h, clock: office}")  # fmt: skip
    events = [("t1", "2026-01-05 11:00", "customer_message", None),
              ("t1", "2026-01-05 15:00", "status", "solved")]  # fmt: skip
    d = data([make_ticket(status="solved", first_response_at=at("2026-01-05 10:00"))], events)
    first = sla_row(pol, d, SOLVED, "first_response")
    assert (first["elapsed_seconds"], first["status"]) == (1 * H, "met")
    update = sla_row(pol, d, SOLVED, "periodic_update")
    assert (update["start_at"], update["stop_at"], update["elapsed_seconds"]) == (
        at("2026-01-05 10:00"), at("2026-01-05 15:00"), 5 * H)  # fmt: skip
    assert update["status"] == "breached"
    assert sla_row(pol, d, SOLVED, "next_response")["status"] == "none"


# 6. Periodic update ------------------------------------------------------------------


def test_a_reply_after_the_solve_does_not_extend_the_last_update_gap() -> None:
    # Created 09:00; replies 12:00 and 13:00; solved 14:00; a courtesy reply Tue 10:00.
    # The creation is no update (09:00-12:00 is first response's time); gaps: 1 h, then
    # 13:00 to the solve, 1 h. The reply after the solve ends nothing: longest 1 h, met.
    events = [("t1", "2026-01-05 12:00", "agent_reply", None),
              ("t1", "2026-01-05 13:00", "agent_reply", None),
              ("t1", "2026-01-05 14:00", "status", "solved"),
              ("t1", "2026-01-06 10:00", "agent_reply", None)]  # fmt: skip
    d = data([make_ticket(status="solved")], events)
    row = sla_row(sla_policy("periodic_update: {within: 2h, clock: office}"), d, SOLVED,
                  "periodic_update")  # fmt: skip
    assert (row["elapsed_seconds"], row["status"], row["occurrences"]) == (1 * H, "met", 2)


def test_a_ticket_never_replied_to_has_no_periodic_update() -> None:
    d = data([make_ticket()], [("t1", "2026-01-05 09:00", "customer_message", None)])
    row = sla_row(sla_policy("periodic_update: {within: 2h, clock: office}"), d,
                  "2026-01-06 16:00", "periodic_update")  # fmt: skip
    assert (row["status"], row["occurrences"]) == ("none", 0)


# 7. Counted statuses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "elapsed"),
    [
        # Mon 09:00-16:00 = 7 h: on hold 10-11, solved 12-14 before the reopen.
        ("resolution", 7 * H - 1 * H),  # every status but pending / on hold counts
        ("requester_wait", 7 * H - 2 * H),  # new, open, on hold count; solved does not
        ("agent_work", 7 * H - 1 * H - 2 * H),  # new and open only
    ],
)
def test_time_solved_before_a_reopen_counts_for_resolution_only(
    metric: str, elapsed: float
) -> None:
    events = [*REOPENED, ("t1", "2026-01-05 16:00", "status", "solved")]
    d = data([make_ticket(status="solved", solved_at=at("2026-01-05 16:00"))], events)
    row = sla_row(sla_policy(f"{metric}: {{within: 8h, clock: office}}"), d, SOLVED, metric)
    assert row["elapsed_seconds"] == elapsed


def test_a_ticket_closed_without_a_solve_stops_at_its_close_not_at_another_tickets_solve() -> None:
    # t1 is solved Wed 10:00; t2 is closed Mon 11:00 without a solve: its close is its
    # solve, 2 h after its creation, whatever t1 did later.
    events = [("t1", "2026-01-07 10:00", "status", "solved"),
              ("t2", "2026-01-05 11:00", "status", "closed")]  # fmt: skip
    d = data([make_ticket(status="solved"), make_ticket(id="t2", status="closed")], events)
    pol = sla_policy("resolution: {within: 8h, clock: office}")
    row = sla_row(pol, d, SOLVED, "resolution", "t2")
    assert (row["stop_at"], row["elapsed_seconds"]) == (at("2026-01-05 11:00"), 2 * H)
    assert sla_row(pol, d, SOLVED, "resolution")["stop_at"] == at("2026-01-07 10:00")
