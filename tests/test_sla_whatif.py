"""Live what-if: one promise's target tried on past tickets, counted by hand, and the
same counts as a full evaluation under the edited policy.

Times are Europe/London wall clock; January dates are GMT (= UTC). 2026-01-05 is a
Monday. ``office`` opens Mon-Fri 09:00-17:00 (England's bank holidays).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from typing import Any

import polars as pl
import pytest

from charter.analytics.backtest import latest_instant
from charter.errors import InvalidInput
from charter.policy import load_policy_text
from charter.sla.evaluate import evaluate
from charter.sla.whatif import WhatIf, prepare_whatif, what_if
from charter.tickets.dataset import TicketData
from charter.tickets.synth import synthesize
from support.sla import at, data, make_ticket, sla_policy

# First responses on office, now Wed 7 Jan 11:30 (business seconds in comments):
REPLIES = data([
    # 09:00 -> 10:30: 1.5 h. Met under 2 h and 4 h.
    make_ticket(id="t1", first_response_at=at("2026-01-05 10:30")),
    # 09:00 -> 12:00: 3 h. Breached under 2 h (due 11:00), met under 4 h (due 13:00).
    make_ticket(id="t2", first_response_at=at("2026-01-05 12:00")),
    # Mon 16:00 -> Tue 10:30: 1 h + 1.5 h = 2.5 h. 2 h due Tue 10:00: breached; 4 h due
    # Tue 12:00: met.
    make_ticket(id="t3", created_at=at("2026-01-05 16:00"),
                first_response_at=at("2026-01-06 10:30")),
    # 09:00 -> 14:00: 5 h. Breached under both.
    make_ticket(id="t4", first_response_at=at("2026-01-05 14:00")),
    # Mon 15:30 -> Tue 09:30: 1.5 h + 0.5 h = 2 h, replied at the 2 h due instant: met.
    make_ticket(id="t5", created_at=at("2026-01-05 15:30"),
                first_response_at=at("2026-01-06 09:30")),
    # Wed 10:00, no reply by 11:30: 1.5 h, still running under both: not decided.
    make_ticket(id="t6", created_at=at("2026-01-07 10:00")),
    # Wed 09:00, no reply by 11:30: 2.5 h. Past the 2 h due (11:00): breached; under 4 h
    # (due 13:00) still running: not decided.
    make_ticket(id="t7", created_at=at("2026-01-07 09:00")),
])  # fmt: skip
REPLIES_NOW = at("2026-01-07 11:30")


def counted(result: WhatIf) -> tuple[int, int, int, int]:
    return result.met_now, result.breached_now, result.met_then, result.breached_then


def evaluated(policy: Any, tickets: TicketData, now: dt.datetime, rule: str, metric: str
              ) -> tuple[int, int]:  # fmt: skip
    sla = evaluate(policy, tickets, now=now)
    mine = sla.filter((pl.col("rule_id") == rule) & (pl.col("metric") == metric))
    return int((mine["status"] == "met").sum()), int((mine["status"] == "breached").sum())


def test_first_responses_on_office_hours_meet_a_4h_target_four_times_where_2h_met_two() -> None:
    policy = sla_policy("first_response: {within: 2h, clock: office}")
    base = prepare_whatif(policy, REPLIES, now=REPLIES_NOW)
    result = what_if(base, "main", "first_response", within="4h")
    # 2 h: met t1, t5; breached t2, t3, t4, t7. 4 h: met t1, t2, t3, t5; breached t4.
    assert counted(result) == (2, 4, 4, 1)
    assert (result.share_now, result.share_then) == (2 / 6, 4 / 5)
    assert result.tickets == 7
    assert (result.within_now, result.within_then) == ("2h", "4h")
    edited = sla_policy("first_response: {within: 4h, clock: office}")
    assert evaluated(edited, REPLIES, REPLIES_NOW, "main", "first_response") == (4, 1)


def test_the_target_in_force_proposed_again_gives_todays_counts() -> None:
    policy = sla_policy("first_response: {within: 4h, clock: office}")
    base = prepare_whatif(policy, REPLIES, now=REPLIES_NOW)
    # Judged from the prepared runs under 4 h, as today's figures are.
    assert counted(what_if(base, "main", "first_response", within="240m")) == (4, 1, 4, 1)


# Resolutions on 24x7 with pending time, now Mon 5 Jan 22:00:
RESOLUTIONS = data(
    [make_ticket(id=t, status=s) for t, s in
     (("r1", "solved"), ("r2", "solved"), ("r3", "solved"), ("r5", "pending"))]
    + [make_ticket(id="r4", status="solved", created_at=at("2026-01-05 17:00"))],
    [
        # 09:00 -> 10:30: 1.5 h. Met under both.
        ("r1", "2026-01-05 10:30", "status", "solved"),
        # Pending 10:00-13:00 began after 1 h of clock: under 2 h the due moves from
        # 11:00 by 3 h to 14:00; solved 13:30 (1.5 h of clock): met under both.
        ("r2", "2026-01-05 10:00", "status", "pending"),
        ("r2", "2026-01-05 13:00", "status", "open"),
        ("r2", "2026-01-05 13:30", "status", "solved"),
        # Pending 11:30-12:00 began after 2.5 h: past the 2 h due (11:00), it moves
        # nothing, solved 13:15: breached. Under 4 h it began with time left: due 13:00
        # + 0.5 h = 13:30; solved 13:15 (3.75 h of clock): met.
        ("r3", "2026-01-05 11:30", "status", "pending"),
        ("r3", "2026-01-05 12:00", "status", "open"),
        ("r3", "2026-01-05 13:15", "status", "solved"),
        # 17:00 -> 20:00: 3 h around the clock. Breached under 2 h, met under 4 h.
        ("r4", "2026-01-05 20:00", "status", "solved"),
        # Pending from 10:00 (1 h of clock) to now: no due instant under either, not
        # decided.
        ("r5", "2026-01-05 10:00", "status", "pending"),
    ],
)  # fmt: skip
RESOLUTIONS_NOW = at("2026-01-05 22:00")


def test_resolutions_around_the_clock_with_pauses_meet_4h_four_times_where_2h_met_two() -> None:
    policy = sla_policy("resolution: {within: 2h, clock: 24x7}")
    base = prepare_whatif(policy, RESOLUTIONS, now=RESOLUTIONS_NOW)
    result = what_if(base, "main", "resolution", within="4h")
    # 2 h: met r1, r2; breached r3, r4. 4 h: met r1, r2, r3, r4. r5 waits in pending.
    assert counted(result) == (2, 2, 4, 0)
    assert (result.share_now, result.share_then) == (0.5, 1.0)
    edited = sla_policy("resolution: {within: 4h, clock: 24x7}")
    assert evaluated(edited, RESOLUTIONS, RESOLUTIONS_NOW, "main", "resolution") == (4, 0)


# Resolutions in working days of office, now Fri 16 Jan 12:00:
WORKING_DAYS = data(
    [make_ticket(id=t, status="solved", created_at=at(c)) for t, c in (
        ("w1", "2026-01-05 10:00"), ("w2", "2026-01-05 10:00"), ("w3", "2026-01-05 18:00"),
        ("w4", "2026-01-05 10:00"), ("w5", "2026-01-09 10:00"))],
    [
        # Mon 10:00: 1 wd is due Tue 17:00, 2 wd Wed 17:00. Solved Tue 16:00: met both.
        ("w1", "2026-01-06 16:00", "status", "solved"),
        # Solved Wed 10:00: breached under 1 wd, met under 2 wd.
        ("w2", "2026-01-07 10:00", "status", "solved"),
        # Mon 18:00, after the close: day 0 is Tue, 1 wd due Wed 17:00, 2 wd Thu 17:00.
        # Solved Wed 16:00: met both.
        ("w3", "2026-01-07 16:00", "status", "solved"),
        # Solved Thu 09:30: breached under both.
        ("w4", "2026-01-08 09:30", "status", "solved"),
        # Fri 9 Jan 10:00: the weekend is no working day, 1 wd is due Mon 12 17:00.
        # Solved Mon 16:00: met both.
        ("w5", "2026-01-12 16:00", "status", "solved"),
    ],
)  # fmt: skip
WORKING_DAYS_NOW = at("2026-01-16 12:00")


def test_resolutions_in_working_days_meet_2wd_four_times_where_1wd_met_three() -> None:
    policy = sla_policy("resolution: {within: 1wd, clock: office}")
    base = prepare_whatif(policy, WORKING_DAYS, now=WORKING_DAYS_NOW)
    result = what_if(base, "main", "resolution", within="2wd")
    # 1 wd: met w1, w3, w5; breached w2, w4. 2 wd: met w1, w2, w3, w5; breached w4.
    assert counted(result) == (3, 2, 4, 1)
    edited = sla_policy("resolution: {within: 2wd, clock: office}")
    assert evaluated(edited, WORKING_DAYS, WORKING_DAYS_NOW, "main", "resolution") == (4, 1)


def test_an_attainment_change_alone_keeps_the_counts_and_moves_the_verdict() -> None:
    policy = sla_policy("first_response: {within: 2h, clock: office, attainment: 80%}")
    base = prepare_whatif(policy, REPLIES, now=REPLIES_NOW)
    result = what_if(base, "main", "first_response", attainment="30%")
    # 2 of 6 decided met: 33 % is under the 80 % promised, over 30 %.
    assert counted(result) == (2, 4, 2, 4)
    assert (result.attainment_now, result.attainment_then) == (0.8, 0.3)
    assert (result.kept_now, result.kept_then) == (False, True)
    # 4 h with 80 %: 4 of 5 is exactly 80 %: kept.
    assert what_if(base, "main", "first_response", within="4h").kept_then is True
    assert what_if(base, "main", "first_response", within="4h", attainment=0.81).kept_then is False


def test_a_promise_without_attainment_has_no_kept_verdict() -> None:
    base = prepare_whatif(sla_policy("first_response: {within: 2h, clock: office}"),
                          REPLIES, now=REPLIES_NOW)  # fmt: skip
    result = what_if(base, "main", "first_response", within="4h")
    assert (result.attainment_now, result.kept_now, result.kept_then) == (None, None, None)


def test_by_month_counts_each_ticket_in_its_creation_month_and_leaves_out_older_ones() -> None:
    # 24x7 first responses, now Wed 7 Jan 2026: the window is Feb 2025 to Jan 2026.
    tickets = data([
        make_ticket(id="m1", created_at=at("2025-12-01 09:00"),
                    first_response_at=at("2025-12-01 10:00")),  # 1 h: met under both
        make_ticket(id="m2", created_at=at("2025-12-01 09:00"),
                    first_response_at=at("2025-12-01 12:00")),  # 3 h: 2 h no, 4 h yes
        make_ticket(id="m3", created_at=at("2026-01-05 09:00"),
                    first_response_at=at("2026-01-05 12:00")),  # 3 h: 2 h no, 4 h yes
        make_ticket(id="old", created_at=at("2025-01-20 09:00"),
                    first_response_at=at("2025-01-20 09:10")),  # Jan 2025: outside
    ])  # fmt: skip
    policy = sla_policy("first_response: {within: 2h, clock: 24x7}")
    base = prepare_whatif(policy, tickets, now=REPLIES_NOW)
    result = what_if(base, "main", "first_response", within="4h")
    assert result.tickets == 3
    assert counted(result) == (1, 2, 3, 0)
    months = {m: (a, b) for m, a, b in result.by_month}
    assert list(months) == [f"2025-{n:02d}" for n in range(2, 13)] + ["2026-01"]
    assert months["2025-12"] == (0.5, 1.0)
    assert months["2026-01"] == (0.0, 1.0)
    assert months["2025-06"] == (None, None)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"rule_id": "nope"}, "rule_id", "no rule 'nope'; the rules are main"),
        ({"metric": "resolution"}, "metric", "sets no target for 'resolution'"),
        ({"within": "4 parsecs"}, "within", "is not a duration"),
        ({"within": "0h"}, "within", "zero"),
        ({"attainment": "150%"}, "attainment", "outside 0-100 %"),
        ({"attainment": 0}, "attainment", "outside 0-100 %"),
        ({"attainment": "most"}, "attainment", "is not a share"),
        ({"clock": "desk"}, "clock", "keeps the target's clock 'office'"),
    ],
)
def test_a_bad_what_if_is_refused_naming_the_field(
    change: dict[str, Any], field: str, words: str
) -> None:
    base = prepare_whatif(sla_policy("first_response: {within: 2h, clock: office}"),
                          REPLIES, now=REPLIES_NOW)  # fmt: skip
    arguments: dict[str, Any] = {"rule_id": "main", "metric": "first_response", **change}
    rule, metric = arguments.pop("rule_id"), arguments.pop("metric")
    with pytest.raises(InvalidInput, match=re.escape(words)) as raised:
        what_if(base, rule, metric, **arguments)
    assert str(raised.value).startswith(f"{field}: ")


def test_a_window_of_no_months_is_refused() -> None:
    policy = sla_policy("first_response: {within: 2h, clock: office}")
    with pytest.raises(InvalidInput, match="^months: 0"):
        prepare_whatif(policy, REPLIES, now=REPLIES_NOW, months=0)


# The same counts as evaluate, on a synthetic year under the example policy -----------

EXAMPLE = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def year() -> tuple[TicketData, dt.datetime]:
    tickets = synthesize(3000, 365, 7)
    return tickets, latest_instant(tickets)


def _edited(rule: str, metric: str, field: str, value: str) -> Any:
    head, rest = EXAMPLE.split(f"- id: {rule}\n", 1)
    block, sep, tail = rest.partition("\n    - id:")
    line = re.search(rf"^ *{metric}: \{{.*\}}$", block, flags=re.MULTILINE)
    assert line is not None
    new = re.sub(rf"{field}: [^,}}]+", f"{field}: {value}", line.group(0))
    return load_policy_text(head + f"- id: {rule}\n" + block.replace(line.group(0), new)
                            + sep + tail).policy  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "metric", "field", "value"),
    [
        ("sl-default", "first_response", "within", "4h"),  # business hours
        ("sl-default", "first_response", "within", "30m"),
        ("sl-us", "resolution", "within", "8h"),  # New York's calendar, with pauses
        ("sl-chat", "resolution", "within", "12h"),  # 24x7
        ("sl-chat", "first_response", "within", "2h"),
        ("sl-default", "resolution", "within", "3wd"),  # working days, with pauses
        ("sl-phone", "first_response", "within", "1wd"),
        ("sl-urgent", "next_response", "within", "30m"),  # several runs a ticket
        ("sl-default", "next_response", "within", "2wd"),
        ("sl-default", "resolution", "attainment", "99%"),  # attainment only
    ],
)
def test_what_if_counts_equal_a_full_evaluation_of_the_edited_policy(
    year: tuple[TicketData, dt.datetime], rule: str, metric: str, field: str, value: str
) -> None:
    tickets, now = year
    base = prepare_whatif(load_policy_text(EXAMPLE).policy, tickets, now=now)
    result = what_if(base, rule, metric, **{field: value})
    sla = evaluate(_edited(rule, metric, field, value), tickets, now=now)
    mine = sla.filter((pl.col("rule_id") == rule) & (pl.col("metric") == metric)).join(
        tickets.tickets.select(pl.col("id").alias("ticket_id"), "created_at"), on="ticket_id"
    )
    # The window: the 12 calendar months to now's.
    first = dt.datetime(now.year - 1 + (now.month == 12), now.month % 12 + 1, 1, tzinfo=dt.UTC)
    mine = mine.filter(pl.col("created_at") >= first)
    status = mine["status"].cast(pl.String)
    assert (result.met_then, result.breached_then) == (
        int((status == "met").sum()), int((status == "breached").sum()))  # fmt: skip
    assert result.met_then + result.breached_then > 0
    monthly = (
        mine.with_columns(pl.col("created_at").dt.strftime("%Y-%m").alias("month"))
        .group_by("month")
        .agg(((status := pl.col("status").cast(pl.String)) == "met").sum().alias("met"),
             status.is_in(["met", "breached"]).sum().alias("decided"))
    )  # fmt: skip
    expected = {m: met / d for m, met, d in monthly.iter_rows() if d}
    assert {m: then for m, _, then in result.by_month if then is not None} == expected
    if field == "within":
        assert result.met_then != result.met_now or result.breached_then != result.breached_now


def test_a_window_without_tickets_has_no_shares_in_any_month() -> None:
    # The only ticket is from January 2024, before the Feb 2025 - Jan 2026 window.
    old = data([make_ticket(created_at=at("2024-01-05 09:00"),
                            first_response_at=at("2024-01-05 09:30"))])  # fmt: skip
    base = prepare_whatif(sla_policy("first_response: {within: 2h, clock: office}"), old,
                          now=REPLIES_NOW)  # fmt: skip
    result = what_if(base, "main", "first_response", within="4h")
    assert (result.tickets, result.share_now, result.share_then) == (0, None, None)
    assert [(now, then) for _, now, then in result.by_month] == [(None, None)] * 12
