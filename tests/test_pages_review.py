"""The review pack's page (``GET /review``), its PDF from the same template
(``GET /review.pdf``) and recording the review from the page (``POST /review``), on
the story of tests/support/review_pack.py (today: Monday 7 December 2026, 12:00 UTC)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from charter.store import Database
from support.db import unavailable
from support.pages import csrf_of, sign_in
from support.review_pack import build


def text_of(html: str) -> str:
    """What a reader sees of the page: tags dropped, spaces folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def pdf_lines(pdf: bytes, folder: Path) -> list[str]:
    """The PDF's lines as poppler's pdftotext lays them out, spaces folded."""
    tool = shutil.which("pdftotext")
    if tool is None:
        unavailable("pdftotext not installed (apt-get install poppler-utils)")
    path = folder / "pack.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([str(tool), "-layout", str(path), "-"], check=True, capture_output=True,
                         text=True)  # fmt: skip
    return [" ".join(line.split()) for line in out.stdout.splitlines()]


@pytest.fixture
def story(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    build(database, monkeypatch)
    return database


SECTIONS = (
    "a. KPIs against targets", "b. Each promise, month by month",
    "c. Customer satisfaction and NPS", "d. Competitors beside our promises",
    "e. Staff comments on drafts", "f. Training results per clause",
    "g. The proposed draft on past tickets", "h. Pilot against control",
)  # fmt: skip
# The figures the story's hand count gives (test_services_review_pack.py works them out),
# as a reader sees them on the page and in the PDF. Five accounts must acknowledge: the
# story's four and the one signed in to read the pack.
FIGURES = [
    "from 7 September 2026 to 7 December 2026",
    "First responses within promise at least 80 % 50 % 60 % missed better 5",
    "Customer satisfaction at least 90 % 50 % 75 % missed better 4",
    "first response by email: we promise 2 business hours, Rival 8 hours",
    "first response by chat: we promise 1 business hour, Rival 30 minutes",
    "Rival gives 8 hours",
    "Of 5 people asked to acknowledge the version in force, 1 acknowledged it, 0 passed",
    "Everything else 2 1 2 1",
]
# A cell's counts sit under its share: in the page's text they follow it, in the PDF's
# printed layout they are the next line.
PAGE_ONLY = [
    "closest to Service levels: Live chat",
    "Everything else: first response 80 % — — — — — — — 50 % 1 of 2 — — 66.7 % 2 of 3 —",
    "main: first response 80 % 80 % 4 of 5 60 % 3 of 5 +20.0 points kept",
]
PDF_ONLY = [
    "Everything else: first response 80 % — — — — — — — 50 % — — 66.7 % —",
    "main: first response 80 % 80 % 60 % +20.0 points kept",
    "4 of 5 3 of 5",
]


def test_a_manager_reads_every_section_with_the_story_figures(
    client: TestClient, story: Database
) -> None:
    sign_in(client, story, "manager")
    response = client.get("/review")
    assert response.status_code == 200
    seen = text_of(response.text)
    for heading in SECTIONS:
        assert heading in seen
    for figure in FIGURES + PAGE_ONLY:
        assert figure in seen, figure
    # The review's state at the top: due 15 January 2027, warnings from 16 December.
    assert "Due Fri 15 Jan 2027 State upcoming, in 39 days Owner Service manager" in seen
    assert 'href="/review" aria-current="page"' in response.text  # the nav names it
    # Each group of comments links to its version's comments.
    assert 'href="/policies/acme/versions/2#comments-heading">2 comments</a>' in response.text


def test_the_pdf_shows_the_same_figures_as_the_page(
    client: TestClient, story: Database, tmp_path: Path
) -> None:
    sign_in(client, story, "manager")
    response = client.get("/review.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    lines = pdf_lines(response.content, tmp_path)
    for figure in FIGURES + PDF_ONLY:
        assert any(figure in line for line in lines), figure
    text = " ".join(lines)
    assert "Record the review" not in text and "Download as PDF" not in text


def test_recording_no_change_from_the_page_moves_the_next_review(
    client: TestClient, story: Database
) -> None:
    # Recorded on 7 December, before the warning period (from 16 December): the next
    # review is 3 months from the day, Sunday 7 March 2027.
    sign_in(client, story, "manager")
    token = csrf_of(client.get("/review").text)
    form = {"outcome": "no_change", "note": "Fine as it is", "csrf_token": token}
    response = client.post("/review", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/review?done=recorded"
    seen = text_of(client.get("/review?done=recorded").text)
    assert "The review is recorded. The next review is on Sun 07 Mar 2027." in seen
    assert "Last review Mon 07 Dec 2026, no change" in seen
    # The period now starts at the review: 7 December only.
    assert "from 7 December 2026 to 7 December 2026" in seen


def test_recording_with_the_draft_names_it(client: TestClient, story: Database) -> None:
    sign_in(client, story, "admin")
    token = csrf_of(client.get("/review").text)
    response = client.post("/review", data={"outcome": "new_draft", "draft": "2",
                                            "csrf_token": token})  # fmt: skip
    assert response.status_code == 200
    assert "Last review Mon 07 Dec 2026, a new draft" in text_of(response.text)


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({}, 422, "outcome: choose “no change” or “a new draft”"),
        ({"outcome": "new_draft"}, 422, "name the draft that carries the review's changes"),
        ({"outcome": "new_draft", "draft": "1"}, 409,
         "version 1 is not a draft on its way to publishing"),
        ({"outcome": "new_draft", "draft": "two"}, 422, "draft: 'two' is not a version number"),
        ({"outcome": "no_change", "draft": "2"}, 422, "a review with no change names no draft"),
    ],
)  # fmt: skip
def test_a_refused_record_comes_back_as_the_page_with_the_reason(
    client: TestClient, story: Database, form: dict[str, str], status: int, message: str
) -> None:
    sign_in(client, story, "manager")
    token = csrf_of(client.get("/review").text)
    response = client.post("/review", data={**form, "csrf_token": token})
    assert response.status_code == status
    found = re.search(r'id="record-problem">(.*?)</p>', response.text, re.S)
    assert found and message in unescape(found.group(1))
    assert "Traceback" not in response.text
    assert "Last review none recorded" in text_of(response.text)


def test_a_record_without_the_form_token_is_refused(client: TestClient, story: Database) -> None:
    sign_in(client, story, "manager")
    response = client.post("/review", data={"outcome": "no_change"})
    assert response.status_code == 403
    assert "Last review none recorded" in text_of(client.get("/review").text)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("draft=abc", "draft: 'abc' is not a version number"),
        ("draft=1", "draft: version 1 is published, not on its way to publishing"),
    ],
)
def test_a_bad_draft_in_the_address_is_named_and_the_pack_still_shows(
    client: TestClient, story: Database, query: str, message: str
) -> None:
    sign_in(client, story, "manager")
    response = client.get(f"/review?{query}")
    assert response.status_code == 422
    found = re.search(r'id="problem">(.*?)</p>', response.text, re.S)
    assert found and message in unescape(found.group(1))
    assert "First responses within promise" in response.text


@pytest.mark.parametrize("path", ["/review", "/review.pdf"])
def test_agents_may_not_read_the_pack_and_visitors_are_sent_to_sign_in(
    client: TestClient, story: Database, path: str
) -> None:
    anonymous = client.get(path, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login?next=/review")
    sign_in(client, story, "agent")
    refused = client.get(path)
    assert refused.status_code == 403
    assert "this page is for admin or manager accounts" in refused.text
    assert 'href="/review"' not in client.get("/tickets").text  # not in an agent's nav


def test_an_agent_cannot_record_a_review(client: TestClient, story: Database) -> None:
    sign_in(client, story, "agent")
    token = csrf_of(client.get("/tickets").text)
    refused = client.post("/review", data={"outcome": "no_change", "csrf_token": token})
    assert refused.status_code == 403
    sign_in(client, story, "manager")
    assert "Last review none recorded" in text_of(client.get("/review").text)


def test_without_a_version_in_force_the_page_says_so(
    client: TestClient, database: Database
) -> None:
    sign_in(client, database, "manager")
    response = client.get("/review")
    assert response.status_code == 404
    assert "No version is in force: publish one to review it." in response.text
    assert client.get("/review.pdf").status_code == 404
