"""Reading the samples and counts given to the pilot-against-control comparisons.

Samples are any sequence or array of numbers; missing values (NaN, None) are
dropped, and anything else a caller can get wrong raises a ``UsageError`` that
names the group and the value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from charter.errors import UsageError

Values = Sequence[float | int | None] | NDArray[Any]


def met_of(met: object, total: object, group: str) -> tuple[int, int]:
    """Whole, non-negative counts with ``met <= total``, or a UsageError naming them."""
    m, n = _whole(met, f"{group}_met"), _whole(total, f"{group}_total")
    if m > n:
        raise UsageError(
            f"{group}_met ({m}) is more than {group}_total ({n}); give the number of "
            "tickets that met the promise and the number decided"
        )
    return m, n


def _whole(value: object, what: str) -> int:
    if isinstance(value, int | np.integer | float) and not isinstance(value, bool):
        if value >= 0 and float(value).is_integer():  # NaN is neither
            return int(value)
    raise UsageError(f"{what} must be a whole number of tickets, 0 or more, got {value!r}")


def finite(values: Values, what: str) -> NDArray[np.float64]:
    """The values as floats with missing ones (NaN, None) dropped."""
    try:
        array = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise UsageError(
            f"{what} must be numbers (seconds or scores), got {values!r:.80}"
        ) from None
    if np.isinf(array).any():
        raise UsageError(f"{what} holds an infinite value; give finite numbers or NaN if missing")
    return array[~np.isnan(array)]


def ratings(values: Values, what: str) -> NDArray[np.float64]:
    scores = finite(values, what)
    bad = ~np.isin(scores, (1, 2, 3, 4, 5))
    if bad.any():
        raise UsageError(
            f"{what} ratings must be whole numbers 1-5 (CSAT), got {scores[bad][0]:g}; "
            "convert other scales first, or leave missing ratings as NaN"
        )
    return scores
