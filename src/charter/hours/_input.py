"""Turning the instants and durations callers pass into int64 microseconds, and back.

Instants are UTC microseconds since 1970 with numpy's NaT value marking a
missing timestamp; durations are microseconds, and working days whole days,
with the same marker for a missing one. Arrays are converted without a Python
loop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from charter.errors import UsageError
from charter.hours._compile import I64, NAT, US_PER_S

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = dt.timedelta(microseconds=1)
_HOW = "pass UTC numpy datetime64 values or timezone-aware datetimes"
_MAX_SECONDS = 10**12
_MAX_DAYS = 1_000_000  # about 3,800 years of five-day weeks: no real promise comes near


@dataclass(frozen=True)
class Instants:
    """Microseconds of one or many instants (at least one dimension), and how the
    caller gave them."""

    us: I64
    is_scalar: bool
    is_datetime: bool


def read_instants(value: object, what: str) -> Instants:
    """Microseconds for a datetime64 array or scalar, or an aware datetime."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise UsageError(
                f"{what} {value.isoformat()} is a naive datetime, so the instant it means "
                "is ambiguous; attach its timezone, e.g. "
                "value.replace(tzinfo=ZoneInfo('Europe/London')), or pass UTC datetime64"
            )
        return Instants(np.array([(value - _EPOCH) // _ONE_US], dtype=np.int64), True, True)
    array = value if isinstance(value, np.ndarray | np.datetime64) else _as_array(value, what)
    if array.dtype.kind != "M":
        raise UsageError(f"{what} must be instants, got values of type {array.dtype}; {_HOW}")
    micros = np.asarray(array.astype("datetime64[us]", copy=False)).view(np.int64)
    # Scalars become one-element arrays so that arithmetic on NaT wraps silently
    # (numpy warns on overflow for scalars only); results are masked afterwards.
    return Instants(np.atleast_1d(micros), micros.ndim == 0, False)


def _as_array(value: object, what: str) -> np.ndarray[Any, Any]:
    if isinstance(value, dt.date | str):
        raise UsageError(f"{what} must be an instant, got {value!r}; {_HOW}")
    array = np.asarray(value)
    if array.dtype == object:
        raise UsageError(
            f"{what} holds Python objects (for example datetimes with a timezone); {_HOW}, "
            "e.g. np.array(values, dtype='datetime64[us]') after converting them to UTC"
        )
    return array


def read_seconds(value: object) -> I64:
    """Microseconds for seconds given as numbers, timedelta64 or timedelta."""
    if isinstance(value, dt.timedelta):
        micros = np.array(value // _ONE_US, dtype=np.int64)
    else:
        array = np.asarray(value)
        if array.dtype.kind == "m":
            micros = np.asarray(array.astype("timedelta64[us]")).view(np.int64)
        elif array.dtype.kind in "iuf":
            micros = _number_micros(array)
        else:
            raise UsageError(
                f"seconds must be numbers, numpy timedelta64 or timedelta, got {value!r}"
            )
    negative = (micros < 0) & (micros != NAT)
    if negative.any():
        raise UsageError(
            f"seconds must not be negative, got {_first(micros, negative) / US_PER_S:g}; "
            "business time only runs forward from the start"
        )
    return np.asarray(micros)


def _number_micros(seconds: np.ndarray[Any, Any]) -> I64:
    as_float = seconds.astype(np.float64)
    known = as_float[~np.isnan(as_float)]
    # Checked before scaling: microseconds past int64 would wrap round silently.
    if known.size and np.abs(known).max() > _MAX_SECONDS:
        raise UsageError(
            f"seconds must be at most {_MAX_SECONDS:.0e} (about 31,700 years), "
            f"got {np.abs(known).max():g}"
        )
    if seconds.dtype.kind in "iu":
        micros: I64 = seconds.astype(np.int64) * US_PER_S
        return micros
    scaled = np.rint(as_float * US_PER_S)
    return np.where(np.isnan(scaled), NAT, scaled).astype(np.int64)


def _first(micros: I64, mask: np.ndarray[Any, np.dtype[np.bool_]]) -> int:
    return int(micros[mask].flat[0]) if micros.ndim else int(micros)


def to_datetime(micros: int) -> dt.datetime:
    """An aware UTC datetime for a microsecond count."""
    return _EPOCH + dt.timedelta(microseconds=micros)


def known_range(*arrays: I64) -> tuple[int, int] | None:
    """The earliest and latest instant that is not NaT, or None when all are NaT."""
    lows, highs = [], []
    for micros in arrays:
        if micros.size == 0:
            continue
        low = micros.min()
        if low == NAT:
            # Rare path: only pay for masking when some timestamp is missing.
            known = micros[micros != NAT]
            if known.size == 0:
                continue
            low = known.min()
        lows.append(int(low))
        highs.append(int(micros.max()))
    return (min(lows), max(highs)) if lows else None


def read_days(value: object) -> I64:
    """Whole working days as int64, with NaT's value marking a missing (NaN) count."""
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":  # booleans (kind "b") are refused too
        raise UsageError(f"days must be whole numbers of working days, got {value!r}")
    as_float = array.astype(np.float64)
    known = ~np.isnan(as_float)
    bad = known & ((as_float != np.round(as_float)) | (as_float < 0) | (as_float > _MAX_DAYS))
    if bad.any():
        wrong = float(as_float[bad].flat[0]) if array.ndim else float(as_float)
        raise UsageError(
            f"days must be whole working days between 0 and {_MAX_DAYS:,}, got {wrong:g}; "
            "a promise counts forward from the start in whole days"
        )
    days = np.where(known, as_float, 0).astype(np.int64)
    return np.asarray(np.where(known, days, NAT))


def check_shapes(*arrays: I64) -> None:
    """UsageError unless the arrays broadcast together."""
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = " and ".join(str(a.shape) for a in arrays)
        raise UsageError(f"array shapes {shapes} do not broadcast together") from None


def instants_out(us: I64, like: Instants, scalar: bool, what: str = "seconds") -> Any:
    """The answer in the caller's terms: an array, a datetime64, or an aware datetime."""
    if not scalar:
        return us.view("datetime64[us]")
    value = int(us.flat[0])
    if not like.is_datetime:
        return np.datetime64(value, "us")
    if value == NAT:
        raise UsageError(f"{what} is missing (NaN or NaT); a datetime result cannot be missing")
    return to_datetime(value)
