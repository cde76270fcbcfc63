"""The live what-if's prepared states kept in memory: a bounded, timed, thread-safe
store (``charter.services.whatif`` says what the keys are and why).

Bounded twice: at most ``size`` states, and at most ``budget`` bytes together (each
state's weight is given when it is kept), the least recently used dropped first; the
state just kept always stays, whatever it weighs.

>>> kept = Kept(size=3, fresh=60, budget=100)
>>> kept.put(("db", 1, "a"), "first", 10); kept.put(("db", 1, "b"), "again", 10); len(kept)
1
>>> kept.get(("db", 1, "a")), kept.get(("db", 1, "b"))
(None, 'again')
>>> kept.put(("db", 2, "b"), "draft", 40); kept.put(("db", 3, "b"), "other", 60)
>>> [kept.get(("db", n, "b")) for n in (1, 2, 3)]  # 10 + 40 + 60 > 100: the oldest goes
[None, 'draft', 'other']
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")
Key = tuple[Hashable, ...]


class Kept(Generic[Value]):
    """At most ``size`` prepared states of at most ``budget`` bytes together, each for
    ``fresh`` seconds; thread-safe. A key is a tuple whose first two items name the
    version: a new key for them replaces the older one (its tickets changed)."""

    def __init__(self, size: int, fresh: float, budget: int) -> None:
        self.size, self.fresh, self.budget = size, fresh, budget
        self._lock = threading.Lock()
        self._kept: OrderedDict[Key, tuple[float, Value, int]] = OrderedDict()

    def get(self, key: Key) -> Value | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None or time.monotonic() - found[0] >= self.fresh:
                self._kept.pop(key, None)
                return None
            self._kept.move_to_end(key)
            return found[1]

    def put(self, key: Key, value: Value, weight: int) -> None:
        """Keep ``value`` (``weight`` bytes) under ``key``, dropping the same version's
        older state, then the least recently used until the bounds hold."""
        with self._lock:
            for old in [k for k in self._kept if k[:2] == key[:2]]:
                del self._kept[old]
            self._kept[key] = (time.monotonic(), value, weight)
            self._kept.move_to_end(key)
            while len(self._kept) > 1 and (
                len(self._kept) > self.size or self.weight > self.budget
            ):
                self._kept.popitem(last=False)

    @property
    def weight(self) -> int:
        """The bytes kept, as weighed when each state was kept."""
        return sum(weight for _, _, weight in self._kept.values())

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
