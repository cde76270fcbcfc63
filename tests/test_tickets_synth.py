"""The synthetic ticket history: reproducible, canonical, self-consistent and realistic."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from charter.cli.synth_command import register
from charter.errors import UsageError
from charter.hours import OpeningHours
from charter.policy import load_policy_text
from charter.policy.clock import opening_hours
from charter.tickets import synth
from charter.tickets.dataset import TicketData, read_dataset
from charter.tickets.schema import EVENT_SCHEMA, TICKET_SCHEMA, check_events, check_tickets
from charter.tickets.synth import check_arguments, default_start, synthesize
from support import EXAMPLE_TEXT

LONDON = ZoneInfo("Europe/London")
ONE_US = np.timedelta64(1, "us")
UNSOLVED = ["new", "open", "pending", "on_hold"]


@cache
def small() -> TicketData:
    """A few thousand tickets over four months: enough for consistency checks."""
    return synthesize(3000, 120, 11)


@cache
def year() -> TicketData:
    """A year of 50,000 tickets: enough for the statistical checks to be safe from noise."""
    return synthesize(50_000, 365, 7)


@cache
def calendar(name: str) -> OpeningHours:
    policy = load_policy_text(EXAMPLE_TEXT).policy
    return opening_hours(policy, name, years=range(2024, 2029))


def instants(series: pl.Series) -> np.ndarray:
    return series.dt.replace_time_zone(None).to_numpy().astype("datetime64[us]")


def business_hours(frame: pl.DataFrame, start: str, end: str) -> np.ndarray:
    return calendar("uk-support").elapsed(instants(frame[start]), instants(frame[end])) / 3600


# Reproducibility


def test_the_same_seed_and_arguments_give_identical_frames() -> None:
    first, again = synthesize(2000, 60, 5), synthesize(2000, 60, 5)
    assert first.tickets.equals(again.tickets)
    assert first.events.equals(again.events)


def test_a_different_seed_gives_different_tickets_and_events() -> None:
    first, other = synthesize(2000, 60, 5), synthesize(2000, 60, 6)
    assert not first.tickets.equals(other.tickets)
    assert not first.events.equals(other.events)


def test_the_default_history_ends_on_the_last_day_before_november_2026() -> None:
    assert default_start(365) == dt.date(2025, 11, 1)
    assert default_start(1) == dt.date(2026, 10, 31)
    created = small().tickets["created_at"].dt.convert_time_zone("Europe/London").dt.date()
    assert created.min() >= dt.date(2026, 7, 3)  # 2026-11-01 minus 120 days
    assert created.max() == dt.date(2026, 10, 31)


def test_a_given_start_places_the_history_on_those_days() -> None:
    tickets = synthesize(500, 7, 1, start=dt.date(2025, 3, 3)).tickets
    created = tickets["created_at"].dt.convert_time_zone("Europe/London").dt.date()
    assert created.min() >= dt.date(2025, 3, 3)
    assert created.max() <= dt.date(2025, 3, 9)


def test_progress_is_reported_after_each_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "CHUNK_TICKETS", 1000)
    done: list[int] = []
    data = synthesize(2500, 30, 2, progress=done.append)
    assert done == [1000, 2000, 2500]
    assert data.tickets["id"].n_unique() == 2500


@pytest.mark.parametrize(
    ("tickets", "days", "seed", "start", "message"),
    [
        (0, 365, 7, None, "tickets must be at least 1, got 0"),
        (-5, 365, 7, None, "tickets must be at least 1, got -5"),
        (10, 0, 7, None, "days must be at least 1, got 0"),
        (10, 365, -1, None, "seed must be 0 or more"),
        (10, 40_000, 7, None, "days must be at most 36600"),
        (10, 365, 7, dt.date(1850, 1, 1), "within the years 1900-2199"),
        (10, 365, 7, dt.date(2199, 6, 1), "within the years 1900-2199"),
    ],
)
def test_arguments_that_cannot_be_used_are_refused_with_the_reason(
    tickets: int, days: int, seed: int, start: dt.date | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        check_arguments(tickets, days, seed, start)
    with pytest.raises(UsageError, match=message):
        synthesize(tickets, days, seed, start=start)


# The canonical schema and internal consistency


def test_the_frames_have_the_canonical_schemas_and_pass_every_check() -> None:
    data = small()
    assert dict(data.tickets.schema) == TICKET_SCHEMA
    assert dict(data.events.schema) == EVENT_SCHEMA
    assert check_tickets(data.tickets).rejects.height == 0
    assert check_events(data.events).rejects.height == 0
    assert data.tickets.height == 3000
    assert data.tickets["id"].n_unique() == 3000


def test_every_event_belongs_to_a_ticket_and_every_ticket_opens_with_a_customer_message() -> None:
    tickets, events = small().tickets, small().events
    assert events["ticket_id"].is_in(tickets["id"].implode()).all()
    opening = events.group_by("ticket_id", maintain_order=True).first()
    assert opening.height == tickets.height
    assert (opening["kind"] == "customer_message").all()
    joined = opening.join(tickets, left_on="ticket_id", right_on="id")
    assert (joined["at"] == joined["created_at"]).all()


def test_the_events_of_each_ticket_are_in_time_order() -> None:
    events = small().events
    steps = events.select(pl.col("at").diff().over("ticket_id").dt.total_microseconds())
    assert (steps.to_series().drop_nulls() >= 0).all()


def per_ticket(kind: str, status: str | None = None, last: bool = False) -> pl.DataFrame:
    events = small().events.filter(pl.col("kind") == kind)
    if status is not None:
        events = events.filter(pl.col("status") == status)
    grouped = events.group_by("ticket_id", maintain_order=True)
    return (grouped.last() if last else grouped.first()).rename({"ticket_id": "id"})


def test_first_response_is_the_first_agent_reply_and_not_before_creation() -> None:
    tickets = small().tickets.join(per_ticket("agent_reply"), on="id", how="left")
    assert tickets.height == 3000
    assert tickets["first_response_at"].equals(tickets["at"], check_names=False)
    answered = tickets.filter(pl.col("first_response_at").is_not_null())
    assert (answered["first_response_at"] >= answered["created_at"]).all()
    assert answered.height > 2900


def test_solved_at_is_the_solved_status_event() -> None:
    tickets = small().tickets.join(per_ticket("status", "solved"), on="id", how="left")
    assert tickets["solved_at"].equals(tickets["at"], check_names=False)
    assert tickets["solved_at"].is_not_null().sum() > 2900


def test_the_status_is_the_last_status_event_and_new_without_one() -> None:
    tickets = small().tickets.join(per_ticket("status", last=True), on="id", how="left")
    expected = tickets["status_right"].fill_null("new")
    assert tickets["status"].equals(expected, check_names=False)


def test_updated_at_is_the_last_event() -> None:
    last = small().events.group_by("ticket_id", maintain_order=True).agg(pl.col("at").max())
    tickets = small().tickets.join(last.rename({"ticket_id": "id"}), on="id")
    assert (tickets["updated_at"] == tickets["at"]).all()


@pytest.mark.parametrize(("segments", "calendar_name"), [(["consumer", "business"], "uk-support"),
                                                         (["us"], "us-support")])  # fmt: skip
def test_agent_replies_fall_inside_the_desks_opening_hours(
    segments: list[str], calendar_name: str
) -> None:
    ids = small().tickets.filter(pl.col("segment").is_in(segments))["id"].implode()
    replies = small().events.filter(pl.col("kind") == "agent_reply", pl.col("ticket_id").is_in(ids))
    at = instants(replies["at"])
    hours = calendar(calendar_name)
    inside_or_at_close = hours.is_open(at) | hours.is_open(at - ONE_US)
    assert replies.height > 250
    assert inside_or_at_close.all()


def test_a_pending_period_ends_with_the_customers_answer_or_the_solve() -> None:
    events = small().events.with_columns(
        after=pl.col("status").shift(-1).over("ticket_id"),
        next_kind=pl.col("kind").shift(-1).over("ticket_id"),
    )
    pending = events.filter(pl.col("status") == "pending", pl.col("next_kind").is_not_null())
    assert pending.height > 100
    assert set(pending["next_kind"].unique()) <= {"customer_message", "status"}
    assert set(pending["after"].drop_nulls().unique()) <= {"solved"}


# Realism


def test_events_average_about_five_a_ticket() -> None:
    ratio = year().events.height / year().tickets.height
    assert 4.0 <= ratio <= 6.0


@pytest.mark.parametrize(
    ("column", "value", "share"),
    [
        ("channel", "email", 0.45),
        ("channel", "chat", 0.25),
        ("channel", "phone", 0.20),
        ("channel", "web", 0.10),
        ("priority", "low", 0.20),
        ("priority", "normal", 0.55),
        ("priority", "high", 0.18),
        ("priority", "urgent", 0.07),
        ("segment", "consumer", 0.75),
        ("segment", "business", 0.15),
        ("segment", "us", 0.10),
    ],
)
def test_tickets_come_in_the_stated_mix(column: str, value: str, share: float) -> None:
    tickets = year().tickets
    observed = (tickets[column].cast(pl.String) == value).mean()
    assert observed == pytest.approx(share, abs=0.015)


def test_teams_categories_tags_and_assignees_take_their_known_values() -> None:
    tickets = year().tickets
    assert set(tickets["team"]) == {"tier-1", "tier-2", "billing", "resolutions"}
    assert set(tickets["category"]) == {"delivery", "returns", "billing", "product", "account"}
    assert set(tickets["tags"].explode().drop_nulls()) == {"vip", "refund", "damaged", "complaint"}
    assert tickets["assignee"].drop_nulls().str.contains(r"^agent-\d+$").all()
    billing = tickets.filter(pl.col("category") == "billing")
    assert (billing["team"] == "billing").mean() > 0.9


def test_weekdays_are_busier_than_weekends() -> None:
    local = year().tickets["created_at"].dt.convert_time_zone("Europe/London")
    days = local.dt.date().to_frame("day").group_by("day").len()
    days = days.with_columns(weekend=pl.col("day").dt.weekday() >= 6)
    weekday = days.filter(~pl.col("weekend"))["len"].mean()
    weekend = days.filter(pl.col("weekend"))["len"].mean()
    assert weekday > 1.8 * weekend  # type: ignore[operator]
    per_weekday = local.dt.weekday().value_counts().sort("created_at")["count"]
    assert per_weekday[0] == per_weekday.max()  # Monday busiest


def test_daytime_hours_are_far_busier_than_the_night() -> None:
    hour = year().tickets["created_at"].dt.convert_time_zone("Europe/London").dt.hour()
    uk = year().tickets["segment"] != "us"
    late_morning_and_afternoon = (hour.is_between(10, 14) & uk).sum()
    night = (hour.is_between(0, 4) & uk).sum()
    assert late_morning_and_afternoon > 10 * night


def test_tickets_from_busy_hours_wait_longer_in_business_time_than_quiet_hours() -> None:
    uk = year().tickets.filter(pl.col("segment") != "us", pl.col("first_response_at").is_not_null())
    uk = uk.with_columns(
        wait=pl.Series(business_hours(uk, "created_at", "first_response_at")),
        open=pl.Series(calendar("uk-support").is_open(instants(uk["created_at"]))),
        load=pl.len().over(pl.col("created_at").dt.truncate("1h")),
    ).filter("open")
    quiet, busy = uk["load"].quantile(0.25), uk["load"].quantile(0.75)
    quiet_wait = uk.filter(pl.col("load") <= quiet)["wait"].median()
    busy_wait = uk.filter(pl.col("load") >= busy)["wait"].median()
    assert busy_wait > 1.5 * quiet_wait  # type: ignore[operator]


def test_chat_is_answered_in_minutes_and_email_in_hours() -> None:
    uk = year().tickets.filter(pl.col("segment") != "us", pl.col("first_response_at").is_not_null())
    uk = uk.with_columns(wait=pl.Series(business_hours(uk, "created_at", "first_response_at")))
    medians = dict(uk.group_by("channel").agg(pl.col("wait").median()).iter_rows())
    assert medians["chat"] < 0.25
    assert 1 < medians["email"] < 8


def test_urgent_tickets_are_answered_faster_than_low_priority_ones() -> None:
    uk = year().tickets.filter(pl.col("segment") != "us", pl.col("first_response_at").is_not_null())
    uk = uk.with_columns(wait=pl.Series(business_hours(uk, "created_at", "first_response_at")))
    medians = dict(uk.group_by("priority").agg(pl.col("wait").median()).iter_rows())
    assert medians["urgent"] < 0.5 * medians["low"]


def test_csat_is_lower_for_the_slowest_quarter_than_the_fastest() -> None:
    rated = year().tickets.filter(pl.col("csat").is_not_null())
    rated = rated.with_columns(wait=pl.col("first_response_at") - pl.col("created_at"))
    fast, slow = rated["wait"].quantile(0.25), rated["wait"].quantile(0.75)
    fast_mean = rated.filter(pl.col("wait") <= fast)["csat"].mean()
    slow_mean = rated.filter(pl.col("wait") >= slow)["csat"].mean()
    assert fast_mean - slow_mean > 0.4  # type: ignore[operator]


@pytest.mark.parametrize(("score", "low", "high", "rate"), [("csat", 1, 5, 0.30),
                                                             ("nps", 0, 10, 0.15)])  # fmt: skip
def test_surveys_are_answered_by_a_share_of_solved_tickets_only(
    score: str, low: int, high: int, rate: float
) -> None:
    tickets = year().tickets
    answered = tickets.filter(pl.col(score).is_not_null())
    assert answered["solved_at"].is_not_null().all()
    assert answered[score].min() == low and answered[score].max() == high
    solved = tickets["solved_at"].is_not_null().sum()
    assert answered.height / solved == pytest.approx(rate, abs=0.02)


@pytest.mark.parametrize(("low", "high", "share"), [(1, 2, 0.7), (3, 3, 0.4), (4, 5, 0.25)])
def test_the_unhappy_comment_most_and_only_csat_answers_carry_a_comment(
    low: int, high: int, share: float
) -> None:
    tickets = year().tickets
    assert tickets.filter(pl.col("csat").is_null())["csat_comment"].is_null().all()
    scored = tickets.filter(pl.col("csat").is_between(low, high))
    commented = scored["csat_comment"].is_not_null().sum() / scored.height
    assert commented == pytest.approx(share, abs=0.03)


def test_a_comment_follows_its_score_and_a_complaint_its_category() -> None:
    commented = year().tickets.filter(pl.col("csat_comment").is_not_null())
    thanks = commented.filter(pl.col("csat_comment").str.contains("(?i)thank|great|quick"))
    assert thanks.height > 0 and (thanks["csat"] >= 4).all()
    # A late refund is a returns complaint: never from a delivery ticket, never happy.
    refunds = commented.filter(pl.col("csat_comment").str.contains("refund").and_(
        pl.col("csat") <= 2))  # fmt: skip
    assert refunds.height > 0 and set(refunds["category"]) == {"returns"}
    parcels = commented.filter(pl.col("csat_comment").str.contains("parcel|courier|delivery"),
                               pl.col("csat") <= 2)  # fmt: skip
    assert set(parcels["category"]) == {"delivery"}


def test_comments_leave_every_other_column_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    # Comments draw from a stream of their own: however many numbers they take, every
    # other column is what it was (so the figures of docs/synth.md still hold).
    data = synthesize(3000, 120, 11)

    def greedy(csat: np.ndarray, category: np.ndarray, rng: np.random.Generator) -> pl.Series:
        rng.random(10 * csat.size)  # takes far more numbers than the real comments do
        return pl.Series([None] * csat.size, dtype=pl.String)

    monkeypatch.setattr(synth, "draw_comments", greedy)
    greedy_data = synthesize(3000, 120, 11)
    assert greedy_data.tickets["csat_comment"].is_null().all()
    assert data.tickets.drop("csat_comment").equals(greedy_data.tickets.drop("csat_comment"))
    assert data.events.equals(greedy_data.events)


def test_some_of_the_newest_tickets_are_still_unsolved_and_old_ones_are_not() -> None:
    tickets = year().tickets.with_columns(unsolved=pl.col("status").is_in(UNSOLVED))
    end = dt.datetime(2026, 11, 1, tzinfo=LONDON).astimezone(dt.UTC)
    newest = tickets.filter(pl.col("created_at") >= end - dt.timedelta(days=2))
    oldest = tickets.filter(pl.col("created_at") < end - dt.timedelta(days=180))
    assert newest["unsolved"].mean() > 0.2  # type: ignore[operator]
    assert oldest["unsolved"].sum() == 0
    assert set(newest.filter("unsolved")["status"]) >= {"new", "pending"}


# The command


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Charter."""

    register(app)
    return app


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(make_app(), ["synth", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_synth_writes_a_parquet_dataset_that_reads_back(tmp_path: Path) -> None:
    code, output = run("--tickets", "1500", "--days", "30", "--seed", "3", "--out", tmp_path)
    assert code == 0, output
    assert "1,500 tickets" in output and "2026-10-02 to 2026-10-31" in output
    data = read_dataset(tmp_path)
    assert data.tickets.equals(synthesize(1500, 30, 3).tickets)
    assert data.events.height == synthesize(1500, 30, 3).events.height


def test_synth_csv_writes_canonical_columns_with_joined_tags_and_utc_times(tmp_path: Path) -> None:
    code, output = run("-n", "800", "--days", "20", "--start", "2025-06-02", "--format", "csv",
                       "--out", tmp_path)  # fmt: skip
    assert code == 0, output
    tickets = pl.read_csv(tmp_path / "tickets.csv", infer_schema=False)
    events = pl.read_csv(tmp_path / "events.csv", infer_schema=False)
    assert tickets.columns == list(TICKET_SCHEMA) and events.columns == list(EVENT_SCHEMA)
    assert tickets.height == 800
    assert tickets["created_at"].str.contains(r"^2025-06-\d\dT\d\d:\d\d:\d\dZ$").all()
    assert tickets["tags"].drop_nulls().str.contains(r"\|").any()
    assert not (tmp_path / "tickets.parquet").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tickets", "0"], "tickets must be at least 1"),
        (["--days", "0"], "days must be at least 1"),
        (["--start", "yesterday"], "not a date"),
        (["--start", "1800-01-01"], "within the years"),
    ],
)
def test_synth_bad_arguments_exit_2_with_the_reason(
    tmp_path: Path, args: list[str], message: str
) -> None:
    code, output = run(*args, "--out", tmp_path / "out")
    assert code == 2
    assert message in output
    assert not (tmp_path / "out").exists()


def test_synth_into_a_folder_it_cannot_create_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    code, output = run("--tickets", "10", "--out", blocker / "data")
    assert code == 2
    assert "cannot create the folder" in output
