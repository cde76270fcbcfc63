"""Charts as SVG: nice ticks, labels in their unit, bars proportional to their values,
gaps and empty data, accessible names, deterministic bytes.

Expected ticks and label texts are worked out by hand in the tables below.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from charter.errors import UsageError
from charter.publish.svg import PALETTE, BarChart, Histogram, LineChart, draw, nice_ticks

H = 3600.0


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter("text")]


def tick_labels(svg: str) -> list[str]:
    groups = [g for g in parse(svg).iter("g") if g.get("class") == "grid"]
    return [t.text or "" for g in groups for t in g.iter("text")]


def bars(svg: str) -> list[dict[str, float]]:
    rects = [r for r in parse(svg).iter("rect") if r.get("class") == "bar"]
    return [{k: float(r.get(k, "0")) for k in ("x", "y", "width", "height")} for r in rects]


def grid_y(svg: str, label: str) -> float:
    """The height of the grid line whose tick label reads ``label``."""
    for group in parse(svg).iter("g"):
        if group.get("class") != "grid":
            continue
        children = list(group)
        for line, caption in zip(children, children[1:], strict=False):
            if line.tag == "line" and caption.tag == "text" and caption.text == label:
                return float(line.get("y1", "nan"))
    raise AssertionError(f"no grid line labelled {label!r}")


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [
        (0, 97, [0, 20, 40, 60, 80, 100]),  # rough step 19.4 -> 20
        (0, 7.3, [0, 2, 4, 6, 8]),  # step 1 needs 8 intervals, 2 needs 4
        (-42, 63, [-50, 0, 50, 100]),  # NPS-like: 20 needs 7 intervals, 50 needs 3
        (-100, 100, [-100, -50, 0, 50, 100]),
        (0, 0.0042, [0, 0.001, 0.002, 0.003, 0.004, 0.005]),
        (0, 1234, [0, 500, 1000, 1500]),  # 200 needs 7 intervals
        (0.3, 0.7, [0.3, 0.4, 0.5, 0.6, 0.7]),
        (0, 0, [0, 0.2, 0.4, 0.6, 0.8, 1]),  # nothing to span: zero to one
        (5, 5, [0, 1, 2, 3, 4, 5]),  # a single value is shown from zero
    ],
)
def test_nice_ticks_step_by_one_two_or_five_times_a_power_of_ten(
    lo: float, hi: float, ticks: list[float]
) -> None:
    assert nice_ticks(lo, hi) == ticks


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e6, allow_nan=False),
)
def test_nice_ticks_cover_the_range_in_at_most_five_nice_steps(lo: float, span: float) -> None:
    hi = lo + span
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    slack = step * 1e-9  # ends within float noise of a tick are on it
    assert ticks[0] <= lo + slack and ticks[-1] >= hi - slack
    assert 2 <= len(ticks) <= 6
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))


@pytest.mark.parametrize(
    ("values", "unit", "ticks", "labels"),
    [
        # 7.5 h is below two days: the axis counts hours, ticks 0..8 h by 2
        ([2 * H, 7.5 * H], "duration", ["0 h", "2 h", "4 h", "6 h", "8 h"], ["2 h", "7 h 30 min"]),
        # 50 minutes: the axis counts minutes; rough step 10 is nice, 0..50 in 5 intervals
        (
            [45 * 60, 50 * 60],
            "duration",
            ["0 min", "10 min", "20 min", "30 min", "40 min", "50 min"],
            ["45 min", "50 min"],
        ),
        ([0.925, 0.6], "share", ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"], ["92.5 %"]),
        ([1234, 50], "tickets", ["0", "500", "1,000", "1,500"], ["1,234", "50"]),
    ],
)
def test_axis_and_value_labels_are_written_in_the_unit(
    values: list[float], unit: str, ticks: list[str], labels: list[str]
) -> None:
    svg = draw(BarChart("c", ["a", "b"], {"s": values}, unit, orientation="vertical"), "c")
    assert [t for t in tick_labels(svg) if t != unit] == ticks
    assert set(labels) <= set(texts(svg))


@pytest.mark.parametrize(
    ("values", "unit", "ticks"),
    [
        # far from zero and spread enough: the axis spans the data
        ([0.7, 0.99], "share", ["70 %", "80 %", "90 %", "100 %"]),
        # 90-91 %: widened to a fifth of 91 % (18.2 points): 81.4-99.6 -> 80..100 by 5
        ([0.9, 0.91], "share", ["80 %", "85 %", "90 %", "95 %", "100 %"]),
        # 97-99 % widened to 88.1-107.9, then moved under 100 %: 80.2-100 -> 80..100 by 5
        ([0.97, 0.99], "share", ["80 %", "85 %", "90 %", "95 %", "100 %"]),
        ([1, 3], "tickets", ["0", "1", "2", "3"]),  # closer to zero than their spread
        ([-12, 31], "points", ["-20", "0", "20", "40"]),  # NPS across zero
    ],
)
def test_a_line_axis_starts_at_zero_only_when_the_values_are_near_it(
    values: list[float], unit: str, ticks: list[str]
) -> None:
    svg = draw(LineChart("c", ["a", "b"], {"s": values}, unit), "c")
    assert [t for t in tick_labels(svg) if t != unit] == ticks


def test_upright_bar_heights_are_proportional_to_their_values() -> None:
    svg = draw(BarChart("c", ["a", "b", "c"], {"n": [10, 20, 40]}, orientation="vertical"), "c")
    heights = [b["height"] for b in bars(svg)]
    # the axis runs 0..40 (step 10), so 40 fills the distance between the 0 and 40 lines
    full = grid_y(svg, "0") - grid_y(svg, "40")
    assert heights == pytest.approx([full / 4, full / 2, full], abs=0.1)
    assert heights[1] / heights[0] == pytest.approx(2, abs=0.01)


def test_lying_bar_lengths_are_proportional_to_their_values() -> None:
    chart = BarChart("c", ["a", "b"], {"n": [3 * H, 9 * H]}, "duration", orientation="horizontal")
    widths = [b["width"] for b in bars(draw(chart, "c"))]
    assert widths[1] / widths[0] == pytest.approx(3, abs=0.01)


def test_negative_bars_hang_below_the_zero_line() -> None:
    svg = draw(BarChart("NPS", ["a", "b"], {"nps": [-12, 30]}, "points"), "c")
    negative, positive = bars(svg)
    zero = grid_y(svg, "0")
    assert negative["y"] == pytest.approx(zero, abs=0.1)
    assert positive["y"] + positive["height"] == pytest.approx(zero, abs=0.1)
    assert negative["height"] / positive["height"] == pytest.approx(12 / 30, abs=0.01)
    assert "-12" in texts(svg)


def test_grouped_series_differ_by_pattern_not_only_colour() -> None:
    chart = BarChart("c", ["a"], {"v2": [1], "v3": [2], "v4": [3]}, orientation="vertical")
    svg = draw(chart, "c")
    fills = [r.get("fill") for r in parse(svg).iter("rect") if r.get("class") == "bar"]
    assert fills[0] == PALETTE[0] and fills[1] == "url(#c-p1)" and fills[2] == "url(#c-p2)"
    defined = {p.get("id") for p in parse(svg).iter("pattern")}
    assert defined == {"c-p1", "c-p2"}


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", PALETTE)
def test_every_series_colour_contrasts_with_the_white_page(colour: str) -> None:
    ratio = 1.05 / (relative_luminance(colour) + 0.05)  # WCAG contrast against #fff
    assert ratio >= 4.5


def test_a_missing_value_leaves_a_gap_in_a_line() -> None:
    chart = LineChart("c", ["Jan", "Feb", "Mar", "Apr", "May"], {"s": [1, 2, None, 4, 5]})
    svg = draw(chart, "c")
    path = next(p.get("d", "") for p in parse(svg).iter("path") if p.get("fill") == "none")
    assert path.count("M") == 2 and path.count("L") == 2


def test_a_single_point_is_a_marker_without_a_line() -> None:
    svg = draw(LineChart("c", ["Jan"], {"s": [0.9]}, "share"), "c")
    series = next(g for g in parse(svg).iter("g") if g.get("class") == "series")
    assert [child.tag for child in series] == ["circle"]
    assert "90 %" in texts(svg)


def test_missing_bar_values_are_marked_and_not_drawn() -> None:
    chart = BarChart("c", ["a", "b", "c"], {"s": [1.0, None, float("nan")]}, orientation="vertical")
    svg = draw(chart, "c")
    assert len(bars(svg)) == 1
    assert texts(svg).count("n/a") == 2


@pytest.mark.parametrize(
    "chart",
    [
        BarChart("c", [], {}),
        BarChart("c", ["a", "b"], {"s": [None, float("nan")]}),
        LineChart("c", ["Jan", "Feb"], {"s": [None, None]}),
        LineChart("c", [], {}),
        Histogram("c", []),
        Histogram("c", [None, float("nan"), float("inf")]),
    ],
)
def test_a_chart_without_data_says_so(chart: BarChart | LineChart | Histogram) -> None:
    svg = draw(chart, "c")
    assert "No data to show" in texts(svg)
    assert parse(svg).get("role") == "img"


@pytest.mark.parametrize(
    "chart",
    [
        BarChart("c", ["a", "b"], {"s": [0, 0]}),
        LineChart("c", ["a", "b"], {"s": [0, 0]}, "share"),
        Histogram("c", [0, 0, 0]),
        Histogram("c", [7.0]),
    ],
)
def test_all_zero_or_a_single_value_still_draws_an_axis(
    chart: BarChart | LineChart | Histogram,
) -> None:
    svg = draw(chart, "c")
    assert "No data to show" not in texts(svg)
    assert all(math.isfinite(float(n)) for n in re.findall(r'"(-?\d+(?:\.\d+)?)"', svg))


def test_histogram_counts_values_into_the_given_bins() -> None:
    # [0, 2): the 1; [2, 4]: two 2s and three 3s -> 1 and 5; the 9 lies outside
    svg = draw(Histogram("c", [1, 2, 2, 3, 3, 3, 9], bins=[0, 2, 4]), "c")
    low, high = (b["height"] for b in bars(svg))
    assert high / low == pytest.approx(5, abs=0.01)
    assert "1 of 7 values lie outside the bins, not shown." in texts(svg)


def test_histogram_takes_a_polars_series_with_nulls() -> None:
    values = pl.Series([1.0, None, 3.0, float("nan"), 3.5])  # three values, two not numbers
    svg = draw(Histogram("c", values, bins=[0, 2, 4]), "c")
    low, high = (b["height"] for b in bars(svg))
    assert high / low == pytest.approx(2, abs=0.01)


def test_histogram_bins_fall_on_nice_edges() -> None:
    values = np.linspace(0, 97, 50)  # about five bins over 0..97 -> edges every 20
    shown = texts(draw(Histogram("c", values, bins=5), "c"))
    assert {"0", "20", "40", "60", "80", "100"} <= set(shown)
    assert len(bars(draw(Histogram("c", values, bins=5), "c"))) == 5


def test_every_chart_is_an_image_named_by_its_title_and_described() -> None:
    svg = draw(BarChart("First reply", ["Email"], {"median": [2 * H]}, "duration", 4 * H), "c9")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    title = root.find("title")
    desc = root.find("desc")
    assert title is not None and title.text == "First reply"
    assert root.get("aria-labelledby") == title.get("id")
    assert desc is not None and desc.text == "Bar chart. Email: 2 h. Target 4 h."


def test_text_in_a_chart_is_escaped() -> None:
    chart = BarChart("<script>x</script>", ["<b>&"], {'a"b': [1]}, orientation="vertical")
    svg = draw(chart, "c")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # would fail on a raw "<" or "&"
    assert root.find("title") is not None and root.findtext("title") == "<script>x</script>"
    assert "<b>&" in texts(svg)


def test_coordinates_are_rounded_to_a_tenth() -> None:
    chart = LineChart("c", [str(i) for i in range(7)], {"s": [1 / 3, 2 / 7, 0.1, 5 / 9, 0, 1, 0.7]})
    geometry = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d")
    numbers = [
        number
        for element in parse(draw(chart, "c")).iter()
        for name in geometry
        for number in re.findall(r"-?\d+(?:\.\d+)?", element.get(name, ""))
    ]
    assert len(numbers) > 50
    assert all("." not in n or len(n.split(".")[1]) == 1 for n in numbers)


def test_the_same_chart_gives_the_same_bytes() -> None:
    def chart() -> LineChart:
        return LineChart("c", ["a", "b", "c"], {"x": [1.0, None, 3.0], "y": [2.0, 2.5, 1.0]}, "h")

    assert draw(chart(), "c") == draw(chart(), "c")


def test_long_labels_lay_the_bars_down() -> None:
    labels = ["Technical support level 2", "Returns and refunds"]
    lying = bars(draw(BarChart("c", labels, {"s": [1, 2]}), "c"))
    upright = bars(draw(BarChart("c", ["a", "b"], {"s": [1, 2]}), "c"))
    assert lying[0]["height"] == lying[1]["height"] and lying[0]["width"] < lying[1]["width"]
    assert (
        upright[0]["width"] == upright[1]["width"] and upright[0]["height"] < upright[1]["height"]
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: BarChart("Reply", ["a", "b"], {"median": [1]}), "'median' has 1 values for 2"),
        (lambda: LineChart("Trend", ["a"], {"s": [1, 2]}), "'s' has 2 values for 1"),
        (lambda: BarChart("Reply", [], {}, orientation="diagonal"), "orientation 'diagonal'"),  # type: ignore[arg-type]
        (lambda: Histogram("Spread", [1], bins=[3, 1]), "must be at least two increasing"),
        (lambda: Histogram("Spread", [1], bins=0), "bins must be at least 1"),
    ],
)
def test_a_malformed_chart_is_refused_with_the_reason(make: object, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        make()  # type: ignore[operator]


# Dashboard story: "chart text at least 12 px". Each text's size is its own font-size or
# the nearest enclosing element's (the <svg> root says 12); the dashboard draws a chart
# at its own 720-unit width, so a size in the SVG is its size on screen.

MIN_TEXT = 12


def text_sizes(svg: str) -> list[tuple[str, float]]:
    """Every text of the chart with the font size it is drawn at, inherited or its own."""
    found: list[tuple[str, float]] = []

    def walk(node: ET.Element, size: float | None) -> None:
        own = node.get("font-size")
        size = float(own) if own is not None else size
        if node.tag.rsplit("}", 1)[-1] == "text":
            assert size is not None, node.text
            found.append((node.text or "", size))
        for child in node:
            walk(child, size)

    walk(parse(svg), None)
    return found


SIZE_CHARTS = {
    "upright bars with values and a target": BarChart(
        "SLA compliance by channel", ["chat", "email", "phone"],
        {"First response": [0.61, 0.9, None], "Resolution": [0.8, 0.7, 0.95]}, "share", 0.85,
    ),
    "lying bars": BarChart(
        "Open tickets by age", ["under 1 day", "1–2 days", "3–7 days", "over 30 days"],
        {"Open": [3.0, 5.0, 8.0, 1.0], "At risk": [1.0, 0.0, 2.0, 0.0]}, "tickets",
        orientation="horizontal",
    ),
    "lines with a target": LineChart(
        "First response time", ["1 Dec", "2 Dec", "3 Dec"],
        {"Median": [1800.0, None, 5400.0], "p90": [7200.0, 9000.0, 10800.0]}, "duration",
        2 * H, x_title="Day",
    ),
    "a histogram": Histogram("Reply times", [60.0, 600.0, 3600.0, 7200.0], bins=4,
                             unit="duration"),
    "no data": LineChart("Nothing", ["1 Dec"], {"Median": [None]}, "duration"),
}  # fmt: skip


@pytest.mark.parametrize("name", SIZE_CHARTS)
def test_dashboard_story_every_text_of_a_chart_is_at_least_12_px(name: str) -> None:
    sizes = text_sizes(draw(SIZE_CHARTS[name], "c"))
    assert sizes  # axis labels, legends and values are all texts
    small = [(content, size) for content, size in sizes if size < MIN_TEXT]
    assert not small, small


def test_dashboard_story_last_values_at_zero_stay_above_the_day_labels_without_overlap() -> None:
    # Both series end at 0 (the demo's "21 min" pair on its last day): the two labels are
    # nudged apart by at least a line of 12 px text, and the lower one stays on the zero
    # line's level (its baseline at most 4 below it), above the day labels under the plot.
    chart = LineChart("Replies", ["1 Dec", "2 Dec", "3 Dec"],
                      {"Median": [3600.0, 1800.0, 0.0], "p90": [7200.0, 3600.0, 0.0]},
                      "tickets")  # fmt: skip
    svg = draw(chart, "c")
    group = next(g for g in parse(svg).iter("g") if g.get("class") == "last-values")
    ys = sorted(float(t.get("y", "nan")) for t in group.iter("text"))
    assert len(ys) == 2 and ys[1] - ys[0] >= MIN_TEXT
    assert ys[1] <= grid_y(svg, "0") + 4
