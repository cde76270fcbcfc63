"""Lifecycle steps and what must follow them: a newly published version applies at once.

A published version governs the tickets created from its effective instant (its
publish instant, or a later one chosen when publishing). After a publish, or a retire
that cancels a scheduled publication, the SLA state of the tickets it governs is
recomputed under it straight away (the field's helpdesks often never recompute open
tickets after a policy change); tickets created before its effective instant keep the
verdicts of the version they were created under. The dashboard's aggregates are then
refilled. A published version's clauses go into the handbook's search index at once.

The published charter also leaves the server: ``export_site`` writes it and the
handbook as a static site (``charter.publish.export``); ``export_pdf`` gives it as a
PDF, rendered once per version and kept (``charter.services.documents``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from charter.errors import NotFound
from charter.publish.export import write_site
from charter.publish.public_page import PublicPage
from charter.services.accounts import Principal
from charter.services.dashboard import refresh_dashboard
from charter.services.documents import CHARTER, HANDBOOK, kept_pdf
from charter.services.handbook import handbook_context, index_version, read_handbook
from charter.services.lifecycle import PilotRequest, Version, operating_version, transition
from charter.services.public_charter import public_charter
from charter.services.sla_state import recompute_sla
from charter.store import Database

# The steps after which some tickets are governed by another version than before.
REJUDGING = ("publish", "retire", "pilot", "extend", "abandon")
NOTHING_TO_EXPORT = (
    "no policy is published yet, so there is no charter to export; publish a version first"
)


def take_action(
    database: Database,
    slug: str,
    number: int,
    action: str,
    actor: Principal,
    note: str = "",
    *,
    effective_at: dt.datetime | None = None,
    pilot: PilotRequest | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Version:
    """``transition`` (a publish takes effect at ``effective_at``, default now; a pilot
    and an extension take ``pilot``); after a step that changes which version governs
    some tickets (publish, retire, and a pilot's start, extension or abandonment), the
    SLA state of those tickets. ``progress(percent, words)`` hears of each part done."""
    said = progress or (lambda percent, words: None)
    version = transition(
        database, slug, number, action, actor, note, effective_at=effective_at, pilot=pilot
    )
    said(20, f"{action} recorded")
    if action == "publish":
        index_version(database, version.id)  # the handbook's search finds it at once
        said(30, "handbook indexed; judging the tickets again")
    if action in REJUDGING:
        done = recompute_sla(database)
        said(80, f"{done.evaluated:,} tickets judged again; refilling the dashboard")
        if done.computed_at is not None and done.evaluated:
            refresh_dashboard(database, done.computed_at)
    return version


def export_site(database: Database, folder: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Write the published charter and handbook as a static site into ``folder``."""
    return write_site(folder, _published_page(database, now), _handbook(database))


def export_pdf(
    database: Database, *, handbook: bool = True, now: dt.datetime | None = None
) -> bytes:
    """The published charter (and the handbook, unless ``handbook`` is False) as a PDF:
    the version in force's, kept since it was first rendered."""
    version = operating_version(database)
    if version is None:
        raise NotFound(NOTHING_TO_EXPORT)
    return kept_pdf(database, version, HANDBOOK if handbook else CHARTER, now=now)


def _published_page(database: Database, now: dt.datetime | None) -> PublicPage:
    page = public_charter(database, now=now)
    if page is None:
        raise NotFound(NOTHING_TO_EXPORT)
    return page


def _handbook(database: Database) -> dict[str, Any] | None:
    book = read_handbook(database)
    return handbook_context(book) if book else None
