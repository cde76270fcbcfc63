"""A comment someone typed, made fit to keep: survey answers and ratings of the
public page's sections take the same rule.

>>> clean_comment("  Too slow\\x07 to reply\\n ")
'Too slow to reply'
>>> clean_comment("   ") is None
True
"""

from __future__ import annotations

import unicodedata

from charter.errors import InvalidInput

__all__ = ["MAX_COMMENT", "clean_comment"]

MAX_COMMENT = 1000  # characters


def clean_comment(comment: str | None) -> str | None:
    """The comment without control characters (line breaks and tabs kept), trimmed;
    None when empty; ``InvalidInput`` naming the field when over ``MAX_COMMENT``
    characters."""
    if comment is None:
        return None
    text = "".join(c for c in comment if c in "\n\t" or unicodedata.category(c)[0] != "C")
    text = text.strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            f"comment: {len(text):,} characters is too long; at most {MAX_COMMENT:,}",
            [{"field": "comment", "problem": "too long"}],
        )
    return text or None
