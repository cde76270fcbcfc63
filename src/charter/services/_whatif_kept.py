"""The live what-if's prepared states kept in memory: a bounded, timed, thread-safe
store (``charter.services.whatif`` says what the keys are and why).

>>> kept = Kept(size=2, fresh=60)
>>> kept.put(("db", 1, "a"), "first"); kept.put(("db", 1, "b"), "again"); len(kept)
1
>>> kept.get(("db", 1, "a")), kept.get(("db", 1, "b"))
(None, 'again')
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Kept(Generic[Value]):
    """At most ``size`` prepared states, each for ``fresh`` seconds; thread-safe. A key
    is a tuple whose first two items name the version: a new key for them replaces
    the older one (its tickets changed)."""

    def __init__(self, size: int, fresh: float) -> None:
        self.size, self.fresh = size, fresh
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[Hashable, ...], tuple[float, Value]] = OrderedDict()

    def get(self, key: tuple[Hashable, ...]) -> Value | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None or time.monotonic() - found[0] >= self.fresh:
                self._kept.pop(key, None)
                return None
            self._kept.move_to_end(key)
            return found[1]

    def put(self, key: tuple[Hashable, ...], base: Value) -> None:
        """Keep ``base`` under ``key``, dropping the same version's older tickets."""
        with self._lock:
            for old in [k for k in self._kept if k[:2] == key[:2]]:
                del self._kept[old]
            self._kept[key] = (time.monotonic(), base)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
