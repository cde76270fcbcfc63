"""The live what-if's prepared states, kept in this process: read the stored tickets
and prepare their clock runs (``prepared``), keep them bounded and timed (``Kept``), and
read a slow version's changed tickets again in the background.
``charter.services.whatif`` says what the keys are and why.

``Kept`` is bounded twice: at most ``size`` states, and at most ``budget`` bytes
together (each state's weight is given when it is kept), the least recently used
dropped first; the state just kept always stays, whatever it weighs.

>>> kept = Kept(size=3, fresh=60, budget=100)
>>> kept.put(("db", 1, "a"), "first", 10); kept.put(("db", 1, "b"), "again", 10); len(kept)
1
>>> kept.get(("db", 1, "a")), kept.get(("db", 1, "b"))
(None, 'again')
>>> kept.put(("db", 1, "b", 7), "tickets", 10); kept.previous(("db", 1, "b", 8))
'tickets'
>>> kept.previous(("db", 1, "c", 8)) is None  # another text: not the same promises
True
>>> kept.put(("db", 2, "b"), "draft", 40); kept.put(("db", 3, "b"), "other", 60)
>>> [kept.get(("db", n, "b")) for n in (1, 2, 3)]  # 10 + 40 + 60 > 100: the oldest goes
[None, 'draft', 'other']
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

import numpy as np

from charter import clock
from charter.policy.schema import Policy
from charter.services.lifecycle import Version
from charter.sla.evaluate import ticket_columns
from charter.sla.whatif import WhatIfBase, prepare_whatif
from charter.store import Database
from charter.store import tickets as stored
from charter.store.tickets.stamp import Stamp, ticket_stamp

Value = TypeVar("Value")
Key = tuple[Hashable, ...]

MONTHS = 12  # calendar months of ticket creation, the current one so far
KEPT = 4  # prepared versions kept in memory at once
MEMORY = 256 * 2**20  # bytes they may hold together (about 72 MiB a version at 877,000 tickets)
FRESH = 15 * 60  # seconds a preparation is used before running clocks are judged again
SLOW = 2.0  # seconds: a version that took longer to prepare is read again in the background
STAMP_AGE = 2.0  # seconds a try reuses the tickets' stamp read before (a page reads it anew)


class Kept(Generic[Value]):
    """At most ``size`` prepared states of at most ``budget`` bytes together, each for
    ``fresh`` seconds; thread-safe. A key is a tuple whose first two items name the
    version and the third its text: a new key for the version replaces the older one
    (its text or its tickets changed)."""

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

    def previous(self, key: Key) -> Value | None:
        """The fresh state kept for the same version and text as ``key`` (its first
        three items) under another key: its tickets have changed since."""
        with self._lock:
            for other, (kept_at, value, _) in self._kept.items():
                fresh = time.monotonic() - kept_at < self.fresh
                if other[:3] == key[:3] and other != key and fresh:
                    return value
            return None

    @property
    def weight(self) -> int:
        """The bytes kept, as weighed when each state was kept."""
        return sum(weight for _, _, weight in self._kept.values())

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


_CACHE: Kept[WhatIfBase] = Kept(KEPT, FRESH, MEMORY)
_PREPARING = threading.Lock()
_STAMPS: dict[Database, tuple[float, Stamp]] = {}  # the last stamp read, and when
_COST: dict[Key, float] = {}  # by (database, version id): last preparation
_READING: dict[Key, threading.Thread] = {}  # by (database, version id)
_READING_LOCK = threading.Lock()
_log = logging.getLogger(__name__)


def weight(base: WhatIfBase) -> int:
    """The bytes of a prepared state's columns: the runs, today's verdicts, the months."""
    arrays = [base.month, *(v for verdicts in base.today.values() for v in verdicts)]
    for runs in base.promises.values():
        arrays += [value for value in vars(runs).values() if isinstance(value, np.ndarray)]
    return sum(int(array.nbytes) for array in arrays)


def prepared_bytes() -> int:
    """The bytes the prepared states kept in this process hold (``weight``)."""
    return _CACHE.weight


def forget_prepared() -> None:
    """Drop every prepared state and what was learnt with it (tests; memory)."""
    wait_for_reading()
    _CACHE.clear()
    _COST.clear()
    _STAMPS.clear()


def prepared(
    database: Database, version: Version, policy: Policy, stamp_age: float = 0.0
) -> tuple[WhatIfBase, bool]:
    """The prepared state for the stored tickets now, and False; or, while a slow
    version's changed tickets are read in the background, its previous state and True."""
    key = (database, version.id, version.content_hash, _stamp(database, stamp_age))
    found = _CACHE.get(key)
    if found is not None:
        return found, False
    older = _CACHE.previous(key)
    if older is not None and _COST.get(key[:2], 0.0) >= SLOW:
        _read_later(key, database, policy)
        return older, True
    return _prepare(key, database, policy), False


def _prepare(key: Key, database: Database, policy: Policy) -> WhatIfBase:
    with _PREPARING:
        found = _CACHE.get(key)  # prepared by another request while this one waited
        if found is not None:
            return found
        started = time.monotonic()
        with database.reading() as session:
            data = stored.load(session, columns=ticket_columns(policy)).data
        base = prepare_whatif(policy, data, now=clock.now(), months=MONTHS)
        _CACHE.put(key, base, weight(base))
        _COST[key[:2]] = time.monotonic() - started
        return base


def _read_later(key: Key, database: Database, policy: Policy) -> None:
    """Prepare ``key`` in a background thread, unless one runs for its version."""

    def work() -> None:
        try:
            _prepare(key, database, policy)
        except Exception:  # the next request prepares again and shows the error
            _log.exception("the what-if could not read the changed tickets")

    with _READING_LOCK:
        running = _READING.get(key[:2])
        if running is not None and running.is_alive():
            return
        thread = threading.Thread(target=work, name="what-if reading", daemon=True)
        _READING[key[:2]] = thread
        thread.start()


def wait_for_reading(timeout: float | None = None) -> None:
    """Wait for the preparations running in the background (tests; shutting down)."""
    for thread in list(_READING.values()):
        thread.join(timeout)


def _stamp(database: Database, max_age: float) -> Stamp:
    """The tickets' stamp, or the one read less than ``max_age`` seconds ago."""
    known = _STAMPS.get(database)
    if known is not None and time.monotonic() - known[0] < max_age:
        return known[1]
    read_at = time.monotonic()
    with database.reading() as session:
        stamp = ticket_stamp(session)
    _STAMPS[database] = (read_at, stamp)
    return stamp
