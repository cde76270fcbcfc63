"""The duration histograms of ``ticket_daily_times``: their bucket edges, the SQL that
puts a value in its bucket, and which bucket holds a quantile's rank.

Bucket edges grow by a factor of 2^(1/3) (about 26 %) from 10 seconds to two months
(``EDGES``); bucket ``i`` holds the values with ``i`` edges at or below them. Medians
and p90 are read back from these buckets.

>>> len(EDGES), EDGES[0], round(EDGES[3])
(58, 10.0, 20)
>>> bucket_sql("x", 0, 1)
'CASE WHEN x >= 10.0 THEN 1 ELSE 0 END'
"""

from __future__ import annotations

from typing import Any

EDGES: tuple[float, ...] = tuple(10.0 * 2 ** (k / 3) for k in range(58))
QUANTILES = {"median": 0.5, "p90": 0.9}


def bucket_sql(value: str, lo: int = 0, hi: int = len(EDGES)) -> str:
    """How many ``EDGES`` are at or below ``value``: a balanced tree of comparisons."""
    if lo == hi:
        return str(lo)
    mid = (lo + hi + 1) // 2
    above, below = bucket_sql(value, mid, hi), bucket_sql(value, lo, mid - 1)
    return f"CASE WHEN {value} >= {EDGES[mid - 1]!r} THEN {above} ELSE {below} END"


def holds_rank(cum: Any, tickets: Any, n: Any, q: float, slack: float = 0.0) -> Any:
    """Whether the bucket holds the rank ``(n - 1)·q``: the first whose ``cum`` passes it.
    Written once for Polars expressions and SQL columns alike; a ``slack`` of 0.5 keeps
    the neighbour too when the rank is near a whole number, where the database's
    decimal arithmetic and Python's floats could pick different sides."""
    rank = (n - 1) * q
    return (cum > rank - slack) & (cum - tickets <= rank + slack)
