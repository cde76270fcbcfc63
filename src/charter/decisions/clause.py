"""The clause a decision cites: its id, its text in words and the policy version.

>>> Clause("returns.exclusions.perishables", "Food cannot be returned.").id
'returns.exclusions.perishables'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Clause"]


@dataclass(frozen=True)
class Clause:
    """The clause that decided: its citation id, its text in words, the policy version."""

    id: str
    text: str
    version: str | None = None
