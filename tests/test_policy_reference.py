"""docs/policy.md is the schema's own reference and must not go stale."""

from __future__ import annotations

from pathlib import Path

from charter.policy.schema import Policy
from charter.reference.policy import render

DOC = Path(__file__).parent.parent / "docs" / "policy.md"


def test_committed_reference_matches_the_schema() -> None:
    assert DOC.read_text("utf-8") == render(), "docs/policy.md is stale: run `make docs`"


def test_reference_documents_every_field_of_every_section() -> None:
    text = render()
    for name, field in Policy.model_fields.items():
        assert f"| `{name}` |" in text
        assert field.description and field.description in text
    assert "| `attainment` | share |" in text
    assert "| `within` | duration |" in text
