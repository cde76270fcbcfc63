"""Tables of a report: cells with an optional tone, numbers aligned on the right.

>>> import polars as pl
>>> frame = pl.DataFrame({"channel": ["email", "chat"], "met": [0.912, 0.75]})
>>> table = Table.from_frame(frame, "SLA met", formats={"met": lambda v: f"{v:.0%}"})
>>> [cell.text for cell in table.rows[0]], table.numeric
(['email', '91%'], (False, True))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from charter import figures
from charter.errors import UsageError
from charter.figures import MISSING, is_missing, is_numeric

Tone = Literal["good", "bad", "neutral"]
TONES: tuple[Tone, ...] = ("good", "bad", "neutral")
MAX_ROWS = 1000


def check_tone(tone: object, where: str) -> None:
    if tone is not None and tone not in TONES:
        raise UsageError(f"{where}: tone {tone!r} is not one of {', '.join(TONES)}")


@dataclass(frozen=True)
class Cell:
    """A value with an optional tone and the text to show (by default the value, formatted).

    >>> Cell(0.75, "bad", "75 %").text, Cell(1234).text
    ('75 %', '1,234')
    """

    value: object
    tone: Tone | None = None
    shown: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_tone(self.tone, f"cell {self.value!r}")

    @property
    def text(self) -> str:
        return self.shown if self.shown is not None else figures.cell(self.value)


@dataclass(frozen=True)
class Table:
    """Rows under named columns; a cell is any value or a ``Cell`` with a tone.

    ``numeric`` says per column whether it lines up on the right; by default a column is
    numeric when all its values are numbers. With ``row_headers`` the first cell of each
    row heads it (``<th scope="row">``).
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    numeric: Sequence[bool] | None = None
    row_headers: bool = True

    def __post_init__(self) -> None:
        name = f"table {self.caption!r}" if self.caption else "table"
        if not self.columns:
            raise UsageError(f"{name} has no columns; name at least one column")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise UsageError(
                    f"{name}: row {number} has {len(row)} cells but there are "
                    f"{len(self.columns)} columns; give every row one cell per column"
                )
        if self.numeric is not None and len(self.numeric) != len(self.columns):
            raise UsageError(
                f"{name}: numeric has {len(self.numeric)} flags for "
                f"{len(self.columns)} columns; give one flag per column"
            )

    @classmethod
    def from_frame(
        cls,
        frame: pl.DataFrame,
        caption: str = "",
        formats: Mapping[str, Callable[[Any], str]] | None = None,
        tones: Mapping[str, Callable[[Any], Tone | None]] | None = None,
        *,
        row_headers: bool = True,
        max_rows: int = MAX_ROWS,
    ) -> Table:
        """A table of a (small, aggregated) frame: ``formats`` turn a column's values into
        text, ``tones`` give a column's cells a tone. Missing values show as a dash."""
        formats, tones = dict(formats or {}), dict(tones or {})
        unknown = sorted((set(formats) | set(tones)) - set(frame.columns))
        if unknown:
            raise UsageError(
                f"table {caption!r}: no column {', '.join(map(repr, unknown))} in the frame; "
                f"its columns are {', '.join(frame.columns)}"
            )
        if frame.height > max_rows:
            raise UsageError(
                f"table {caption!r} would have {frame.height} rows and a report shows at most "
                f"{max_rows}; aggregate the frame first, or pass a larger max_rows"
            )
        columns = frame.columns
        rows = [
            [
                _cell(value, formats.get(col), tones.get(col))
                for col, value in zip(columns, row, strict=True)
            ]
            for row in frame.iter_rows()
        ]
        numeric = tuple(d.is_numeric() or isinstance(d, pl.Duration) for d in frame.dtypes)
        return cls(columns, rows, caption, numeric, row_headers)

    def is_numeric(self, column: int) -> bool:
        if self.numeric is not None:
            return self.numeric[column]
        present = [v for v in (_value(row[column]) for row in self.rows) if not is_missing(v)]
        return bool(present) and all(is_numeric(v) for v in present)


def _cell(
    value: object,
    formatter: Callable[[Any], str] | None,
    toner: Callable[[Any], Tone | None] | None,
) -> Cell:
    missing = is_missing(value)
    shown = MISSING if missing else (formatter(value) if formatter else None)
    return Cell(value, toner(value) if toner and not missing else None, shown)


def _value(cell: object) -> object:
    return cell.value if isinstance(cell, Cell) else cell


def as_cell(cell: object) -> Cell:
    return cell if isinstance(cell, Cell) else Cell(cell)
