"""What the benchmark scripts share: the best time of a few runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best(step: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    """The best time of ``runs`` runs of ``step``, and its last value."""
    fastest, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = step()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest, value
