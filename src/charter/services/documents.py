"""The PDFs of a published version, rendered once and kept.

A PDF takes seconds to render, so each (the charter; the charter with the staff
handbook) is rendered once per version and kept in the store
(``charter.store.rendered_documents``) under the version, its content hash and the
renderer's version (``charter.publish.pdf.renderer_version``): a download sends the
kept bytes, and a new version or a change of code renders again. The worker keeps the
documents of the version in force at each tick (``keep_documents``), so the first
download after a publish is already fast; a download that comes before the worker
renders and keeps the document itself.

Two first requests in one process render once: the second waits for the first and
sends what it kept. Two processes may each render; the store keeps the first rendering
and each sends a complete file. Nothing is kept from a rendering that failed.
"""

from __future__ import annotations

import datetime as dt
import threading

from charter import clock
from charter.policy.cache import load_cached
from charter.publish.pdf import render_charter, renderer_version
from charter.publish.public_page import Edition, PublicPage, public_page
from charter.services.handbook import handbook_context, read_handbook
from charter.services.lifecycle import Version, operating_version
from charter.store import Database
from charter.store import rendered_documents as store
from charter.store.rendered_documents import DocumentKey

__all__ = ["CHARTER", "HANDBOOK", "keep_documents", "kept_pdf"]

CHARTER, HANDBOOK = store.KINDS  # the charter alone; the charter and the staff handbook
_rendering = threading.Lock()  # one rendering at a time in a process: a second waits


def kept_pdf(
    database: Database, version: Version, kind: str, *, now: dt.datetime | None = None
) -> bytes:
    """The PDF of ``kind`` for ``version``: the kept one, else rendered now and kept."""
    return _kept(database, version, kind, clock.utc_moment(now))[0]


def keep_documents(database: Database, *, now: dt.datetime | None = None) -> int:
    """Render and keep the PDFs of the version in force at ``now`` that are not kept
    yet (a step of the worker's tick); how many it rendered. While one worker renders,
    the others go on with their ticks and render nothing."""
    moment = clock.utc_moment(now)
    version = operating_version(database, moment)
    if version is None:
        return 0
    with store.rendering_claim(database) as mine:
        if not mine:
            return 0  # another worker renders them; nine workers need not render nine times
        return sum(_kept(database, version, kind, moment)[1] for kind in (CHARTER, HANDBOOK))


def _kept(database: Database, version: Version, kind: str, now: dt.datetime) -> tuple[bytes, bool]:
    """The document's bytes and whether this call rendered them."""
    key = DocumentKey(version.id, kind, version.content_hash, renderer_version())
    body = _stored(database, key)
    if body is not None:
        return body, False
    with _rendering:
        body = _stored(database, key)  # kept by the rendering this call waited for
        if body is not None:
            return body, False
        body = _render(database, version, kind, now)
        with database.transaction() as session:
            return store.keep(session, key, body, clock.now()), True


def _stored(database: Database, key: DocumentKey) -> bytes | None:
    with database.reading() as session:
        return store.kept_body(session, key)


def _render(database: Database, version: Version, kind: str, now: dt.datetime) -> bytes:
    book = read_handbook(database, version.number) if kind == HANDBOOK else None
    return render_charter(_page(version, now), handbook_context(book) if book else None)


def _page(version: Version, now: dt.datetime) -> PublicPage:
    """The version's public page; what in it depends on ``now`` is left out of the PDF."""
    policy = load_cached(version.text, version.file).policy
    edition = Edition(
        version.number, version.effective_at or version.published_at, version.content_hash
    )
    return public_page(policy, now, edition=edition)
