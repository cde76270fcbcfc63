"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import EXAMPLE_TEXT


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(EXAMPLE_TEXT, encoding="utf-8")
    return path
