"""The policy editor's code editor ships inside the package: the vendored CodeMirror files
and their licence are package data, served from this site, and the editor page loads
them only from there (the Content-Security-Policy allows nothing else)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import charter

PACKAGE = Path(charter.__file__).parent
VENDORED = PACKAGE / "web/static/vendor/codemirror"
PYPROJECT = PACKAGE.parent.parent / "pyproject.toml"


def _packaged(relative: str, patterns: list[str]) -> bool:
    """Whether setuptools' package-data ``patterns`` take ``relative`` (``*`` stops at ``/``)."""
    parts = relative.split("/")
    return any(
        len(p.split("/")) == len(parts) and all(map(fnmatch, parts, p.split("/"))) for p in patterns
    )


def test_the_vendored_editor_and_its_licence_are_package_data() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["setuptools"]["package-data"]
    names = {path.name for path in VENDORED.iterdir()}
    assert {"codemirror.js", "codemirror.css", "yaml.js", "LICENSE"} <= names
    assert "MIT" in (VENDORED / "LICENSE").read_text("utf-8")
    for path in VENDORED.iterdir():
        relative = path.relative_to(PACKAGE).as_posix()
        assert _packaged(relative, patterns["charter"]), f"{relative} is not package data"
