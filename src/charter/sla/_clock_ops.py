"""Business-time arithmetic on Polars columns, one clock at a time.

Rows name their clock in a column; each clock's rows are handed to its
``OpeningHours`` as whole numpy arrays, so the work is one vectorized call per
clock, never per row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours

Arrays = Callable[[OpeningHours, pl.DataFrame], dict[str, NDArray[np.generic]]]


def per_clock(
    frame: pl.DataFrame,
    clocks: Mapping[str, OpeningHours],
    compute: Arrays,
    reads: Sequence[str] | None = None,
) -> pl.DataFrame:
    """``frame`` with the columns ``compute`` returns, evaluated per ``clock`` group.

    Rows keep their order: each clock's rows are handed over together and its results
    put back in their places. ``reads`` names the columns ``compute`` reads, so only
    those are gathered per clock (all of them when not given)."""
    if frame.height == 0:
        names = compute(OpeningHours.always(), frame)
        return frame.with_columns(_series(name, values) for name, values in names.items())
    narrow = frame if reads is None else frame.select(*reads)
    clock = frame["clock"]
    present = clock.unique(maintain_order=True).to_list()
    if len(present) == 1:
        columns = compute(clocks[str(present[0])], narrow)
        return frame.with_columns(_series(n, v) for n, v in columns.items())
    results: dict[str, NDArray[np.generic]] = {}
    for name in present:
        mask = (clock == name).fill_null(False).to_numpy()
        columns = compute(clocks[str(name)], narrow.filter(mask))
        for column, values in columns.items():
            if column not in results:
                results[column] = np.empty(frame.height, dtype=values.dtype)
            results[column][mask] = values
    return frame.with_columns(_series(n, v) for n, v in results.items())


def _series(name: str, values: NDArray[np.generic]) -> pl.Series:
    series = pl.Series(name, values)
    if series.dtype == pl.Datetime("us"):
        return series.dt.replace_time_zone("UTC")
    return series


def instants(frame: pl.DataFrame, column: str) -> NDArray[np.datetime64]:
    """A UTC datetime column as a ``datetime64[us]`` array (null → NaT)."""
    values: NDArray[np.datetime64] = (
        frame[column].dt.replace_time_zone(None).to_numpy().astype("datetime64[us]")
    )
    return values


def seconds(frame: pl.DataFrame, column: str) -> NDArray[np.float64]:
    """A numeric column as a writable float array (null → NaN)."""
    values: NDArray[np.float64] = (
        frame[column].cast(pl.Float64).fill_null(np.nan).to_numpy(writable=True)
    )
    return values
