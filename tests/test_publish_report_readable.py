"""HTML reports a person can read: the rules by name, headings in words, and columns that
fit the page at 1366 px (a browser check)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app
from charter.publish.report import heading
from charter.tickets.dataset import write_dataset
from support.browser import chromium
from support.cases import backtest_tickets

POLICY = """
organisation: {name: A, mission: M}
calendars: [{id: office, timezone: Europe/London,
  weekly: {mon: [09:00-17:00], tue: [09:00-17:00], wed: [09:00-17:00], thu: [09:00-17:00],
           fri: [09:00-17:00]}}]
service_levels:
  rules: [{id: sl-main, name: Every e-mail and chat,
           targets: {first_response: {within: TARGET, clock: office, attainment: 70%}}}]
"""


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("rule_id", "Rule"),  # the rule column names the rule
        ("metric", "Promise"),
        ("elapsed_seconds", "Time taken"),
        ("times_target", "Times the target"),
        ("first_contact_rate", "First contact rate"),  # any snake_case name: words
        ("team_id", "Team"),
        ("met under new.yaml", "met under new.yaml"),  # already words: as given
        ("Range", "Range"),
        ("met", "Met"),  # one lower-case word: capitalised
    ],
)
def test_story_reports_headings_read_as_words(name: str, shown: str) -> None:
    assert heading(name) == shown


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backtest of two drafts (2 h and 4 h first replies) on the five tickets of
    ``backtest_tickets``, with recommendations: every table a backtest report has.
    The folder's long name makes the side-by-side table's headings long, as real paths
    are."""
    folder = tmp_path_factory.mktemp("a-folder-with-a-rather-long-name-like-real-ones")
    new, old = folder / "new-draft-of-the-policy.yaml", folder / "policy-in-force-now.yaml"
    new.write_text(POLICY.replace("TARGET", "2h"), "utf-8")
    old.write_text(POLICY.replace("TARGET", "4h"), "utf-8")
    data = backtest_tickets()
    write_dataset(folder / "data", data.tickets, data.events)
    page = folder / "report.html"
    result = CliRunner().invoke(app, ["backtest", str(new), "-t", str(folder / "data"),
                                      "--against", str(old), "--recommend", "80", "--now",
                                      "2026-01-12T09:00Z", "--report", str(page)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return page


def test_story_reports_name_rules_and_promises_in_words_not_ids(report: Path) -> None:
    html = report.read_text("utf-8")
    promises = html[html.index("<caption>Each promise on past tickets</caption>") :]
    headings = re.findall(r'<th scope="col"[^>]*><span class="heading">([^<]*)</span>', html)
    # The promises table: rule, promise, target, then the counts (hand-listed).
    first = re.findall(r'<span class="heading">([^<]*)</span>', promises)[:9]
    assert first == ["Rule", "Promise", "Target", "Promised", "Met", "Breached",
                     "Still running", "Share met", "Kept"]  # fmt: skip
    assert not [h for h in headings if re.fullmatch(r"[a-z]+(_[a-z]+)+", h)]  # no raw names
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", html)
    assert "Every e-mail and chat" in cells and "sl-main" not in cells
    assert "first response" in cells and "first_response" not in cells
    assert "sl-main ·" not in html  # the chart's labels and the verdicts name it too
    assert "Every e-mail and chat · first response" in html


@pytest.mark.browser
def test_story_reports_no_table_is_wider_than_the_page_at_1366_px(report: Path) -> None:
    # Before: the page was 50rem wide and the side-by-side table, headed by two file
    # paths, ran to about twice that, scrolling sideways inside the page.
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(report.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        overflowing = page.evaluate(
            """[...document.querySelectorAll('.table-scroll')]
                 .filter(box => box.scrollWidth > box.clientWidth + 1)
                 .map(box => box.querySelector('caption').textContent)"""
        )
        assert overflowing == []
        page.close()
