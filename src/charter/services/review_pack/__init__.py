"""The review pack: what a policy review reads, for the version in force, as of now
(docs/review.md, "The review pack").

The period runs from the last recorded review to now (before the first review, one
cadence interval back). ``review_pack`` builds every section once, with its figures
already written, and the page and its PDF render the same value:

a. KPIs against targets, over the period and the window of the same length before it;
b. each promise's results month by month;
c. CSAT and NPS by month, kept against broken, and the feedback themes with their
   clauses;
d. the competitor benchmarks beside our promises;
e. staff comments on the versions written in the period;
f. training results per clause;
g. the proposed draft backtested against the live version, promise by promise;
h. the running or most recent pilot against its control group (``charter.services.pilots``).

>>> import tempfile, pathlib
>>> from charter.store import Database
>>> db = Database(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'c.db'}"); db.upgrade()
>>> review_pack(db) is None  # nothing is published
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from charter import clock
from charter.errors import InvalidInput
from charter.services.dashboard import aggregates_as_of
from charter.services.lifecycle import Version, list_versions, operating_version
from charter.services.pilots import pilot_comparison
from charter.services.review import review_status
from charter.services.review_pack._backtest import PROPOSED, draft_test, proposed
from charter.services.review_pack._competitors import benchmarks
from charter.services.review_pack._kpis import kpi_lines
from charter.services.review_pack._period import span_of
from charter.services.review_pack._promises import promise_months
from charter.services.review_pack._scores import score_months
from charter.services.review_pack._staff import comment_groups, training
from charter.services.review_pack._themes import feedback_themes
from charter.services.review_pack._values import (
    BacktestLine,
    Benchmarked,
    CommentGroup,
    DraftTest,
    KpiLine,
    MonthCell,
    PromiseMonths,
    ReviewPack,
    ScoreCell,
    ScoreMonth,
    Scores,
    Span,
    Training,
    day_label,
    month_label,
)
from charter.store import Database

__all__ = [
    "BacktestLine", "Benchmarked", "CommentGroup", "DraftTest", "KpiLine", "MonthCell",
    "PromiseMonths", "ReviewPack", "ScoreCell", "ScoreMonth", "Scores", "Span", "Training",
    "day_label", "month_label", "review_pack",
]  # fmt: skip


def review_pack(
    database: Database, *, draft: int | None = None, now: dt.datetime | None = None
) -> ReviewPack | None:
    """The pack for the version in force at ``now`` (default: now); None when none is.
    ``draft`` picks the draft to backtest; for one that is not on its way to publishing
    the pack has no backtest and ``draft_problem`` says why, naming the ones that are."""
    moment = clock.utc_moment(now)
    live = operating_version(database, moment)
    if live is None:
        return None
    versions = list_versions(database, live.slug)
    try:
        chosen, problem = proposed(versions, live, draft), ""
    except InvalidInput as error:  # the pack is still read; the draft's place says why
        chosen, problem = None, str(error)
    policy = live.policy()
    status = review_status(database, moment.date())
    cadence = policy.review.cadence_months if policy.review else None
    span = span_of(moment, status.last_reviewed_on if status else None, cadence)
    with database.reading() as session:
        as_of = aggregates_as_of(session)
    day = dt.datetime.combine(span.end.date(), dt.time(), dt.UTC)
    kpis, promises = _measured(database, live, dataclasses.replace(span, end=day), as_of)
    return ReviewPack(
        slug=live.slug,
        name=policy.organisation.name,
        version=live.number,
        span=span,
        kpis=kpis,
        promises=promises,
        scores=score_months(database, span),
        benchmarks=benchmarks(policy),
        comments=comment_groups(database, live.slug, span),
        training=training(database, moment),
        drafts=tuple((v.number, v.status) for v in versions if v.status in PROPOSED),
        draft=draft_test(database, chosen, live) if chosen else None,
        draft_problem=problem,
        themes=tuple(feedback_themes(database, live.slug, span)),
        pilot=pilot_comparison(database, live.slug, now=moment),
    )


@functools.lru_cache(maxsize=16)
def _measured(
    database: Database, live: Version, span: Span, as_of: dt.datetime | None
) -> tuple[tuple[KpiLine, ...], tuple[PromiseMonths, ...]]:
    """Sections a and b, which read whole days of the stored SLA state and the dashboard's
    aggregates: computed once per version, period's days and refresh of the aggregates
    (which follows every SLA recompute), as the dashboard's views are."""
    policy = live.policy()
    return kpi_lines(database, policy.kpis, span), promise_months(database, live, policy, span)
