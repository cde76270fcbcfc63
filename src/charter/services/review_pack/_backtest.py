"""Section g: the proposed draft backtested against the live version, on the same stored
tickets, promise by promise.

The proposed draft is the newest version on its way to publishing (a draft, or in
review, approved or in pilot), or the one the reader picks. Both versions judge every
stored ticket as of the latest instant the tickets know (``charter.analytics.backtest``,
as ``charter backtest`` and ``POST /api/backtests`` do); the clock runs are measured
once for both (``prepare``). The result is kept in memory per pair of versions and
refresh of the dashboard's aggregates, so reading the pack again costs nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from charter import figures
from charter.analytics.backtest import backtest, side_by_side
from charter.errors import InvalidInput
from charter.policy.service_level import METRIC_WORDS
from charter.services.dashboard import aggregates_as_of
from charter.services.lifecycle import Version, get_version
from charter.services.review_pack._values import BacktestLine, DraftTest
from charter.services.tickets import read_ticket_data
from charter.sla.evaluate import prepare
from charter.store import Database

PROPOSED = ("draft", "in_review", "approved", "pilot")


def proposed(versions: list[Version], live: Version, asked: int | None) -> Version | None:
    """The draft the pack tests: ``asked`` (checked), else the newest proposed one."""
    if asked is None:
        chosen = [v for v in versions if v.status in PROPOSED and v.number != live.number]
        return max(chosen, key=lambda v: v.number) if chosen else None
    found = next((v for v in versions if v.number == asked), None)
    if found is None or found.status not in PROPOSED:
        names = ", ".join(str(v.number) for v in versions if v.status in PROPOSED) or "none"
        what = (
            f"the policy has no version {asked}"
            if found is None
            else f"version {asked} is {found.status}, not on its way to publishing"
        )
        raise InvalidInput(
            f"draft: {what}; the drafts that can be backtested are: {names}",
            [{"field": "draft", "problem": "not a proposed draft"}],
        )  # fmt: skip
    return found


def _points(change: float | None) -> str:
    if change is None or math.isnan(change):
        return figures.MISSING
    return f"{change:+.1f} points"


def _counts(met: int | None, breached: int | None) -> str:
    if met is None or breached is None:
        return figures.MISSING
    return f"{figures.count(met)} of {figures.count(met + breached)}"


def _share(value: float | None) -> str:
    return figures.MISSING if value is None or math.isnan(value) else figures.share(value)


def _kept(kept: bool | None, share: float | None) -> bool | None:
    """Whether the promise was kept; None when nothing was decided (a NaN share)."""
    return None if share is None or math.isnan(share) else kept


def draft_test(database: Database, draft: Version, live: Version) -> DraftTest:
    """``draft`` against ``live`` on every stored ticket."""
    with database.reading() as session:
        as_of = aggregates_as_of(session)
    return _cached(database, draft.slug, draft.number, live.number, draft.id, live.id, as_of)


@functools.lru_cache(maxsize=8)
def _cached(
    database: Database, slug: str, number: int, live_number: int, draft_id: int, live_id: int,
    as_of: dt.datetime | None,
) -> DraftTest:  # fmt: skip
    draft, live = get_version(database, slug, number), get_version(database, slug, live_number)
    data = read_ticket_data(database)
    if data.tickets.height == 0:
        return DraftTest(number, draft.status, live_number, 0, as_of or dt.datetime.now(dt.UTC), ())
    ready = prepare(data)
    new = backtest(draft.policy(), data, prepared=ready)
    old = backtest(live.policy(), data, now=new.now, prepared=ready)
    lines = []
    for row in side_by_side(new, old).iter_rows(named=True):
        promised = row["promised"] if row["promised"] is not None else row["promised_old"]
        lines.append(BacktestLine(
            row["rule_id"], METRIC_WORDS.get(row["metric"], row["metric"]), _share(promised),
            _share(row["share"]), _share(row["share_old"]),
            _counts(row["met"], row["breached"]), _counts(row["met_old"], row["breached_old"]),
            _points(row["change_points"]), _kept(row["kept"], row["share"]),
            _kept(row["kept_old"], row["share_old"]),
        ))  # fmt: skip
    return DraftTest(number, draft.status, live_number, data.tickets.height, new.now, tuple(lines))
