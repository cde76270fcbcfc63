"""The HTML report: one self-contained, accessible page that escapes what it is given.

The page is walked with the standard library's ``html.parser``; what a reader (or a
screen reader) relies on is asserted on that walk.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from charter import figures
from charter.errors import UsageError
from charter.publish.report import (
    BarChart,
    Cell,
    Histogram,
    LineChart,
    Paragraph,
    Report,
    Section,
    Table,
    Verdict,
    render,
    write,
)

H = 3600.0
VOID = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "source", "wbr"}
SVG_LEAVES = {"rect", "line", "path", "circle", "stop", "use"}
USER_LINK = "https://example.com/policy"


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: tuple[str, ...]
    children: list[Element] = field(default_factory=list)
    content: list[str | Element] = field(default_factory=list)  # text and children in order


class Walker(HTMLParser):
    """Every element with its attributes, ancestors, children and own text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, ())
        self.stack = [self.root]
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        element = Element(tag, {k: v or "" for k, v in attrs}, (*parent.parents, parent.tag))
        parent.children.append(element)
        parent.content.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].content.append(data)


def walk(page: str) -> Walker:
    walker = Walker()
    walker.feed(page)
    walker.close()
    assert walker.stack == [walker.root], "unclosed elements"
    return walker


def all_text(element: Element) -> str:
    return "".join(p if isinstance(p, str) else all_text(p) for p in element.content)


def tagged(walker: Walker, tag: str) -> list[Element]:
    return [e for e in walker.elements if e.tag == tag]


def example() -> Report:
    frame = pl.DataFrame(
        {
            "channel": ["email", "chat", "phone"],
            "tickets": [4210, 2380, 955],
            "median": [3.2 * H, 90.0, None],
            "met": [0.925, 0.981, 0.79],
        }
    )
    table = Table.from_frame(
        frame,
        "First reply per channel",
        formats={"median": figures.duration, "met": figures.share},
        tones={"met": lambda v: "good" if v >= 0.9 else "bad"},
    )
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    return Report(
        "Backtest of policy v3",
        "2,380 tickets, January to June",
        datetime(2025, 1, 14, 9, 30, tzinfo=UTC),
        [
            Section(
                "Summary",
                [
                    Verdict("We would have kept 91.2 % of first-reply promises.", "good"),
                    Verdict("Web-form tickets miss one time in five.", "bad"),
                    Paragraph(f"The policy text is at {USER_LINK}."),
                ],
            ),
            Section(
                "First reply",
                [
                    table,
                    BarChart(
                        "Met per channel",
                        ["email", "chat", "phone"],
                        {"v2": [0.9, 0.97, 0.7], "v3": [0.925, 0.981, 0.79]},
                        "share",
                        target=0.9,
                    ),
                ],
            ),
            Section(
                "Trends",
                [
                    LineChart("NPS", months, {"NPS": [12, -4, None, 15, 22, 18]}, "points"),
                    Histogram("Resolution", [H, 2 * H, 2.5 * H, 7 * H, 30 * H], 5, "duration"),
                ],
            ),
        ],
        "Charter · business time of the office calendar",
    )


PAGE = render(example())


def test_the_page_has_one_main_landmark_and_one_h1() -> None:
    walker = walk(PAGE)
    assert len(tagged(walker, "main")) == 1
    assert [all_text(h) for h in tagged(walker, "h1")] == ["Backtest of policy v3"]
    assert len(tagged(walker, "header")) == 1 and len(tagged(walker, "footer")) == 1
    assert tagged(walker, "html")[0].attrs["lang"] == "en"


def test_headings_descend_one_level_at_a_time() -> None:
    levels = [int(e.tag[1]) for e in walk(PAGE).elements if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False))
    assert levels.count(2) == 4  # contents and three sections


def test_every_table_header_has_a_scope() -> None:
    walker = walk(PAGE)
    headers = tagged(walker, "th")
    assert len(tagged(walker, "table")) == 4  # one table, three chart data tables
    assert headers and all(th.attrs.get("scope") in ("col", "row") for th in headers)
    assert all(tagged_in(t, "caption") for t in tagged(walker, "table"))


def tagged_in(element: Element, tag: str) -> list[Element]:
    found = [c for c in element.children if c.tag == tag]
    return found + [e for c in element.children for e in tagged_in(c, tag)]


def test_every_chart_is_an_image_with_a_title_and_its_data_as_a_table() -> None:
    walker = walk(PAGE)
    figures = tagged(walker, "figure")
    assert len(figures) == 3
    for figure in figures:
        (svg,) = tagged_in(figure, "svg")
        (title,) = tagged_in(svg, "title")
        assert svg.attrs["role"] == "img" and all_text(title).strip()
        assert svg.attrs["aria-labelledby"] == title.attrs["id"]
        assert all_text(tagged_in(figure, "figcaption")[0]) == all_text(title)
        assert tagged_in(figure, "table")


def test_chart_data_tables_hold_the_values_in_their_unit() -> None:
    walker = walk(PAGE)
    cells = [all_text(td) for td in tagged(walker, "td")]
    assert {"92.5 %", "98.1 %", "79 %"} <= set(cells)  # the bar chart's v3 series
    assert "—" in cells  # the line chart's missing March, and the missing median


def test_ids_are_unique_and_every_internal_reference_resolves() -> None:
    walker = walk(PAGE)
    ids = [e.attrs["id"] for e in walker.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
    hrefs = [e.attrs["href"] for e in walker.elements if "href" in e.attrs]
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    fragments = re.findall(r"url\(#([^)]+)\)", PAGE)
    assert fragments and set(fragments) <= set(ids)


def test_nothing_is_fetched_from_the_network() -> None:
    walker = walk(PAGE)
    assert not tagged(walker, "script") and not tagged(walker, "link")
    assert not tagged(walker, "img") and not tagged(walker, "iframe")
    assert not any("src" in e.attrs for e in walker.elements)
    assert "@import" not in PAGE and "<script" not in PAGE.lower()
    assert re.findall(r"url\((?!#)", PAGE) == []
    assert PAGE.replace(USER_LINK, "").count("http") == 0  # only the text the user wrote


def test_a_link_the_user_wrote_stays_plain_text() -> None:
    walker = walk(PAGE)
    assert USER_LINK in PAGE
    assert not any(USER_LINK in e.attrs.get("href", "") for e in walker.elements)


MALICIOUS = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "report",
    [
        Report(MALICIOUS),
        Report("t", MALICIOUS, footer=MALICIOUS),
        Report("t", sections=[Section(MALICIOUS, [Paragraph(MALICIOUS)])]),
        Report("t", sections=[Section("s", [Verdict(MALICIOUS, "bad")])]),
        Report("t", sections=[Section("s", [Table([MALICIOUS], [[MALICIOUS]], MALICIOUS)])]),
        Report("t", sections=[Section("s", [BarChart(MALICIOUS, [MALICIOUS], {"a": [1]})])]),
        Report("t", sections=[Section("s", [LineChart("l", ["x"], {MALICIOUS: [1]})])]),
    ],
)
def test_text_from_the_user_is_escaped_everywhere(report: Report) -> None:
    page = render(report)
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert not tagged(walk(page), "script")


def test_table_columns_of_numbers_align_right_and_tones_show_without_colour() -> None:
    walker = walk(PAGE)
    first_table = tagged(walker, "table")[0]
    headers = [(all_text(th), th.attrs.get("class", "")) for th in tagged_in(first_table, "th")]
    # Column names read as headings (charter.publish.report.heading): "channel" is "Channel".
    assert headers[:4] == [("Channel", ""), ("Tickets", "num"), ("Median", "num"), ("Met", "num")]
    rows = tagged_in(first_table, "tr")[1:]
    email, phone = ([all_text(c).strip() for c in row.children] for row in (rows[0], rows[2]))
    assert email == ["email", "4,210", "3 h 12 min", "✓ 92.5 % (good)"]
    assert phone == ["phone", "955", "—", "✗ 79 % (needs attention)"]


def test_verdicts_name_their_tone_in_words() -> None:
    walker = walk(PAGE)
    verdicts = [e for e in walker.elements if "verdict" in e.attrs.get("class", "").split()]
    words = [all_text(tagged_in(v, "strong")[0]) for v in verdicts]
    assert words == ["Good", "Needs attention"]
    assert (
        all_text(verdicts[1]).strip() == "Needs attention Web-form tickets miss one time in five."
    )


def test_the_generation_time_is_shown_and_machine_readable() -> None:
    (time,) = tagged(walk(PAGE), "time")
    assert time.attrs["datetime"] == "2025-01-14T09:30+00:00"
    assert all_text(time) == "Tue 14 Jan 2025 09:30 UTC"


def test_the_same_report_renders_to_the_same_bytes_in_another_process() -> None:
    assert render(example()) == PAGE
    script = "import sys, test_publish_report; sys.stdout.write(test_publish_report.PAGE)"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONIOENCODING": "utf-8"}
    tests = str(Path(__file__).parent)
    env["PYTHONPATH"] = os.pathsep.join([tests, env.get("PYTHONPATH", "")])
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, env=env, check=True, cwd=tests
    )
    assert run.stdout.decode("utf-8") == PAGE


def test_an_example_report_stays_small() -> None:
    assert len(PAGE.encode("utf-8")) < 80_000


@pytest.mark.parametrize(
    ("sections", "note"),
    [
        ([], "This report has no sections."),
        ([Section("Escalations", [BarChart("Escalations", [], {})])], "No data to show"),
        ([Section("Trend", [LineChart("CSAT", ["Jan"], {"csat": [None]})])], "No data to show"),
        ([Section("Spread", [Histogram("Resolution", [])])], "No data to show"),
        ([Section("Rows", [Table(["a", "b"], [], "Nothing yet")])], "No rows."),
    ],
)
def test_empty_data_renders_a_note_instead_of_failing(sections: list[Section], note: str) -> None:
    page = render(Report("Empty", sections=sections))
    assert note in page
    walk(page)


def test_a_histogram_data_table_counts_each_bin_and_what_fell_outside() -> None:
    chart = Histogram("Spread", [1, 2, 2, 3, 3, 3, 9], bins=[0, 2, 4], count_label="Tickets")
    page = render(Report("t", sections=[Section("s", [chart])]))
    table = tagged(walk(page), "table")[0]
    rows = [[all_text(c).strip() for c in row.children] for row in tagged_in(table, "tr")]
    assert rows == [
        ["Range", "Tickets"],
        ["0 to 2", "1"],
        ["2 to 4", "5"],
        ["Outside the bins", "1"],
    ]


def test_from_frame_keeps_numeric_alignment_when_values_are_formatted_as_text() -> None:
    frame = pl.DataFrame({"team": ["a"], "share": [0.5]})
    table = Table.from_frame(frame, "t", formats={"share": figures.share})
    assert table.numeric == (False, True)
    assert isinstance(table.rows[0][1], Cell) and table.rows[0][1].text == "50 %"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Table(["a", "b"], [[1]], "Teams"), "row 1 has 1 cells but there are 2 columns"),
        (lambda: Table([], [], "Teams"), "has no columns"),
        (lambda: Verdict("x", "great"), "tone 'great' is not one of good, bad, neutral"),  # type: ignore[arg-type]
        (lambda: Cell(1, "red"), "tone 'red'"),  # type: ignore[arg-type]
        (lambda: Section("Summary", ["text"]), "block 1 is a str"),  # type: ignore[list-item]
        (lambda: Report("R", sections=[Paragraph("p")]), "section 1 is a Paragraph"),  # type: ignore[list-item]
        (
            lambda: Table.from_frame(pl.DataFrame({"a": [1]}), "T", formats={"b": str}),
            "no column 'b' in the frame; its columns are a",
        ),
        (
            lambda: Table.from_frame(pl.DataFrame({"a": range(5)}), "T", max_rows=3),
            "would have 5 rows and a report shows at most 3",
        ),
    ],
)
def test_a_malformed_block_is_refused_with_the_reason(make: object, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        make()  # type: ignore[operator]


def test_write_saves_the_page(tmp_path: Path) -> None:
    path = write(example(), tmp_path / "report.html")
    assert path.read_text(encoding="utf-8") == PAGE


@pytest.mark.parametrize(
    ("where", "message"),
    [("missing/report.html", "No such file or directory"), (".", "it is a folder")],
)
def test_write_says_why_a_path_cannot_be_written(tmp_path: Path, where: str, message: str) -> None:
    target = tmp_path / where
    with pytest.raises(UsageError, match=re.escape(message)) as caught:
        write(Report("t"), target)
    assert str(target) in str(caught.value)


def test_section_anchors_are_distinct_from_each_other_and_from_other_ids() -> None:
    titles = ["Trends", "Trends", "Chart 1", "Content", "Trends heading", "Contents"]
    page = render(Report("t", sections=[Section(title) for title in titles]))
    walker = walk(page)
    sections = [e.attrs["id"] for e in tagged(walker, "section")]
    assert sections == [
        "trends",
        "trends-2",
        "section-chart-1",  # chart-N belongs to charts
        "content-2",  # content is the main landmark
        "trends-heading",
        "contents-2",  # contents is the table of contents
    ]
    ids = [e.attrs["id"] for e in walker.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids))
