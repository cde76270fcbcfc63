"""Policies loaded once per text: one bounded cache, keyed by the text's content hash.

A version's text never changes once submitted, and a draft's new text has a new
hash, so the hash (SHA-256 of the UTF-8 text, the version's ``content_hash``)
decides the outcome of loading it. Pages, the API, diffs and the public page load
stored versions through :func:`load_cached`, so viewing or diffing a version does
not parse its YAML again. A text that does not load is kept too, as its
diagnostics. The cache holds at most ``MAX_ENTRIES`` texts and ``MAX_CACHED_BYTES``
of text, dropping the least recently used first; it is safe across threads.

>>> first = load_cached("organisation: {name: Acme, mission: Delight}", "acme version 1")
>>> load_cached("organisation: {name: Acme, mission: Delight}", "acme version 1") is first
True
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from charter.errors import PolicyError
from charter.policy import loader
from charter.policy.diagnostic import Diagnostic
from charter.policy.loader import LoadedPolicy

MAX_ENTRIES = 64
MAX_CACHED_BYTES = 4_000_000  # a loaded text holds its node tree, many times its size

_Outcome = LoadedPolicy | tuple[Diagnostic, ...]
_entries: OrderedDict[tuple[str, str], tuple[_Outcome, int]] = OrderedDict()
_size = [0]
_lock = threading.Lock()


def load_cached(text: str, file: str = "<policy>") -> LoadedPolicy:
    """``load_policy_text(text, file)``, parsed only the first time this text is seen."""
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), file)
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
    outcome = found[0] if found is not None else _load(key, text, file)
    if isinstance(outcome, LoadedPolicy):
        return outcome
    raise PolicyError(list(outcome))  # a new error each time: a raised one keeps its frames


def clear() -> None:
    """Forget every loaded text (tests measure parsing from a cold cache)."""
    with _lock:
        _entries.clear()
        _size[0] = 0


def _load(key: tuple[str, str], text: str, file: str) -> _Outcome:
    outcome: _Outcome
    try:
        outcome = loader.load_policy_text(text, file)
    except PolicyError as error:
        outcome = tuple(error.diagnostics)
    size = len(text)
    with _lock:
        if key not in _entries and size <= MAX_CACHED_BYTES:
            _entries[key] = (outcome, size)
            _size[0] += size
        while len(_entries) > MAX_ENTRIES or _size[0] > MAX_CACHED_BYTES:
            _size[0] -= _entries.popitem(last=False)[1][1]
    return outcome
