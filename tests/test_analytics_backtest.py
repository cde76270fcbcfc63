"""Backtests on hand-computed tickets: shares met, breakdowns, worst tickets, two drafts,
and recommended targets."""

from __future__ import annotations

import polars as pl
import pytest

from charter.analytics.backtest import backtest, latest_instant, side_by_side
from charter.analytics.recommend import recommend, round_up
from charter.policy import load_policy_text
from support.cases import backtest_tickets
from support.sla import WEEKDAYS, at, data


def draft(first_response: str) -> object:
    return load_policy_text(f"""
organisation: {{name: A, mission: M}}
calendars: [{{id: office, timezone: Europe/London, weekly: {{{WEEKDAYS}}}}}]
service_levels:
  rules: [{{id: main, targets: {{first_response: {{within: {first_response}, clock: office}}}}}}]
""").policy


def test_each_promise_reports_the_share_of_tickets_that_would_have_met_it() -> None:
    result = backtest(draft("2h"), backtest_tickets(), now=at("2026-01-12 09:00"))
    row = result.promises.row(0, named=True)
    assert (row["rule_id"], row["metric"], row["met"], row["breached"]) == (
        "main", "first_response", 3, 2,
    )  # fmt: skip
    assert row["share"] == pytest.approx(0.6) and row["kept"] is False


def test_breaches_are_broken_down_by_channel_and_hour() -> None:
    breaches = backtest(draft("2h"), backtest_tickets(), now=at("2026-01-12 09:00")).breaches
    by_channel = {
        r["value"]: (r["breached"], r["decided"])
        for r in breaches.filter(pl.col("by") == "channel").iter_rows(named=True)
    }
    assert by_channel == {"email": (1, 4), "chat": (1, 1)}
    hours = breaches.filter(pl.col("by") == "hour").rows(named=True)
    assert [(r["value"], r["breached"], r["decided"]) for r in hours] == [("9", 2, 5)]


def test_the_worst_tickets_are_furthest_over_their_target() -> None:
    worst = backtest(draft("2h"), backtest_tickets(), now=at("2026-01-12 09:00")).worst
    assert worst["ticket_id"].to_list() == ["t5", "t4"]
    assert worst["times_target"].to_list() == [2.5, 1.5]


def test_two_drafts_run_side_by_side_on_the_same_tickets() -> None:
    now = at("2026-01-12 09:00")
    table = side_by_side(backtest(draft("2h"), backtest_tickets(), now=now),
                         backtest(draft("4h"), backtest_tickets(), now=now))  # fmt: skip
    row = table.row(0, named=True)
    assert (row["share"], row["share_old"]) == (pytest.approx(0.6), pytest.approx(0.8))
    assert row["change_points"] == pytest.approx(-20.0)


@pytest.mark.parametrize(("share", "seconds"), [(0.8, 10800), (0.95, 18000), (0.2, 1800)])
def test_recommend_proposes_the_tightest_target_met_by_the_share(
    share: float, seconds: int
) -> None:
    sla = backtest(draft("2h"), backtest_tickets(), now=at("2026-01-12 09:00")).sla
    row = recommend(sla, share).row(0, named=True)
    assert (row["recommended_seconds"], row["tickets"]) == (seconds, 5)
    assert row["share_now"] == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("seconds", "rounded"),
    [(60, 300), (301, 600), (3600, 3600), (3601, 4500), (8 * 3600 + 1, 9 * 3600),
     (47.5 * 3600, 48 * 3600), (49 * 3600, 52 * 3600)],
)  # fmt: skip
def test_recommended_targets_are_rounded_up_to_what_people_promise(
    seconds: float, rounded: int
) -> None:
    assert round_up(seconds) == rounded


def test_now_defaults_to_the_latest_instant_in_the_data() -> None:
    assert latest_instant(backtest_tickets()) == at("2026-01-09 14:00")


def test_an_empty_ticket_set_cannot_be_backtested() -> None:
    with pytest.raises(ValueError, match="empty"):
        latest_instant(data([]))


def test_each_month_and_segment_is_judged_against_the_promised_share() -> None:
    table = backtest(draft("2h"), backtest_tickets(), now=at("2026-01-12 09:00")).attainment
    row = table.row(0, named=True)
    assert table.height == 1  # one month, one (missing) segment
    assert (row["met"], row["breached"], row["promised"], row["kept"]) == (3, 2, 1.0, False)
