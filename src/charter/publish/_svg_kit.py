"""The pieces every chart is made of: elements, colours and patterns, legends, the frame.

Output is deterministic: attributes keep their order, coordinates are rounded to 0.1.

>>> el("rect", {"x": 1.04, "y": -0.01, "width": 10})
'<rect x="1" y="0" width="10"/>'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

# Six hues far apart, each dark enough for at least 4.5:1 contrast on white.
PALETTE = ("#1f5fa8", "#b3501a", "#2b7a3d", "#7a3f9d", "#8a6500", "#0e6f7d")
INK = "#1a1a1a"
MUTED = "#595959"
GRID = "#dcdcdc"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
WIDTH = 720
CHAR = 0.6  # average glyph width of the sans-serif face, in font sizes
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
TARGET_LINE = {"stroke": INK, "stroke-width": 2, "stroke-dasharray": "6 4"}


def num(value: float) -> str:
    """A coordinate rounded to 0.1 without float noise, trailing ``.0`` or ``-0``."""
    text = f"{round(value, 1) + 0.0:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def el(name: str, attrs: Mapping[str, object], body: str = "") -> str:
    """One element; numbers become rounded coordinates, text is escaped by the caller."""
    parts = [name]
    for key, value in attrs.items():
        shown = num(value) if isinstance(value, float | int) else str(value)
        parts.append(f'{key}="{escape(shown, quote=True)}"')
    opening = " ".join(parts)
    return f"<{opening}>{body}</{name}>" if body else f"<{opening}/>"


def text(x: float, y: float, content: str, **attrs: object) -> str:
    """A text label; ``anchor`` is ``start``, ``middle`` or ``end``."""
    anchor = attrs.pop("anchor", "start")
    base: dict[str, object] = {"x": x, "y": y}
    if anchor != "start":
        base["text-anchor"] = anchor
    return el("text", {**base, **attrs}, escape(content, quote=False))


def text_width(content: str, size: float) -> float:
    """An estimate of a label's width, good enough to leave room for it."""
    return len(content) * size * CHAR


def clip_label(content: str, room: float, size: float) -> str:
    """``content`` shortened with an ellipsis so that it fits ``room``."""
    fits = max(1, int(room / (size * CHAR)))
    return content if len(content) <= fits else content[: max(1, fits - 1)].rstrip() + "…"


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def fill(chart_id: str, index: int) -> str:
    """Series 0 is solid; the others are hatched so they differ without colour too."""
    return colour(index) if index % len(PALETTE) == 0 else f"url(#{chart_id}-p{index})"


def patterns(chart_id: str, count: int) -> str:
    """``<defs>`` with one pattern a series after the first: stripes, dots, cross-hatch."""
    defs = [_pattern(chart_id, i) for i in range(1, count) if i % len(PALETTE)]
    return el("defs", {}, "".join(defs)) if defs else ""


def _pattern(chart_id: str, index: int) -> str:
    kind = index % len(PALETTE)
    angle = {1: 45, 2: 0, 3: 45, 4: 0, 5: -45}[kind]
    ink = {"stroke": "#fff", "stroke-width": 2.5}
    marks = {
        2: el("circle", {"cx": 3, "cy": 3, "r": 1.6, "fill": "#fff"}),
        3: el("path", {"d": "M0 3H6M3 0V6", **ink, "stroke-width": 1.5}),
    }.get(kind, el("path", {"d": "M0 0H6", **ink}))
    body = el("rect", {"width": 6, "height": 6, "fill": colour(index)}) + marks
    attrs = {"id": f"{chart_id}-p{index}", "width": 6, "height": 6}
    attrs |= {"patternUnits": "userSpaceOnUse", "patternTransform": f"rotate({angle})"}
    return el("pattern", attrs, body)


def marker(kind: str, x: float, y: float, paint: str) -> str:
    """A point marker whose shape tells its series apart without colour."""
    style = {"fill": paint, "stroke": "#fff", "stroke-width": 1}
    if kind == "square":
        return el("rect", {"x": x - 3.5, "y": y - 3.5, "width": 7, "height": 7, **style})
    if kind == "triangle":
        return el(
            "path", {"d": _path(((x, y - 4.5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5))), **style}
        )
    if kind == "diamond":
        points = ((x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y))
        return el("path", {"d": _path(points), **style})
    return el("circle", {"cx": x, "cy": y, "r": 4, **style})


def _path(points: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{num(x)} {num(y)}" for x, y in points) + "Z"


def legend(
    chart_id: str,
    names: Sequence[str],
    top: float,
    *,
    lines: bool = False,
    target: str | None = None,
) -> tuple[str, float]:
    """Swatches (or line samples) with series names, then the target's dashed line when
    given, wrapped over rows; and the height they take."""
    keys = [(name, _legend_key(chart_id, i, lines)) for i, name in enumerate(names)]
    if target is not None:
        keys.append((target, el("path", {"d": "M-2 6H18", **TARGET_LINE})))
    items, x, y = [], 12.0, top
    for name, key in keys:
        width = 30 + text_width(name, 12) + 16
        if x + width > WIDTH - 12 and x > 12:
            x, y = 12.0, y + 20
        items.append(el("g", {"transform": f"translate({num(x)} {num(y)})"}, key))
        items.append(text(x + 24, y + 10, name))
        x += width
    return el("g", {"class": "legend", "font-size": 12, "fill": INK}, "".join(items)), y - top + 20


def _legend_key(chart_id: str, index: int, lines: bool) -> str:
    if not lines:
        box = {"x": 0, "y": 0, "width": 16, "height": 12, "fill": fill(chart_id, index)}
        return el("rect", {**box, "stroke": colour(index)})
    dash = DASHES[index % len(DASHES)]
    line = {"d": "M-2 6H18", "stroke": colour(index), "stroke-width": 2.5}
    line |= {"stroke-dasharray": dash} if dash else {}
    return el("path", line) + marker(MARKERS[index % len(MARKERS)], 8, 6, colour(index))


def frame(chart_id: str, title: str, desc: str, height: float, body: str) -> str:
    """The ``<svg>`` root: scales by its viewBox, named by its title, described by ``desc``."""
    attrs = {
        "class": "chart",
        "viewBox": f"0 0 {WIDTH} {num(height)}",
        "width": WIDTH,
        "height": height,
        "role": "img",
        "aria-labelledby": f"{chart_id}-title",
        "aria-describedby": f"{chart_id}-desc",
        "font-family": FONT,
        "font-size": 12,
    }
    head = el("title", {"id": f"{chart_id}-title"}, escape(title, quote=False) or "Chart")
    head += el("desc", {"id": f"{chart_id}-desc"}, escape(desc, quote=False))
    return el("svg", attrs, head + body)


def no_data(chart_id: str, title: str) -> str:
    """A chart with nothing to draw says so instead of drawing empty axes."""
    box = {"x": 0.5, "y": 0.5, "width": WIDTH - 1, "height": 59, "fill": "#f6f6f6"}
    body = el("rect", {**box, "stroke": GRID, "rx": 4})
    body += text(WIDTH / 2, 35, "No data to show", anchor="middle", fill=MUTED, **{"font-size": 14})
    return frame(chart_id, title, "No data to show.", 60, body)
