"""Frames as JSON-ready rows, for the CLI's ``--format json`` and the API.

>>> import datetime as dt
>>> frame = pl.DataFrame({"at": [dt.datetime(2026, 1, 5, 9)], "share": [float("nan")]})
>>> records(frame)
[{'at': '2026-01-05T09:00:00Z', 'share': None}]
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: datetimes as ISO strings, NaN as null."""
    rows = frame.with_columns(pl.col(pl.Datetime).dt.to_string("%Y-%m-%dT%H:%M:%SZ")).to_dicts()
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in rows
    ]
