"""Reading the dashboard's aggregates: a handful of grouped queries, each a few rows.

Every query sums ``ticket_daily`` rows within the chosen days and groups, or reads
the ``ticket_daily_times`` rows kept for exactly the chosen groups, so what reaches
Python is at most a row per day (or per day, measure and histogram bucket), never a
row per ticket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import ColumnElement, Date, Select, Table, and_, cast, func, select
from sqlalchemy.orm import Session

from charter.store.dashboard._refresh import FINEST, SPLITS, status_columns
from charter.store.models import DAILY_COUNTS, SPLIT_BITS, TicketDaily, TicketDailyTime

DAILY: Table = TicketDaily.__table__
TIMES: Table = TicketDailyTime.__table__
COUNTED = (*DAILY_COUNTS, *status_columns())
GROUPS = ("channel", "priority", "team")
KEPT = {*SPLITS, FINEST}  # the levels ticket_daily_times keeps


@dataclass(frozen=True)
class Scope:
    """Which groups the figures cover: None means every one."""

    channel: str | None = None
    priority: str | None = None
    team: str | None = None

    def where(self, table: Table) -> list[ColumnElement[bool]]:
        chosen = {"channel": self.channel, "priority": self.priority, "team": self.team}
        return [table.c[name] == value for name, value in chosen.items() if value is not None]


@dataclass(frozen=True)
class Stored:
    """What the aggregates hold at all: the groups seen, the days, and when computed."""

    groups: pl.DataFrame  # channel, priority, team
    first_day: dt.date | None
    last_day: dt.date | None
    as_of: dt.datetime | None

    def values(self, name: str) -> list[str]:
        return sorted(set(self.groups[name].to_list()))


def stored(session: Session) -> Stored:
    query = select(
        *(DAILY.c[g] for g in GROUPS),
        func.min(DAILY.c.day),
        func.max(DAILY.c.day),
        func.max(DAILY.c.as_of),
    ).group_by(*(DAILY.c[g] for g in GROUPS))
    rows = session.execute(query).all()
    groups = pl.DataFrame([r[:3] for r in rows], schema=list(GROUPS), orient="row")
    return Stored(
        groups,
        min((r[3] for r in rows), default=None),
        max((r[4] for r in rows), default=None),
        max((r[5] for r in rows), default=None),
    )


def _sums(columns: tuple[str, ...]) -> list[ColumnElement[int]]:
    return [func.sum(DAILY.c[c]).label(c) for c in columns]


def _frame(session: Session, query: Select[tuple[object, ...]], names: list[str]) -> pl.DataFrame:
    rows = session.execute(query).all()
    return pl.DataFrame(
        [tuple(r) for r in rows], schema=names, orient="row", infer_schema_length=None
    )


def per_day(session: Session, scope: Scope, start: dt.date, end: dt.date) -> pl.DataFrame:
    """``day`` and every count, summed over the groups in scope, for each day."""
    inside = and_(DAILY.c.day >= start, DAILY.c.day <= end, *scope.where(DAILY))
    query = select(DAILY.c.day, *_sums(COUNTED)).where(inside).group_by(DAILY.c.day)
    return _counts(_frame(session, query, ["day", *COUNTED]))


def per_group(session: Session, scope: Scope, start: dt.date, end: dt.date) -> pl.DataFrame:
    """``channel, priority, team`` and every count over the days, one row per group."""
    inside = and_(DAILY.c.day >= start, DAILY.c.day <= end, *scope.where(DAILY))
    keys = [DAILY.c[g] for g in GROUPS]
    query = select(*keys, *_sums(COUNTED)).where(inside).group_by(*keys)
    return _counts(_frame(session, query, [*GROUPS, *COUNTED]))


def backlog_before(session: Session, scope: Scope, start: dt.date) -> int:
    """Tickets created before ``start`` and not solved before it."""
    query = select(func.sum(DAILY.c.created) - func.sum(DAILY.c.solved)).where(
        DAILY.c.day < start, *scope.where(DAILY)
    )
    return int(session.execute(query).scalar() or 0)


def open_by_day(session: Session, scope: Scope) -> pl.DataFrame:
    """Open tickets now by the day they were created, with their clocks' states."""
    columns = ("open", "open_breached", "open_at_risk", *status_columns())
    query = (
        select(DAILY.c.day, *_sums(columns))
        .where(*scope.where(DAILY))
        .group_by(DAILY.c.day)
        .having(func.sum(DAILY.c.open) > 0)
    )
    return _counts(_frame(session, query, ["day", *columns]))


def times(
    session: Session, scope: Scope, start: dt.date, end: dt.date, *, by_day: bool
) -> pl.DataFrame:
    """``day, measure, bucket, tickets, seconds`` for the groups in scope.

    With no filter or one, the rows kept for exactly that level are read in key order;
    with more, the finest rows of the chosen groups are summed. Unless ``by_day``,
    days are summed into runs within one week and one month (``day`` is the run's first
    day), which still sum exactly into days' weeks, months, quarters and years."""
    chosen = {"channel": scope.channel, "priority": scope.priority, "team": scope.team}
    split = sum(SPLIT_BITS[name] for name, value in chosen.items() if value is not None)
    level = split if split in KEPT else FINEST
    dialect = session.get_bind().dialect.name
    day = TIMES.c.day if by_day else run_start(TIMES.c.day, dialect).label("run")
    keys = [day, TIMES.c.measure, TIMES.c.bucket]
    query = (
        select(*keys, func.sum(TIMES.c.tickets), func.sum(TIMES.c.seconds))
        .where(
            TIMES.c.split == level,
            *(TIMES.c[name] == value for name, value in chosen.items() if value is not None),
            TIMES.c.day >= start,
            TIMES.c.day <= end,
        )
        .group_by(*keys)
    )  # fmt: skip
    frame = _frame(session, query, ["day", "measure", "bucket", "tickets", "seconds"])
    return frame.cast(
        {"day": pl.Date, "measure": pl.String, "bucket": pl.Int32, "tickets": pl.Int64,
         "seconds": pl.Float64}
    )  # fmt: skip


def run_start(day: ColumnElement[dt.date], dialect: str) -> ColumnElement[dt.date]:
    """The later of the day's Monday and the first of its month."""
    if dialect == "postgresql":
        week, month = func.date_trunc("week", day), func.date_trunc("month", day)
        return cast(func.greatest(week, month), Date)
    monday = func.date(day, "-6 days", "weekday 1")  # the Monday on or before the day
    return func.max(monday, func.strftime("%Y-%m-01", day), type_=Date)


def _counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Sums as integers (PostgreSQL answers numeric for a sum of bigints), days as dates."""
    casts: dict[str, type[pl.DataType]] = {c: pl.Int64 for c in frame.columns if c in COUNTED}
    casts |= {c: pl.String for c in frame.columns if c in GROUPS}
    if "day" in frame.columns:
        casts["day"] = pl.Date
    return frame.cast(casts)  # type: ignore[arg-type]
