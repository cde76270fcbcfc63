"""PDFs rendered once per version and kept: by the worker, or by the first download."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient

from charter.publish.pdf import renderer_version
from charter.services.documents import keep_documents
from charter.services.publishing import export_pdf
from charter.services.worker import tick
from charter.store import Database
from charter.store import rendered_documents as store
from charter.store.rendered_documents import DocumentKey
from support.db import truncate
from support.pages import sign_in
from support.ticket_store import publish, rows
from support.web import make_settings

WAIT = 60  # seconds a thread may take to reach the point a test waits for
ROWS = "SELECT version_id, kind, content_hash, renderer FROM rendered_documents ORDER BY kind"


class Printer:
    """Stands in for WeasyPrint: records each rendering and gives a small PDF naming it."""

    made: ClassVar[list[str]] = []
    hold: ClassVar[threading.Event | None] = None  # a rendering waits for this, when set
    entered: ClassVar[threading.Event] = threading.Event()

    def __init__(self, string: str, **_: object) -> None:
        self.number = len(self.made) + 1
        self.made.append(string)
        Printer.entered.set()
        if Printer.hold is not None:
            assert Printer.hold.wait(WAIT)

    def write_pdf(self) -> bytes:
        return f"%PDF-1.7 rendering {self.number}".encode()


@pytest.fixture
def printer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of each rendering, in order."""
    made: list[str] = []
    monkeypatch.setattr(Printer, "made", made)
    monkeypatch.setattr(Printer, "hold", None)
    monkeypatch.setattr(Printer, "entered", threading.Event())
    monkeypatch.setattr("weasyprint.HTML", Printer)
    return made


def test_pdf_story_a_version_is_rendered_once_and_kept_under_its_hash_and_renderer(
    database: Database, printer: list[str]
) -> None:
    version_id = publish(database)  # the example policy, content hash "-"
    first = export_pdf(database, handbook=False)
    second = export_pdf(database, handbook=False)
    # One rendering for two downloads: the second sends what the first kept.
    assert (len(printer), first, second) == (1, b"%PDF-1.7 rendering 1", first)
    assert rows(database, ROWS) == [(version_id, "charter", "-", renderer_version())]
    # The charter with the handbook is another document: rendered once too.
    assert export_pdf(database) == export_pdf(database) == b"%PDF-1.7 rendering 2"
    assert "Staff handbook" in printer[1] and "Staff handbook" not in printer[0]


def test_pdf_story_a_change_of_code_renders_the_kept_document_again(
    database: Database, printer: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database)
    assert export_pdf(database, handbook=False) == b"%PDF-1.7 rendering 1"
    monkeypatch.setattr("charter.services.documents.renderer_version", lambda: "next release")
    assert export_pdf(database, handbook=False) == b"%PDF-1.7 rendering 2"
    assert export_pdf(database, handbook=False) == b"%PDF-1.7 rendering 2"
    renderers = [renderer for *_, renderer in rows(database, ROWS)]
    # The first release's rendering stays a day, for a process still running it.
    assert sorted(renderers) == sorted([renderer_version(), "next release"])


def test_pdf_story_the_renderers_version_follows_its_source(tmp_path: Path) -> None:
    def tree(name: str, css: str) -> Path:
        root = tmp_path / name
        (root / "publish" / "static").mkdir(parents=True)
        (root / "publish" / "pdf.py").write_text("RENDER = 1\n")
        (root / "publish" / "static" / "public.css").write_text(css)
        (root / "publish" / "notes.txt").write_text(name)  # not source: not counted
        return root

    same = renderer_version(tree("a", ".card { break-inside: avoid; }"))
    assert renderer_version(tree("b", ".card { break-inside: avoid; }")) == same
    assert renderer_version(tree("c", ".card { break-inside: auto; }")) != same


def test_pdf_story_the_worker_renders_the_version_in_force_so_the_first_download_is_kept(
    database_url: str, database: Database, client: TestClient, printer: list[str]
) -> None:
    settings = make_settings(database_url, worker_documents=True)
    now = dt.datetime.now(dt.UTC)
    nothing = tick(database, settings, worker="w1", started_at=now, syncing=False)
    assert (nothing.rendered, printer) == (0, [])  # nothing published: nothing to render
    publish(database)
    done = tick(database, settings, worker="w1", started_at=now, syncing=False)
    assert (done.rendered, len(printer), done.errors) == (2, 2, [])
    again = tick(database, settings, worker="w1", started_at=now, syncing=False)
    assert again.rendered == 0
    # The first downloads send what the worker kept: no rendering on the request.
    charter = client.get("/charter.pdf")
    assert charter.status_code == 200 and charter.headers["content-type"] == "application/pdf"
    sign_in(client, database, "agent")
    handbook = client.get("/handbook.pdf")
    assert {charter.content, handbook.content} == {b"%PDF-1.7 rendering 1",
                                                   b"%PDF-1.7 rendering 2"}  # fmt: skip
    assert len(printer) == 2


def test_pdf_story_two_first_downloads_at_once_render_once(
    database: Database, printer: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database)
    looked = threading.Event()
    read = store.kept_body

    def kept_body(session: object, key: DocumentKey) -> bytes | None:
        body = read(session, key)  # type: ignore[arg-type]
        if threading.current_thread().name == "second" and body is None:
            looked.set()
        return body

    monkeypatch.setattr(store, "kept_body", kept_body)
    Printer.hold = threading.Event()
    sent: dict[str, bytes] = {}

    def download(name: str) -> None:
        sent[name] = export_pdf(database, handbook=False)

    first = threading.Thread(target=download, args=("first",), name="first")
    second = threading.Thread(target=download, args=("second",), name="second")
    first.start()
    assert Printer.entered.wait(WAIT)  # the first is rendering
    second.start()
    assert looked.wait(WAIT)  # the second found nothing kept yet
    Printer.hold.set()
    first.join(WAIT)
    second.join(WAIT)
    # The second waited for the first's rendering and sent it; nothing rendered twice.
    assert len(printer) == 1
    assert sent == {"first": b"%PDF-1.7 rendering 1", "second": b"%PDF-1.7 rendering 1"}


def test_pdf_story_two_processes_keeping_the_same_rendering_keep_the_first(
    database: Database,
) -> None:
    version_id = publish(database)
    key = DocumentKey(version_id, "charter", "-", "r1")
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    with database.transaction() as session:
        assert store.keep(session, key, b"%PDF-1.7 first", now) == b"%PDF-1.7 first"
    # Another process rendered too, and keeps its file second: it is told the first.
    with database.transaction() as session:
        assert store.keep(session, key, b"%PDF-1.7 second", now) == b"%PDF-1.7 first"
    assert rows(database, "SELECT count(*) FROM rendered_documents") == [(1,)]


def test_pdf_story_a_failed_rendering_keeps_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(database)

    class Broken:
        def __init__(self, string: str, **_: object) -> None:
            raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("weasyprint.HTML", Broken)
    with pytest.raises(OSError, match="libpango"):
        keep_documents(database)
    assert rows(database, "SELECT count(*) FROM rendered_documents") == [(0,)]


def test_pdf_story_a_worker_set_not_to_render_leaves_it_to_the_first_download(
    database_url: str, database: Database, printer: list[str]
) -> None:
    publish(database)
    settings = make_settings(database_url, worker_documents=False)
    done = tick(database, settings, worker="w1", started_at=dt.datetime.now(dt.UTC), syncing=False)
    assert (done.rendered, printer, done.errors) == (0, [], [])
    assert export_pdf(database, handbook=False) == b"%PDF-1.7 rendering 1"


@pytest.mark.postgres
def test_pdf_story_while_one_worker_renders_the_others_render_nothing(
    postgres: str, printer: list[str]
) -> None:
    # Nine workers after a publish rendered both PDFs nine times over, each tick held up
    # for the seconds a rendering takes; one renders, the others go on with their ticks.
    database = Database(postgres)
    try:
        truncate(database)
        publish(database)
        with store.rendering_claim(database) as first:
            assert first  # this "worker" is rendering
            assert keep_documents(database) == 0 and printer == []
            with store.rendering_claim(database) as second:
                assert not second
        assert keep_documents(database) == 2 and len(printer) == 2
    finally:
        database.dispose()
