"""Text contrast on every page: each colour the stylesheets give text, on each background
they give anything, is at least 4.5:1 (WCAG 2.1 AA for body text), and so are the
chart colours on the page. Ratios follow WCAG's relative-luminance formula."""

from __future__ import annotations

import re

import pytest

from charter.publish import _svg_kit as svg
from charter.publish.templating import STATIC as SHARED_STATIC
from charter.web.app import STATIC

AA = 4.5
STYLESHEETS = sorted([*STATIC.glob("*.css"), *SHARED_STATIC.glob("*.css")])


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rgb`` or ``#rrggbb``."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_gives_wcags_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just fails AA
    assert contrast("#767676", "#fff") == pytest.approx(4.54, abs=0.01)  # just passes


def _variables(css: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", css))


def _resolved(value: str, variables: dict[str, str]) -> str | None:
    value = value.strip()
    found = re.fullmatch(r"var\(--([\w-]+)\)", value)
    if found:
        return variables[found.group(1)]
    return value if re.fullmatch(r"#[0-9a-fA-F]{3,6}", value) else None


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector, block in re.findall(r"([^{}]+)\{([^{}]*)\}", body):
        declarations = {
            name.strip(): value.strip()
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", block)
        }
        rules.append((selector.strip(), declarations))
    return rules


def _palette() -> tuple[dict[str, str], dict[str, str]]:
    """Every text colour and every background colour the stylesheets set, by where."""
    variables: dict[str, str] = {}
    for sheet in STYLESHEETS:
        variables |= _variables(sheet.read_text())
    texts, backgrounds = {}, {}
    for sheet in STYLESHEETS:
        for selector, declarations in _rules(sheet.read_text()):
            where = f"{sheet.name}: {selector}"
            colour = _resolved(declarations.get("color", ""), variables)
            if colour:
                texts[where] = colour
            for name in ("background", "background-color"):
                fill = _resolved(declarations.get(name, ""), variables)
                if fill:
                    backgrounds[where] = fill
    return texts, backgrounds


def test_the_stylesheets_are_read_whole() -> None:
    texts, backgrounds = _palette()
    assert len(STYLESHEETS) >= 5
    assert "charter.css: a" in texts and "charter.css: mark" in backgrounds
    assert len(texts) >= 10 and len(backgrounds) >= 8


def test_every_text_colour_is_readable_on_every_background() -> None:
    texts, backgrounds = _palette()
    light = {where: fill for where, fill in backgrounds.items() if luminance(fill) > 0.5}
    dark = {where: fill for where, fill in backgrounds.items() if luminance(fill) <= 0.5}
    failures = [
        f"{text_at} ({colour}) on {fill_at} ({fill}): {contrast(colour, fill):.2f}:1"
        for text_at, colour in texts.items()
        for fill_at, fill in (light if luminance(colour) <= 0.5 else dark).items()
        if contrast(colour, fill) < AA
    ]
    assert failures == []


def test_chart_text_and_series_colours_are_readable_on_the_page() -> None:
    chart_background = "#f6f6f6"  # the empty chart's box; charts are otherwise on white
    for colour in (svg.INK, svg.MUTED, *svg.PALETTE):
        for fill in ("#ffffff", chart_background):
            assert contrast(colour, fill) >= AA, (colour, fill)


def test_a_low_contrast_rule_would_be_caught() -> None:
    css = ":root { --pale: #aaaaaa; } .note { color: var(--pale); background: #ffffff; }"
    variables = _variables(css)
    [(_, declarations)] = [rule for rule in _rules(css) if rule[0] == ".note"]
    colour = _resolved(declarations["color"], variables)
    assert colour is not None and contrast(colour, "#ffffff") < AA
