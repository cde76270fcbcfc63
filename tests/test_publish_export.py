"""The charter outside the server: a static site and a PDF, from the same templates."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from charter.cli import app
from charter.services.publishing import export_pdf, export_site
from charter.store import Database
from support.db import unavailable
from support.pages import sign_in
from support.seed import publish_example
from support.ticket_store import scalar

runner = CliRunner()


def pdf_text(pdf: bytes, folder: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (independent of the renderer)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        unavailable("pdftotext not installed (apt-get install poppler-utils)")
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run([str(tool), "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip


def test_the_static_site_works_from_files_and_fetches_nothing(
    database: Database, tmp_path: Path
) -> None:
    publish_example(database)
    site = tmp_path / "site"
    written = export_site(database, site)
    assert {p.relative_to(site).as_posix() for p in written} == {
        "index.html", "handbook.html", "static/charter.css", "static/public.css",
        "static/handbook.css",
    }  # fmt: skip
    for page in ("index.html", "handbook.html"):
        html = (site / page).read_text()
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert sheets and all((site / sheet).is_file() for sheet in sheets)
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', html)
        assert 'href="/' not in html  # every link works from a folder
    index = (site / "index.html").read_text()
    assert "Larkfield Home: our customer charter" in index
    assert "within 4 working hours" in index  # a promise from the example's e-mail rule
    assert 'href="handbook.html"' in index and 'name="tz"' not in index


def test_the_pdf_has_contents_with_page_numbers_and_the_version_in_every_footer(
    database: Database, tmp_path: Path
) -> None:
    publish_example(database)
    stored_hash = scalar(database, "SELECT content_hash FROM policy_versions")
    text = pdf_text(export_pdf(database), tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) > 5
    assert re.search(r"Our promises \.{5,} *\d+", pages[0])  # contents with page numbers
    assert re.search(r"Service levels \.{5,} *\d+", pages[0])  # and the handbook's sections
    for number, page in enumerate(pages, start=1):
        assert f"Larkfield Home, version 1, content hash {stored_hash[:16]}" in page
        assert f"page {number} of {len(pages)}" in page


def test_publish_writes_the_site_and_a_charter_only_pdf(
    database_url: str, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_example(database)
    monkeypatch.setenv("CHARTER_DATABASE_URL", database_url)
    pdf = tmp_path / "charter.pdf"
    result = runner.invoke(app, ["publish", "--out", str(tmp_path / "site"), "--pdf", str(pdf),
                                 "--no-handbook"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    text = pdf_text(pdf.read_bytes(), tmp_path)
    assert "Our promises" in text and "Staff handbook" not in text


def test_publish_without_a_target_or_a_published_policy_says_what_to_do(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARTER_DATABASE_URL", database_url)
    bare = runner.invoke(app, ["publish"])
    assert bare.exit_code == 2 and "--out FOLDER" in bare.output
    empty = runner.invoke(app, ["publish", "--out", str(tmp_path / "site")])
    assert empty.exit_code != 0 and "publish a version first" in " ".join(empty.output.split())
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_pdf_downloads_public_charter_and_staff_handbook(
    client: TestClient, database: Database
) -> None:
    assert client.get("/charter.pdf").status_code == 404  # nothing published yet
    publish_example(database)
    charter = client.get("/charter.pdf")
    assert charter.status_code == 200 and charter.headers["content-type"] == "application/pdf"
    assert charter.content.startswith(b"%PDF")
    anonymous = client.get("/handbook.pdf", follow_redirects=False)
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    sign_in(client, database, "agent")
    assert client.get("/handbook.pdf").content.startswith(b"%PDF")
    assert 'href="/charter.pdf"' in client.get("/").text
