"""The words of a comment: how the themes and the pins read text.

A word is a run of letters and digits, with inner apostrophes (``didn't``), compared
case-insensitively. The themes drop English stop words (scikit-learn's list),
one-letter words and numbers (times, dates, amounts), and fold simple plurals so that
``refunds`` and ``refund`` count as one term; pins match words exactly as written
(``refund`` is not ``refunds``, unless the pin says ``refund*``).

>>> words("Didn't get my REFUND-money back")
["didn't", 'get', 'my', 'refund', 'money', 'back']
>>> terms("The deliveries were late, two days late")
['delivery', 'late', 'day', 'late', 'delivery late', 'late day', 'day late']
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
STOP = frozenset(ENGLISH_STOP_WORDS)


def words(text: str) -> list[str]:
    """Every word of ``text``, lower-cased, in order."""
    return [word.casefold() for word in WORD.findall(text)]


def fold(word: str) -> str:
    """A simple plural as its singular: ``deliveries`` → ``delivery``, ``days`` → ``day``;
    words ending in ``ss``, ``us`` or ``is`` (``business``, ``status``) stay as they are."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _number(word: str) -> bool:
    return not any(char.isalpha() for char in word)


def terms(text: str) -> list[str]:
    """The terms the themes count in ``text``: its content words (stop words,
    one-letter words and numbers dropped, plurals folded), then each pair of neighbouring ones."""
    kept = [fold(w) for w in words(text) if len(w) > 1 and w not in STOP and not _number(w)]
    return kept + [f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False)]
