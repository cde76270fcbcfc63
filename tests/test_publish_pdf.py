"""The charter as a PDF: a document of its version, read back with poppler's pdftotext."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from charter.policy import load_policy_text
from charter.publish.pdf import render_charter
from charter.publish.public_page import PublicPage, public_page
from support.db import unavailable

# Monday 7 December 2026, 10:00 in London: the desk below is open, so the page that a
# visitor reads now says "Open now"; the PDF must not.
NOW = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
DESK_WEEK = "{mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00], " \
    "thu: [09:00-17:00], fri: [09:00-17:00]}"  # fmt: skip
HEAD = f"""
organisation: {{name: Acme, mission: Delight, language: en-GB}}
calendars:
  - {{id: desk, name: Service desk, timezone: Europe/London, weekly: {DESK_WEEK}}}
  - {{id: night, name: Night line, timezone: Europe/London, weekly: {{mon: [22:00-23:30]}}}}
service_levels:
  rules: [{{id: all, targets: {{first_response: {{within: 4h, clock: desk}}}}}}]
"""
# Three contact points keep the desk's hours and one the night line's.
SHARED = (
    HEAD
    + """
contact_points:
  - {id: phone, name: Phone line, channel: phone, address: "+44 20 7946 0000", calendar: desk}
  - {id: mail, name: Mail box, channel: email, address: help@acme.example, calendar: desk}
  - {id: chat, name: Web chat, channel: chat, address: "https://acme.example/chat", calendar: desk}
  - {id: late, name: Late line, channel: phone, address: "+44 20 7946 0001", calendar: night}
"""
)
CARDS = 40


def many_contact_points() -> str:
    """``CARDS`` contact points, each with three languages, all on the desk's hours. The
    mission's two lines move the cards down so that, were nothing keeping a card whole,
    page 2 would end inside Desk 05's card (after its languages, before its hours)."""
    head = HEAD.replace("mission: Delight", "mission: Delight" + " every day" * 10)
    lines = [
        f"  - {{id: desk-{n:02}, name: Desk {n:02}, channel: email, "
        f"address: desk{n:02}@acme.example, calendar: desk, languages: [en, es, fr]}}"
        for n in range(1, CARDS + 1)
    ]
    return head + "contact_points:\n" + "\n".join(lines) + "\n"


def page_of(text: str) -> PublicPage:
    return public_page(load_policy_text(text).policy, NOW)


def pdf_pages(pdf: bytes, folder: Path) -> list[str]:
    """Each page's text as pdftotext reads it (independent of the renderer)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        unavailable("pdftotext not installed (apt-get install poppler-utils)")
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([str(tool), "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def shared_pdf(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The charter of ``SHARED`` as printed text, rendered once for this module."""
    pdf = render_charter(page_of(SHARED), None)
    return "\n".join(pdf_pages(pdf, tmp_path_factory.mktemp("shared")))


def test_pdf_story_a_printed_charter_says_nothing_of_the_moment_it_is_read(
    shared_pdf: str,
) -> None:
    page = page_of(SHARED)
    # The live page, read at 10:00 on a Monday, says the desk is open and when to
    # expect an answer (10:00 + 4 business hours = 14:00 today).
    assert page.contacts[0].availability is not None
    assert page.contacts[0].availability.text.startswith("Open now")
    assert page.answers[0].expect_by is not None and "today at 14:00" in page.answers[0].expect_by
    words = " ".join(shared_pdf.split())
    for moment in ("Open now", "Closed now", "expect an answer by", "next 7 days", "as of"):
        assert moment not in words, moment
    assert "We answer every" in words  # the promise itself stays


def test_pdf_story_opening_hours_are_printed_once_per_calendar(shared_pdf: str) -> None:
    words = " ".join(shared_pdf.split())
    # One table for the desk's week (Monday to Friday 09:00–17:00) though three contact
    # points keep it: five rows, not fifteen; one for the night line (Monday only).
    assert words.count("09:00–17:00") == 5
    assert words.count("22:00–23:30") == 1
    assert "Service desk (Europe/London time), for Phone line, Mail box, Web chat" in words
    assert "Night line (Europe/London time), for Late line" in words
    # Each card names the hours it keeps and the page they are printed on.
    named = re.findall(r"Opening hours: (Service desk|Night line) \(Europe/London time\), "
                       r"page \d+", words)  # fmt: skip
    assert named == ["Service desk", "Service desk", "Service desk", "Night line"]


def test_pdf_story_contact_cards_are_never_split_across_pages(tmp_path: Path) -> None:
    pages = [_lines(text) for text in pdf_pages(render_charter(page_of(many_contact_points()),
                                                               None), tmp_path)]  # fmt: skip
    # 40 cards of four lines each do not fit on one A4 page: they run over several, and
    # each card's four lines (name, address, languages, hours) stay on one page.
    holding = {}
    for n in range(1, CARDS + 1):
        name = f"Desk {n:02}"
        [(number, at)] = [(i, lines.index(name)) for i, lines in enumerate(pages) if name in lines]
        card = pages[number][at : at + 4]
        whole = (
            card[1:2] == [f"E-mail: desk{n:02}@acme.example"]
            and card[2].startswith("Languages: ")
            and card[3].startswith("Opening hours: Service desk (Europe/London time), page ")
        )  # fmt: skip
        assert whole, f"{name} is split across pages {number + 1} and {number + 2}: {card}"
        holding[name] = number
    assert len(set(holding.values())) > 1


def _lines(text: str) -> list[str]:
    """A page's lines, stripped, blank ones left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]
