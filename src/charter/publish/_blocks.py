"""The parts a report is made of: sections and the blocks they hold.

They live in this leaf module so that ``charter.publish.report`` (which renders them)
and ``views`` (which turns them into what the template shows) both import them and
neither imports the other. ``charter.publish.report`` offers them to users.

>>> Section("Summary", [Paragraph("Fine.")]).blocks[0].text
'Fine.'
>>> Section("Summary", ["Fine."])
Traceback (most recent call last):
charter.errors.UsageError: section 'Summary': block 1 is a str; a block is one of Paragraph, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from charter.errors import UsageError
from charter.publish._chart_spec import BarChart, Histogram, LineChart
from charter.publish.table import Table, Tone, check_tone


@dataclass(frozen=True)
class Paragraph:
    """Plain text; a URL in it stays text, it is not turned into a link."""

    text: str


@dataclass(frozen=True)
class Verdict:
    """A plain-language conclusion, highlighted and labelled by its tone."""

    text: str
    tone: Tone = "neutral"

    def __post_init__(self) -> None:
        check_tone(self.tone, f"verdict {self.text!r}")


Block = Paragraph | Verdict | Table | BarChart | LineChart | Histogram
_BLOCK_TYPES = (Paragraph, Verdict, Table, BarChart, LineChart, Histogram)


@dataclass(frozen=True)
class Section:
    """A titled part of the report (an ``<h2>`` and its blocks)."""

    title: str
    blocks: Sequence[Block] = ()

    def __post_init__(self) -> None:
        for number, block in enumerate(self.blocks, start=1):
            if not isinstance(block, _BLOCK_TYPES):
                names = ", ".join(t.__name__ for t in _BLOCK_TYPES)
                raise UsageError(
                    f"section {self.title!r}: block {number} is a {type(block).__name__}; "
                    f"a block is one of {names}"
                )
