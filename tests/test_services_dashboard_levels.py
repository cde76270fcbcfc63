"""The dashboard's response-time histograms at each level a filter reads, and the runs of
days a year's view sums them into: both must add up exactly to the finest rows."""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest
from alembic import command
from sqlalchemy import Date, literal, select, text

from charter.services.dashboard import Dashboard, dashboard, with_period
from charter.services.tickets import import_tickets
from charter.store import Database
from charter.store import dashboard as read
from charter.store.models import TicketDailyTime
from charter.tickets.importing import ImportResult
from charter.tickets.schema import empty_rejects
from charter.tickets.synth import synthesize
from support.seed import publish_example

GROUPS = ("channel", "priority", "team")
SPLIT = {"channel": 1, "priority": 2, "team": 4}
TIMES = ["day", "measure", "bucket"]


def _seed_two_months(database: Database) -> None:
    """Tickets from 20 September to 19 November 2026: weeks that straddle two months."""
    publish_example(database)
    data = synthesize(400, 60, 11, start=dt.date(2026, 9, 20))
    import_tickets(database, ImportResult(data.tickets, data.events, empty_rejects()),
                   source="synthetic", batch_size=200)  # fmt: skip


def _rows(database: Database, split: int) -> pl.DataFrame:
    table = TicketDailyTime.__table__
    names = [*GROUPS, *TIMES, "tickets", "seconds"]
    query = select(*(table.c[name] for name in names)).where(table.c.split == split)
    with database.reading() as session:
        found = [tuple(row) for row in session.execute(query)]
    frame = pl.DataFrame(found, schema=names, orient="row", infer_schema_length=None)
    return frame.cast({"day": pl.Date, "bucket": pl.Int32, "tickets": pl.Int64})


def _summed(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return frame.group_by(keys).agg(pl.col("tickets").sum(), pl.col("seconds").sum()).sort(keys)


def _same(got: pl.DataFrame, wanted: pl.DataFrame) -> None:
    assert got.drop("seconds").equals(wanted.drop("seconds")), (got, wanted)
    gap = (got["seconds"] - wanted["seconds"]).abs().max()
    assert gap is None or float(gap) <= 1e-6 * max(1.0, float(wanted["seconds"].abs().max()))


def test_each_kept_level_sums_the_finest_rows_over_the_groups_it_leaves_out(
    database: Database,
) -> None:
    _seed_two_months(database)
    finest = _rows(database, 7)
    assert finest.height > 100 and finest["tickets"].sum() > 400  # several measures a ticket
    for kept in [(), ("channel",), ("priority",), ("team",)]:
        level = _rows(database, sum(SPLIT[g] for g in kept))
        assert all((level[g] == "").all() for g in GROUPS if g not in kept)
        keys = [*kept, *TIMES]
        _same(_summed(level, keys), _summed(finest, keys))
        assert level.height == _summed(finest, keys).height  # one row per key, already summed


@pytest.mark.parametrize("size", [0, 1, 2, 3])
def test_any_filter_reads_the_finest_rows_of_its_groups_summed(
    database: Database, size: int
) -> None:
    _seed_two_months(database)
    finest = _rows(database, 7)
    start, end = dt.date(2026, 9, 1), dt.date(2026, 11, 30)
    for chosen in itertools.combinations(GROUPS, size):
        first = finest.row(0, named=True)  # a group that holds tickets
        scope = read.Scope(**{g: first[g] for g in chosen})
        with database.reading() as session:
            got = read.times(session, scope, start, end, by_day=True)
        inside = finest.filter(*(pl.col(g) == first[g] for g in chosen)) if chosen else finest
        _same(_summed(got, TIMES), _summed(inside, TIMES))


def test_runs_of_days_sum_exactly_into_weeks_and_months(database: Database) -> None:
    _seed_two_months(database)
    start, end = dt.date(2026, 9, 1), dt.date(2026, 11, 30)
    with database.reading() as session:
        days = read.times(session, read.Scope(), start, end, by_day=True)
        runs = read.times(session, read.Scope(), start, end, by_day=False)
    assert runs.height < days.height
    for step in ("week", "month"):
        keys = ["period", "measure", "bucket"]
        _same(_summed(with_period(runs, step), keys), _summed(with_period(days, step), keys))


def test_a_run_starts_on_the_later_of_its_monday_and_the_first_of_its_month(
    database: Database,
) -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(400)]
    dialect = database.dialect
    with database.reading() as session:
        for day in days:
            got = session.execute(select(read.run_start(literal(day, Date), dialect))).scalar()
            monday = day - dt.timedelta(days=day.weekday())
            wanted = max(monday, day.replace(day=1))
            assert dt.date.fromisoformat(str(got)[:10]) == wanted, day


def _figures(board: Dashboard) -> dict[tuple[str, str, str], float]:
    return {(f["kpi"], f["statistic"], f["clock"]): f["value"] for f in board.figures}


def test_a_quarters_figures_are_those_its_months_days_give(database: Database) -> None:
    _seed_two_months(database)
    quarter = dashboard(database, {"period": "2026-Q4"})  # runs of days
    daily = dashboard(database, {"period": "2026-Q4", "every": "day"})  # days
    assert quarter.problem == "" and daily.problem == ""
    assert _figures(quarter) == pytest.approx(_figures(daily), rel=1e-9)
    assert [t.value for t in quarter.targets] == [t.value for t in daily.targets]


def test_the_migration_keeps_the_histograms_and_sums_the_levels_from_them(
    database: Database,
) -> None:
    config = database._alembic()
    command.downgrade(config, "0003")
    try:
        insert = text(
            "INSERT INTO ticket_daily_times (day, channel, priority, team, measure, bucket, "
            "tickets, seconds) VALUES (:day, :channel, 'high', :team, 'm', 3, :n, :s)"
        )
        rows = [
            {"day": dt.date(2026, 10, 1), "channel": "email", "team": "a", "n": 2, "s": 30.0},
            {"day": dt.date(2026, 10, 1), "channel": "chat", "team": "a", "n": 5, "s": 70.0},
            {"day": dt.date(2026, 10, 1), "channel": "chat", "team": "b", "n": 1, "s": 11.0},
        ]
        with database.transaction() as session:
            session.execute(insert, rows)
        database.upgrade()
        assert _rows(database, 7).height == 3
        by_channel = _rows(database, 1).sort("channel")
        assert by_channel.select("channel", "tickets", "seconds").rows() == [
            ("chat", 6, 81.0),
            ("email", 2, 30.0),
        ]
        assert _rows(database, 0).select("tickets", "seconds").rows() == [(8, 111.0)]
        assert _rows(database, 4).sort("team").select("team", "tickets").rows() == [
            ("a", 7),
            ("b", 1),
        ]
        command.downgrade(config, "0003")
        with database.reading() as session:
            back = session.execute(text("SELECT sum(tickets), count(*) FROM ticket_daily_times"))
            assert tuple(back.one()) == (8, 3)
    finally:
        database.upgrade()
