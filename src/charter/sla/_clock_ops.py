"""Business-time arithmetic on Polars columns, one clock at a time.

Rows name their clock in a column; each clock's rows are handed to its
``OpeningHours`` as whole numpy arrays, so the work is one vectorized call per
clock, never per row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import polars as pl
from numpy.typing import NDArray

from charter.hours import OpeningHours

Arrays = Callable[[OpeningHours, pl.DataFrame], dict[str, NDArray[np.generic]]]


def per_clock(
    frame: pl.DataFrame, clocks: Mapping[str, OpeningHours], compute: Arrays
) -> pl.DataFrame:
    """``frame`` with the columns ``compute`` returns, evaluated per ``clock`` group."""
    if frame.height == 0:
        names = compute(OpeningHours.always(), frame)
        return frame.with_columns(_series(name, values) for name, values in names.items())
    parts = []
    for (clock,), group in frame.partition_by("clock", as_dict=True).items():
        columns = compute(clocks[str(clock)], group)
        parts.append(group.with_columns(_series(n, v) for n, v in columns.items()))
    return pl.concat(parts)


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
