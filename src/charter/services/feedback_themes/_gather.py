"""The comments the themes are found in, for one policy and period, and the themes
found in them, kept in memory (see ``run``).

Sources: visitors' comments on the policy's sections (``policy-<id>``), survey answers'
comments (``survey-<ticket id>``) and comments imported with tickets (``import-<ticket
id>``). At most ``MOST_COMMENTS`` (the engine's bound), the newest first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter import clock
from charter.feedback.themes import LONGEST_COMMENT, MOST_COMMENTS, Comment, Theme, themes
from charter.policy.schema import Policy
from charter.store import feedback as feedback_store
from charter.store import feedback_themes as records
from charter.store import surveys

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KEPT = 8  # runs of the engine kept in memory (by policy text and period)
REUSE = 300  # seconds a run is given again though new comments came
_FOUND: OrderedDict[tuple[str, dt.datetime, dt.datetime], Run] = OrderedDict()


@dataclass(frozen=True)
class Gathered:
    """The comments read (newest ``MOST_COMMENTS`` at most), how many there were in all,
    and how many of those read each source gave."""

    comments: list[Comment]
    total: int
    by_source: dict[str, int]


def gather(session: Session, policy_id: int, since: dt.datetime, until: dt.datetime) -> Gathered:
    """Every source's comments on ``policy_id`` in ``[since, until)``, newest first."""
    found = [
        Comment(f"policy-{c.id}", c.comment[:LONGEST_COMMENT], c.created_at, "policy")
        for c in feedback_store.comments_of(session, policy_id, since, until, MOST_COMMENTS)
    ]
    answers = surveys.answered(session, since, until).drop_nulls("comment")
    found += [
        Comment(f"survey-{ticket}", text[:LONGEST_COMMENT], at, "survey")
        for ticket, text, at in answers.select("ticket_id", "comment", "answered_at").iter_rows()
        if text.strip()
    ]
    found += [
        Comment(f"import-{ticket}", text[:LONGEST_COMMENT], at, "import")
        for ticket, text, at in records.imported_comments(session, since, until, MOST_COMMENTS)
    ]
    found.sort(key=lambda c: (c.at, c.id), reverse=True)
    kept = found[:MOST_COMMENTS]
    counts = dict.fromkeys(("survey", "policy", "import"), 0)
    for comment in kept:
        counts[comment.source] += 1
    return Gathered(kept, len(found), counts)


@dataclass(frozen=True)
class Run:
    """One run of the engine: the comments it read and the themes it found in them,
    when (monotonic seconds and the clock's instant), and how long it took."""

    gathered: Gathered
    themes: list[Theme]
    digest: str
    started: float
    found_at: dt.datetime
    seconds: float


def run(
    gathered: Gathered, policy: Policy, text_hash: str, since: dt.datetime, until: dt.datetime
) -> tuple[Run, bool]:
    """The themes of ``gathered`` under the policy whose text hashes to ``text_hash``,
    and whether they came from memory: the last run for this policy text and period is
    given again while its comments are unchanged, and for ``REUSE`` seconds after it
    even when new comments came (so a steady trickle of answers does not make every
    look at the page wait for the engine)."""
    key = (text_hash, since, until)
    digest = _digest(gathered.comments)
    last = _FOUND.get(key)
    if last is not None and (last.digest == digest or time.monotonic() - last.started < REUSE):
        _FOUND.move_to_end(key)
        return last, True
    started = time.monotonic()
    made = themes(gathered.comments, policy)
    done = Run(gathered, made, digest, started, clock.now(), time.monotonic() - started)
    _FOUND[key] = done
    while len(_FOUND) > KEPT:
        _FOUND.popitem(last=False)
    return done, False


def _digest(comments: list[Comment]) -> str:
    hashed = hashlib.sha256()
    for c in sorted(comments, key=lambda c: c.id):
        hashed.update(f"{c.id}\x1f{c.source}\x1f{c.at.isoformat()}\x1f{c.text}\x1e".encode())
    return hashed.hexdigest()
