"""SLA state of the stored tickets, kept in ``sla_states``, each under the version in
force when it was created.

The *operating policy* is the earliest-created policy with a version in force
(``charter.services.lifecycle.operating_version``). Each of its versions that has an
effective instant governs the tickets created from that instant until the next one
takes effect; tickets created before the first are governed by the first
(``charter.services.lifecycle.judging_versions``, ``governing``). A customer was given
the promise of the version in force when they wrote, so publishing a new version
re-judges only the tickets created from its effective instant, and each state row
names the version that judged it. The
tickets are read from the store in columns, evaluated by the same engine that
runs on files (``charter.sla.evaluate``) and written back in bulk: no query per
ticket. Running clocks move with time, so ``pending`` and ``at_risk`` are as of
the recompute; run ``charter sla recompute`` on a schedule to keep them fresh.

A recompute evaluates only the tickets whose state can have changed: those
without one (new or re-imported), those under another version than the one that
governs them (a version took effect before they were created), and
those whose clocks had not all stopped when it was last computed (``settles_at``);
``everything=True`` evaluates them all. It works through the tickets in ranges of
ids holding about ``CHUNK`` tickets, each searched for stale tickets, read,
evaluated and written in its own transaction, two at a time on PostgreSQL (the
database works on one while Python evaluates the other).
SLA state is derived data: a recompute stopped part-way leaves the chunks it did
not reach stale, and the next one picks them up.

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> summary = recompute_sla(db)
>>> summary.computed, summary.note
(False, 'no policy is published yet, so there is no SLA state to compute; publish a version first')
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from charter.clock import utc_moment
from charter.services.escalations import keep_plan
from charter.services.lifecycle import Version, judging_pilots, judging_versions, operating_version
from charter.sla.escalation import level_table
from charter.sla.evaluate import Prepared, evaluate, prepare, settle_times, ticket_columns
from charter.sla.replan import fresh_plan
from charter.store import Database
from charter.store import tickets as stored
from charter.tickets.dataset import TicketData

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CHUNK = 100_000  # tickets read, evaluated and written together
WORKERS = 2  # chunks in flight at once on PostgreSQL
DENSE = 2  # a chunk spanning fewer than this many ids per ticket is read as a range
Span = tuple[int, int]  # a range of ticket ids, both ends included
Part = Span | pl.Series  # a range of ids to look for stale tickets in, or the ids
NOTHING_PUBLISHED = (
    "no policy is published yet, so there is no SLA state to compute; publish a version first"
)


@dataclass(frozen=True)
class SlaSummary:
    """What a recompute did. ``computed`` is False when there was nothing to compute,
    and ``note`` says why."""

    tickets: int = 0
    evaluated: int = 0
    states: int = 0
    written: int = 0
    computed_at: dt.datetime | None = None
    policy: str | None = None
    version: int | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def computed(self) -> bool:
        return self.computed_at is not None

    @classmethod
    def skipped(cls, note: str) -> SlaSummary:
        return cls(note=note)


def recompute_sla(
    database: Database,
    *,
    now: dt.datetime | None = None,
    everything: bool = False,
) -> SlaSummary:
    """Bring the stored SLA state of every ticket up to ``now``.

    ``now`` (aware; default: the current time) is the instant running clocks are
    judged at. In the summary, ``tickets`` counts the stored tickets, ``evaluated``
    those whose state was recomputed, ``states`` the (ticket, metric) states stored
    now, ``written`` those rewritten, and ``statuses`` the states by status.
    """
    moment = utc_moment(now)
    # The versions published so far (by the clock, not ``now``: a recompute judging
    # clocks at an earlier instant still uses every version that has taken effect).
    versions = judging_versions(database)
    if not versions:
        return SlaSummary.skipped(NOTHING_PUBLISHED)
    operating = operating_version(database) or versions[-1]
    chain = level_table(operating.policy())
    timeline = [(v.id, v.effective_at) for v in versions if v.effective_at is not None]
    pilots = judging_pilots(database)
    spans = pilot_spans(pilots)
    columns = sorted({c for v in [*versions, *pilots] for c in ticket_columns(v.policy())})

    def work(part: Part) -> stored.Written:
        with database.transaction() as session:
            first = part[0] if isinstance(part, tuple) else int(part[0])
            if not stored.claim_part(session, first):  # another worker is judging it
                return stored.Written(0, 0)
            found = _to_read(session, part)
            if found is None:
                return stored.Written(0, 0)
            ids, span = found
            data = stored.load(session, ids, id_range=span, columns=columns, store_ids=True).data
            piloted = _piloted(session, spans, ids, span)
            judged = judge(data, versions, moment, piloted=piloted, pilots=pilots)
            written = stored.replace_sla_states(session, judged.states, span)
            chosen = data.tickets["id"] if span is None else None
            with stored.selected(session, chosen, span) as tickets:
                keep_plan(session, tickets, judged.plan, chain, moment)
            return written

    def _to_read(session: Session, part: Part) -> tuple[pl.Series | None, Span | None] | None:
        """Which tickets of ``part`` to evaluate: ``(ids, None)`` or ``(None, span)``
        for a range read whole; None when none is stale."""
        if isinstance(part, tuple):  # a range of ids: find its stale tickets first
            found = stored.stale_in_range(session, timeline, moment, everything, part, spans)
            if found is None:  # every ticket in the range
                return None, part
        else:
            found = part
        if found.is_empty():
            return None
        # A dense chunk is read and replaced as one range of ids: every ticket in it is
        # evaluated (the few settled ones among them come out as they were).
        lo, hi = found[0], found[-1]
        return (None, (lo, hi)) if hi - lo < DENSE * found.len() else (found, None)

    with database.reading() as session:
        ranges = stored.id_ranges(session, CHUNK, DENSE)
        if ranges is None:  # ids too sparse for ranges: find the stale ones in one query
            ids = stored.stale_ids(session, timeline, moment, everything, spans)
            parts: list[Part] = [ids.slice(at, CHUNK) for at in range(0, ids.len(), CHUNK)]
        else:
            parts = list(ranges)
    workers = WORKERS if database.dialect == "postgresql" else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(work, parts))
    evaluated = sum(part.tickets for part in done)
    with database.reading() as session:
        tickets = stored.count_tickets(session)
        if evaluated == tickets:  # every state was just written: count them as written
            statuses: dict[str, int] = {}
            for part in done:
                for status, count in part.statuses.items():
                    statuses[status] = statuses.get(status, 0) + count
        else:
            statuses = stored.status_counts(session)
    return SlaSummary(
        tickets=int(tickets),
        evaluated=evaluated,
        states=sum(statuses.values()),
        written=sum(part.states for part in done),
        computed_at=moment,
        policy=operating.slug,
        version=operating.number,
        statuses=statuses,
    )


@dataclass(frozen=True)
class Judged:
    """``sla_states`` rows of some tickets, and their escalation levels planned afresh
    (``fresh_plan``'s frame with ``version_id``; store ids)."""

    states: pl.DataFrame
    plan: pl.DataFrame


def pilot_spans(pilots: list[Version]) -> list[stored.PilotSpan]:
    """The store's terms for the pilots that judge tickets (``judging_pilots``)."""
    return [
        stored.PilotSpan(v.id, p.group.column, p.group.values, p.starts_at, p.ends_at)
        for v in pilots
        if (p := v.pilot) is not None and p.judges
    ]


def _piloted(
    session: Session, spans: list[stored.PilotSpan], ids: pl.Series | None, span: Span | None
) -> pl.DataFrame | None:
    """The pilot tickets among those read (``ids`` or ``span``), with their versions."""
    if not spans:
        return None
    if span is not None:
        return stored.pilot_tickets(session, spans, span)
    assert ids is not None
    found = stored.pilot_tickets(session, spans, (int(ids.min()), int(ids.max())))  # type: ignore[arg-type]
    return found.filter(pl.col("id").is_in(ids.implode()))


def judge(
    data: TicketData,
    versions: list[Version],
    now: dt.datetime,
    *,
    piloted: pl.DataFrame | None = None,
    pilots: list[Version] | None = None,
) -> Judged:
    """``sla_states`` rows for ``data`` (store ids), each ticket evaluated at ``now``
    under the version that governs it: the pilot version ``piloted`` names for it
    (``id, version_id``, one of ``pilots``), else the one of ``versions`` (by effective
    instant) last effective at or before its creation, else the first; and the
    escalation levels of each under the same version."""
    prepared = prepare(data)
    settles = settle_times(data, prepared)
    instants = pl.Series([v.effective_at for v in versions], dtype=pl.Datetime("us", "UTC"))
    created = data.tickets["created_at"].dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    after = instants.search_sorted(created, side="right").cast(pl.Int64)  # unsigned
    chosen = pl.Series([v.id for v in versions], dtype=pl.Int64).gather(
        (after - 1).clip(lower_bound=0)
    )
    if piloted is not None and piloted.height:
        chosen = (
            pl.DataFrame({"id": data.tickets["id"].cast(pl.Int64), "timeline": chosen})
            .join(piloted, on="id", how="left")
            .select(pl.coalesce("version_id", "timeline"))
            .to_series()
        )
    by_id = {v.id: v for v in [*versions, *(pilots or [])]}
    parts, plans = [], []
    for version_id in chosen.unique().sort().to_list():
        version = by_id[version_id]
        ids = data.tickets["id"].filter(chosen == version_id)
        part, ready = (data, prepared) if len(by_id) == 1 else _only(data, prepared, ids)
        states = evaluate(version.policy(), part, now, prepared=ready)
        parts.append(
            stored.state_rows(ids, states, settles, version_id=version.id, computed_at=now)
        )
        plans.append(_versioned(fresh_plan(version.policy(), states, now), version.id))
    if not parts:  # no tickets: the rows' columns all the same
        empty = pl.Series("id", [], data.tickets["id"].dtype)
        policy = versions[-1].policy()
        states = evaluate(policy, data, now, prepared=prepared)
        last = versions[-1].id
        rows = stored.state_rows(empty, states, settles, version_id=last, computed_at=now)
        return Judged(rows, _versioned(fresh_plan(policy, states, now), last))
    return Judged(
        pl.concat(parts, how="vertical_relaxed"), pl.concat(plans, how="vertical_relaxed")
    )


def _versioned(plan: pl.DataFrame, version_id: int) -> pl.DataFrame:
    """``plan`` with store ticket ids as integers and the version that planned it."""
    return plan.with_columns(
        pl.col("ticket_id").cast(pl.Int64), pl.lit(version_id, pl.Int64).alias("version_id")
    )


def _only(data: TicketData, prepared: Prepared, ids: pl.Series) -> tuple[TicketData, Prepared]:
    """``data`` and ``prepared`` kept to the tickets ``ids``."""
    keep = ids.implode()
    return (
        TicketData(
            data.tickets.filter(pl.col("id").is_in(keep)),
            data.events.filter(pl.col("ticket_id").is_in(keep)),
        ),
        Prepared(
            prepared.windows.filter(pl.col("ticket_id").is_in(keep)),
            prepared.spells.filter(pl.col("ticket_id").is_in(keep)),
        ),
    )
