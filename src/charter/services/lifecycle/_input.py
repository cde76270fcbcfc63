"""The checks on what users send: storable text within its limits, and well-formed slugs.

>>> clean("note", "  looks good  ", limit=100)
'looks good'
>>> check_slug("Not A Slug")
Traceback (most recent call last):
...
charter.errors.InvalidInput: slug: 'Not A Slug' is not a slug; use lower-case letters, ...
"""

from __future__ import annotations

import re

from charter.errors import InvalidInput
from charter.policy.limits import MAX_TEXT_BYTES, size_message

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_PATTERN = SLUG.pattern
SLUG_LENGTH = 100
NAME_LENGTH = 200
CLAUSE_LENGTH = 200
NOTE_LENGTH = 10_000
TEXT_LENGTH = MAX_TEXT_BYTES  # in characters at the API, then in UTF-8 bytes by clean_text


def _invalid(field: str, problem: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", [{"field": field, "problem": problem}])


def clean(field: str, value: str, *, limit: int, required: bool = False, strip: bool = True) -> str:
    """``value`` checked to be storable text of at most ``limit`` characters."""
    if "\x00" in value:
        raise _invalid(field, "contains a NUL character", "remove the NUL (\\0) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(field, "not UTF-8", "send valid Unicode text (no lone surrogates)") from None
    cleaned = value.strip() if strip else value
    if len(cleaned) > limit:
        raise _invalid(
            field, f"longer than {limit} characters", f"at most {limit} characters are kept"
        )
    if required and not cleaned.strip():
        raise _invalid(field, "empty", "must not be empty")
    return cleaned


def clean_text(text: str) -> str:
    """A policy text checked to be storable and at most ``MAX_TEXT_BYTES`` in UTF-8."""
    text = clean("text", text, limit=TEXT_LENGTH, strip=False)
    size = len(text.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise _invalid(
            "text",
            f"larger than {MAX_TEXT_BYTES} bytes",
            size_message(size),
        )
    return text


def check_slug(slug: str) -> str:
    if not is_slug(slug):
        raise _invalid(
            "slug",
            "not a slug",
            f"{slug[:SLUG_LENGTH]!r} is not a slug; use lower-case letters, digits and single "
            f"hyphens (e.g. 'customer-charter'), at most {SLUG_LENGTH} characters",
        )
    return slug


def is_slug(slug: str) -> bool:
    """Whether ``slug`` is one a policy could have."""
    return len(slug) <= SLUG_LENGTH and SLUG.fullmatch(slug) is not None
