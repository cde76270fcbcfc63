"""KPIs on hand-computed tickets: medians and p90, compliance, CSAT, NPS, backlog, volume,
first contact resolution, and targets with their trends and alerts.

Times are Europe/London wall clock in January (GMT = UTC); 2026-01-05 is a Monday.
The office calendar opens Mon-Fri 09:00-17:00. Percentiles are linear between
closest ranks: the p-th of n sorted values sits at position h = (n - 1) p (from 0),
value = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]); the median is p = 0.5.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from charter.analytics.kpis import KPI_SCHEMA, compare_with_targets, kpis
from charter.errors import UsageError
from charter.policy import load_policy_text
from charter.policy.people import Kpis
from charter.sla.evaluate import evaluate
from charter.tickets.dataset import TicketData
from support.sla import WEEKDAYS, H, at, data, make_ticket

POLICY = load_policy_text(f"""
organisation: {{name: A, mission: M}}
calendars:
  - {{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}
service_levels:
  rules:
    - {{id: main, targets: {{first_response: {{within: 2h, clock: office}},
                             resolution: {{within: 16h, clock: office}}}}}}
""").policy
NOW = "2026-01-21 12:00"  # Wednesday of week 3
WEEK = {1: dt.date(2026, 1, 5), 2: dt.date(2026, 1, 12), 3: dt.date(2026, 1, 19)}


def ticket(
    name: str, created: str, reply: str | None, solved: str | None, **more: Any
) -> dict[str, Any]:
    return make_ticket(
        id=name,
        created_at=at(created),
        first_response_at=at(reply) if reply else None,
        status="solved" if solved else "open",
        solved_at=at(solved) if solved else None,
        **more,
    )


# Business hours (office) and calendar hours of each clock, worked out by hand.
TICKETS = [
    # first response: 0.5 h / 0.5 h; resolution 3 h / 3 h
    ticket("a", "2026-01-05 09:00", "2026-01-05 09:30", "2026-01-05 12:00",
           csat=5, nps=10, channel="chat"),
    # reply Mon 16-17 + Tue 09-10 = 2 h (met: not over 2 h) / 18 h; solved 1 + 7 = 8 h / 24 h
    ticket("b", "2026-01-05 16:00", "2026-01-06 10:00", "2026-01-06 16:00", csat=4, nps=8),
    # Fri 16:30 -> Mon 09:30: 0.5 + 0.5 = 1 h / 65 h; solved Mon 17:00: 8.5 h / 72.5 h
    ticket("c", "2026-01-09 16:30", "2026-01-12 09:30", "2026-01-12 17:00", csat=2, nps=3),
    # reply 4 h / 4 h (breached); still open
    ticket("d", "2026-01-07 10:00", "2026-01-07 14:00", None, channel="chat"),
    # reply 1 h / 1 h; solved Mon 11:00: Thu 8 + Fri 8 + Mon 2 = 18 h (breached) / 98 h
    ticket("e", "2026-01-08 09:00", "2026-01-08 10:00", "2026-01-12 11:00", nps=9),
    # week 2: reply 0.25 h, solved 1 h
    ticket("f", "2026-01-13 09:00", "2026-01-13 09:15", "2026-01-13 10:00", csat=5),
    # week 2: never answered, never solved: running clocks
    ticket("g", "2026-01-16 09:00", None, None, channel="chat"),
    # week 3: solved only after now, so still open at now
    ticket("h", "2026-01-19 09:00", "2026-01-19 10:00", "2026-01-22 09:00"),
    # created after now: not counted at all
    ticket("i", "2026-01-21 13:00", None, None),
]  # fmt: skip


def table(tickets: list[dict] = TICKETS, events: list[Any] | None = None, **kw: Any) -> Any:
    d = data(tickets, events or [])
    sla = evaluate(POLICY, d, now=at(NOW))
    given = {"period": "week", "now": at(NOW), **kw}
    return kpis(d.tickets, sla, events=d.events if events is not None else None, **given)


def value(frame: pl.DataFrame, week: int, kpi: str, statistic: str, clock: str = "none") -> Any:
    rows = frame.filter(
        (pl.col("period") == WEEK[week])
        & (pl.col("kpi") == kpi)
        & (pl.col("statistic") == statistic)
        & (pl.col("clock") == clock)
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


@pytest.fixture(scope="module")
def weekly() -> pl.DataFrame:
    return table()


@pytest.mark.parametrize(
    ("kpi", "clock", "statistic", "expected", "count"),
    [
        # first response, week 1: business sorted 0.5, 1, 1, 2, 4 h
        ("first_response_time", "business", "median", 1 * H, 5),
        ("first_response_time", "business", "p90", (2 + 0.6 * (4 - 2)) * H, 5),  # h = 3.6
        ("first_response_time", "business", "mean", 8.5 / 5 * H, 5),
        # calendar sorted 0.5, 1, 4, 18, 65 h
        ("first_response_time", "calendar", "median", 4 * H, 5),
        ("first_response_time", "calendar", "p90", (18 + 0.6 * (65 - 18)) * H, 5),
        ("first_response_time", "calendar", "mean", 88.5 / 5 * H, 5),
        # resolution of the four solved: business 3, 8, 8.5, 18 h (d still open)
        ("resolution_time", "business", "median", (8 + 8.5) / 2 * H, 4),
        ("resolution_time", "business", "p90", (8.5 + 0.7 * (18 - 8.5)) * H, 4),  # h = 2.7
        ("resolution_time", "business", "mean", 37.5 / 4 * H, 4),
        # calendar 3, 24, 72.5, 98 h
        ("resolution_time", "calendar", "median", (24 + 72.5) / 2 * H, 4),
        ("resolution_time", "calendar", "p90", (72.5 + 0.7 * (98 - 72.5)) * H, 4),
        ("resolution_time", "calendar", "mean", 197.5 / 4 * H, 4),
    ],
)
def test_durations_give_median_p90_and_mean_on_each_clock(
    weekly: pl.DataFrame, kpi: str, clock: str, statistic: str, expected: float, count: int
) -> None:
    row = value(weekly, 1, kpi, statistic, clock)
    assert row["value"] == pytest.approx(expected)
    assert (row["count"], row["unit"]) == (count, "seconds")


@pytest.mark.parametrize(
    ("week", "kpi", "statistic", "expected", "count"),
    [
        (1, "sla_compliance.first_response", "share", 4 / 5, 5),  # d breached
        (1, "sla_compliance.resolution", "share", 3 / 4, 4),  # e breached, d running
        (2, "sla_compliance.first_response", "share", 1.0, 1),  # g running: left out
        (1, "csat", "share", 2 / 3, 3),  # 5, 4, 2
        (1, "csat_response_rate", "share", 3 / 4, 4),  # a, b, c answered of a, b, c, e
        (2, "csat", "share", 1.0, 1),
        (1, "nps", "points", 100 * (2 - 1) / 4, 4),  # 10 and 9 promote, 8 passive, 3 detracts
        (1, "volume", "count", 5, 5),
        (2, "volume", "count", 2, 2),
        (3, "volume", "count", 1, 1),  # i was created after now
        (1, "backlog", "count", 3, 3),  # at Mon 12 00:00: c, d, e (a, b solved)
        (2, "backlog", "count", 2, 2),  # at Mon 19 00:00: d, g
        (3, "backlog", "count", 3, 3),  # at now: d, g, h (h solved only after now)
    ],
)
def test_shares_points_and_counts_per_week(
    weekly: pl.DataFrame, week: int, kpi: str, statistic: str, expected: float, count: int
) -> None:
    row = value(weekly, week, kpi, statistic)
    assert (row["value"], row["count"]) == (pytest.approx(expected), count)


def test_weeks_start_on_monday_and_run_to_the_week_holding_now(weekly: pl.DataFrame) -> None:
    assert sorted(set(weekly["period"].to_list())) == list(WEEK.values())
    assert weekly["group"].null_count() == weekly.height
    assert weekly.schema == pl.Schema(KPI_SCHEMA)


def test_backlog_is_counted_at_weeks_without_any_ticket() -> None:
    quiet = [ticket("a", "2026-01-05 09:00", None, None),
             ticket("b", "2026-01-06 09:00", None, "2026-01-20 09:00")]  # fmt: skip
    frame = table(quiet).filter(pl.col("kpi").is_in(["backlog", "volume"]))
    got = frame.sort("kpi", "period").select("kpi", "period", "value").rows()
    assert got == [
        ("backlog", WEEK[1], 2.0),
        ("backlog", WEEK[2], 2.0),  # nothing happened in week 2
        ("backlog", WEEK[3], 1.0),
        ("volume", WEEK[1], 2.0),
        ("volume", WEEK[2], 0.0),
        ("volume", WEEK[3], 0.0),
    ]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", [(dt.date(2026, 1, 5), 2.0), (dt.date(2026, 1, 6), 1.0)]),
        ("month", [(dt.date(2026, 1, 1), 3.0), (dt.date(2026, 2, 1), 1.0)]),
    ],
)
def test_days_and_months_start_at_midnight_and_on_the_first(
    period: str, expected: list[tuple[dt.date, float]]
) -> None:
    few = [ticket("a", "2026-01-05 09:00", None, None),
           ticket("b", "2026-01-05 23:30", None, None),
           ticket("c", "2026-01-06 00:00", None, None),
           ticket("d", "2026-02-03 09:00", None, None)]  # fmt: skip
    frame = table(few, period=period, now=at("2026-02-03 12:00"))
    volume = frame.filter(pl.col("kpi") == "volume").sort("period")
    assert volume.select("period", "value").rows()[: len(expected)] == expected


def test_groups_split_every_kpi_by_the_chosen_column() -> None:
    frame = table(by="channel").filter(pl.col("period") == WEEK[1])

    def got(group: str, kpi: str, statistic: str) -> float:
        rows = frame.filter((pl.col("group") == group) & (pl.col("kpi") == kpi)
                            & (pl.col("statistic") == statistic))  # fmt: skip
        return float(rows.filter(pl.col("clock") != "calendar")["value"].item())

    assert (got("chat", "volume", "count"), got("email", "volume", "count")) == (2, 3)
    assert got("chat", "first_response_time", "median") == (0.5 + 4) / 2 * H  # a, d
    assert got("email", "csat", "share") == pytest.approx(1 / 2)  # b 4, c 2
    assert got("chat", "backlog", "count") == 1  # d


def test_a_group_has_rows_from_the_week_of_its_first_ticket() -> None:
    few = [ticket("a", "2026-01-05 09:00", None, None),
           ticket("b", "2026-01-13 09:00", None, None, channel="phone")]  # fmt: skip
    frame = table(few, by="channel").filter(pl.col("kpi") == "backlog")
    got = frame.sort("group", "period").select("group", "period", "value").rows()
    assert got == [
        ("email", WEEK[1], 1.0),
        ("email", WEEK[2], 1.0),
        ("email", WEEK[3], 1.0),
        ("phone", WEEK[2], 1.0),
        ("phone", WEEK[3], 1.0),
    ]


def test_clocks_stopped_after_now_are_unknown_even_in_a_later_sla_frame() -> None:
    d = data(TICKETS)
    later = evaluate(POLICY, d, now=at("2026-01-23 09:00"))  # h solved on the 22nd
    frame = kpis(d.tickets, later, period="week", now=at(NOW))
    week3 = frame.filter(pl.col("period") == WEEK[3])
    assert "sla_compliance.resolution" not in week3["kpi"].to_list()
    assert value(frame, 3, "sla_compliance.first_response", "share")["count"] == 1


REPLIES = [
    ("x", "2026-01-05 09:10", "agent_reply", None),
    ("y", "2026-01-05 09:10", "agent_reply", None),
    ("y", "2026-01-05 09:40", "agent_reply", None),
    ("w", "2026-01-05 09:10", "agent_reply", None),
    ("v", "2026-01-05 09:10", "agent_reply", None),
    ("v", "2026-01-21 15:00", "agent_reply", None),  # after now: not yet sent
]


def test_first_contact_resolution_is_solved_tickets_with_exactly_one_reply() -> None:
    solved = "2026-01-05 12:00"
    few = [
        ticket("x", "2026-01-05 09:00", None, solved),  # one reply: yes
        ticket("y", "2026-01-05 09:00", None, solved),  # two: no
        ticket("z", "2026-01-05 09:00", None, solved),  # none: no
        ticket("v", "2026-01-05 09:00", None, solved),  # one by now: yes
        ticket("w", "2026-01-05 09:00", None, None),  # unsolved: not counted
    ]
    row = value(table(few, REPLIES), 1, "first_contact_resolution", "share")
    assert (row["value"], row["count"]) == (2 / 4, 4)


def test_first_contact_resolution_is_left_out_without_events(weekly: pl.DataFrame) -> None:
    assert "first_contact_resolution" not in weekly["kpi"].to_list()


@pytest.mark.parametrize(
    ("given", "words"),
    [({"period": "year"}, "period as one of day, week, month"),
     ({"by": "assignee"}, "by as one of channel, priority, segment, team")],
)  # fmt: skip
def test_an_unknown_period_or_grouping_says_what_to_give(given: dict, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        table(**given)


def test_no_tickets_give_an_empty_table_of_the_kpi_columns() -> None:
    d = TicketData(data([make_ticket()]).tickets.clear(), data([]).events)
    frame = kpis(d.tickets, evaluate(POLICY, d, now=at(NOW)), period="week", now=at(NOW))
    assert (frame.height, frame.schema) == (0, pl.Schema(KPI_SCHEMA))


# Targets


def policy_kpis(*targets: dict[str, Any], alert_after: int = 3) -> Kpis:
    return Kpis.model_validate({"alert_after": alert_after, "targets": list(targets)})


def target(metric: str, goal: str | float, direction: str, **more: Any) -> dict[str, Any]:
    return {"id": f"k-{metric}", "metric": metric, "target": goal, "direction": direction, **more}


@pytest.mark.parametrize(
    ("spec", "met"),
    [
        # median business first response: week 1 exactly 1 h, week 2 0.25 h, week 3 1 h (h)
        (target("first_response_time", "1h", "at_most"), [True, True, True]),
        (target("first_response_time", "59m", "at_most"), [False, True, False]),
        # p90 calendar: 46.2 h, 0.25 h, 1 h
        (target("first_response_time", "46h", "at_most", statistic="p90", clock="calendar"),
         [False, True, True]),
        # 4/5, 1/1 (g running), 1/1 (h)
        (target("sla_compliance", "80%", "at_least", sla_metric="first_response"),
         [True, True, True]),
        (target("csat", "70%", "at_least"), [False, True]),  # 2/3, then 1/1
        (target("nps", 25, "at_least"), [True]),  # exactly 25 points
        (target("backlog", 2, "at_most"), [False, True, False]),  # 3, 2, 3
        (target("volume", 1, "at_least"), [True, True, True]),  # 5, 2, 1
    ],
)  # fmt: skip
def test_targets_are_met_or_missed_per_period(
    weekly: pl.DataFrame, spec: dict, met: list[bool]
) -> None:
    compared = compare_with_targets(weekly, policy_kpis(spec))
    assert compared["met"].to_list() == met
    assert set(compared["target_id"]) == {spec["id"]}


def test_duration_targets_are_compared_in_seconds(weekly: pl.DataFrame) -> None:
    ten_hours = policy_kpis(target("resolution_time", "10h", "at_most"))
    compared = compare_with_targets(weekly, ten_hours)
    first = compared.row(0, named=True)
    assert (first["target"], first["value"], first["met"]) == (36000.0, 8.25 * H, True)
    described = (first["statistic"], first["clock"], first["direction"])
    assert described == ("median", "business", "at_most")


def test_targets_charter_cannot_measure_are_absent(weekly: pl.DataFrame) -> None:
    odd = policy_kpis(
        target("handle_time", 5, "at_most"),
        target("sla_compliance", "90%", "at_least"),  # no sla_metric: the linter reports it
        target("first_contact_resolution", "70%", "at_least"),  # needs events
        target("volume", 10, "at_most"),
    )
    assert set(compare_with_targets(weekly, odd)["target_id"]) == {"k-volume"}


def weekly_values(values: list[float | None], kpi: str = "volume", group: str | None = None) -> Any:
    """KPI rows for consecutive weeks from 5 January; None leaves a week without a row."""
    weeks = [dt.date(2026, 1, 5) + dt.timedelta(weeks=n) for n in range(len(values))]
    frame = pl.DataFrame(
        {"period": weeks, "group": group, "kpi": kpi, "statistic": "count", "clock": "none",
         "value": values, "unit": "tickets", "count": [v and int(v) for v in values]},
        schema_overrides=KPI_SCHEMA,
    )  # fmt: skip
    return frame.drop_nulls("value")


@pytest.mark.parametrize(
    ("values", "direction", "trend"),
    [
        ([12.0, 10.0, 8.0, 6.0], "at_most", "improving"),  # falling, lower is better
        ([6.0, 8.0, 10.0, 12.0], "at_most", "worsening"),
        ([6.0, 8.0, 10.0, 12.0], "at_least", "improving"),
        ([12.0, 10.0, 8.0, 6.0], "at_least", "worsening"),
    ],
)
def test_the_trend_follows_the_slope_and_the_direction(
    values: list[float], direction: str, trend: str
) -> None:
    nine = policy_kpis(target("volume", 9, direction))
    compared = compare_with_targets(weekly_values(values), nine)
    assert set(compared["trend"]) == {trend}
    assert compared["slope"][0] == pytest.approx(2.0 if values[0] < values[-1] else -2.0)


@pytest.mark.parametrize(
    ("values", "alert"),
    [
        ([5.0, 11.0, 12.0, 13.0], True),  # three misses in a row at the end
        ([5.0, 5.0, 12.0, 13.0], False),  # only two
        ([11.0, 12.0, 13.0, 5.0], False),  # three, but met since
    ],
)
def test_an_alert_needs_the_target_missed_alert_after_periods_in_a_row_at_the_end(
    values: list[float], alert: bool
) -> None:
    kpis_ = policy_kpis(target("volume", 10, "at_most"), alert_after=3)
    compared = compare_with_targets(weekly_values(values), kpis_)
    assert set(compared["alert"]) == {alert}


def test_trends_and_alerts_are_per_group() -> None:
    both = pl.concat([weekly_values([11.0, 12.0], group="chat"),
                      weekly_values([5.0, 4.0], group="email")])  # fmt: skip
    ten = policy_kpis(target("volume", 10, "at_most"), alert_after=2)
    compared = compare_with_targets(both, ten)
    per_group = compared.group_by("group").agg(pl.col("alert", "trend").first()).sort("group")
    assert per_group.rows() == [("chat", True, "worsening"), ("email", False, "improving")]


def test_a_week_without_a_value_keeps_its_place_in_the_slope_and_ends_a_streak() -> None:
    gap = weekly_values([10.0, 8.0, None, 4.0])
    values = pl.concat([gap, weekly_values([1.0, 1.0, 1.0, 1.0], kpi="backlog")])
    compared = compare_with_targets(values, policy_kpis(target("volume", 3, "at_most"),
                                                        alert_after=2))  # fmt: skip
    assert compared["met"].to_list() == [False, False, False]
    # weeks 0, 1, 3: x̄ = 4/3, ȳ = 22/3; Σdx·dy = -84/9, Σdx² = 42/9 (consecutive: -3)
    assert compared["slope"][0] == pytest.approx(-2.0)
    assert (compared["streak"][0], compared["alert"][0]) == (1, False)


def test_no_measurable_target_gives_an_empty_comparison(weekly: pl.DataFrame) -> None:
    compared = compare_with_targets(weekly, policy_kpis(target("handle_time", 5, "at_most")))
    assert compared.height == 0
    assert compared.columns[:3] == ["target_id", "name", "kpi"]
