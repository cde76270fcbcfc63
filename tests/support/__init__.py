"""Helpers the tests share, one module per kind (``support.db``, ``support.web``,
``support.seed``, ``support.pages``, ``support.browser``, ...); this module holds the
example policy text and independent locators."""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

EXAMPLE_TEXT = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")

Edit = Callable[[Any], object]


def edited_text(edit: Edit) -> str:
    """The example policy's YAML after ``edit`` changed its round-trip data."""
    yaml = YAML()
    data = yaml.load(EXAMPLE_TEXT)
    edit(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``: an independent locator."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not found {occurrence} times"
    return hits[occurrence - 1]


def column_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based column where ``needle`` starts on its line."""
    line = text.splitlines()[line_of(text, needle, occurrence) - 1]
    return line.index(needle) + 1
