"""How big and how deeply nested a policy text may be, checked before YAML parses it.

The YAML composer recurses once per level of nesting, so a text of ten thousand
``[`` would exhaust Python's stack; and parsing takes time in proportion to size.
:func:`check_limits` refuses both with a diagnostic that says where, scanning the
text once without parsing it. The depth it counts is that of block collections
(a mapping's keys, a sequence's ``- `` entries, by their indent) plus that of flow
brackets (``[``, ``{``) outside quotes and comments. It may count a level more
than YAML does (a quoted value alone on its line counts as a key); were it ever
to count fewer, the parser's recursion is still caught and called too deep.

>>> check_limits("a:\\n  b: [1, {c: 2}]\\n", "acme")
>>> check_limits("[" * 100, "acme")
Traceback (most recent call last):
...
charter.errors.PolicyError: 1 error in policy
acme:1:65: error P106 (document): nesting deeper than 64 levels at line 1, column 65. ...
"""

from __future__ import annotations

import re

from charter.errors import PolicyError
from charter.policy.diagnostic import Diagnostic

# A policy is some 10 kB. The YAML parser is pure Python, about 13 µs a byte on a busy
# 2-core machine: a text at this limit holds a worker for some 3 s, a megabyte for 13 s.
MAX_TEXT_BYTES = 256_000
MAX_DEPTH = 64  # the example policy nests 5 levels deep
_OPEN, _CLOSE = "[{", "]}"
_FLOW_STOP = re.compile(r"[\[\]{}\"'#]")  # what matters in flow context
_BEFORE_QUOTE = " \t[{,:?-"  # a quote after these starts a quoted scalar; else it is text


def check_limits(text: str, file: str) -> None:
    """Refuse ``text`` if it is larger than :data:`MAX_TEXT_BYTES` or nests too deeply."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise too_large(size, file)
    too_deep = _Scanner(text).first_too_deep()
    if too_deep is not None:
        line, column = too_deep
        message = f"nesting deeper than {MAX_DEPTH} levels at line {line}, column {column}"
        hint = "a policy nests a few levels; close the brackets or indent less"
        raise PolicyError([Diagnostic("P106", "error", message, (), hint, file, line, column)])


def size_message(size: int) -> str:
    """What to say of a text of ``size`` bytes, over the limit.

    >>> size_message(2_000_000)
    'the text is 2,000,000 bytes, more than the 256,000 a policy may be'
    """
    return f"the text is {size:,} bytes, more than the {MAX_TEXT_BYTES:,} a policy may be"


def too_large(size: int, file: str) -> PolicyError:
    hint = "a policy is a few kilobytes: move long prose out of it, or split it"
    return PolicyError([Diagnostic("P105", "error", size_message(size), (), hint, file, 0, 0)])


class _Scanner:
    """One pass over the lines, keeping the block indents open and the flow depth."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.levels: list[tuple[int, str]] = []  # the open block collections: column, kind
        self.flow = 0  # open brackets
        self.quote = ""  # the quote of a scalar running on to the next line
        self.scalar_under: int | None = None  # a block scalar's lines are deeper than this

    def first_too_deep(self) -> tuple[int, int] | None:
        """Line and column (from 1) where nesting first passes ``MAX_DEPTH``; else None."""
        for number, line in enumerate(self.lines, start=1):
            column = self._rest(line, 0) if self.quote or self.flow else self._block(line)
            if column is not None:
                return number, column + 1
        return None

    def _too_deep(self) -> bool:
        return len(self.levels) + self.flow > MAX_DEPTH

    def _open(self, column: int, kind: str) -> bool:
        """Open a block ``kind`` (``map`` or ``seq``) at ``column``; True when too deep.

        A sequence may sit at the indent of the key that holds it, so a ``seq`` at a
        ``map``'s column opens a level, and the next key there closes it again.
        """
        top = self.levels[-1] if self.levels else None
        if top is not None and top[0] == column and top[1] == "seq" and kind == "map":
            self.levels.pop()
            top = self.levels[-1] if self.levels else None
        if top is None or top[0] < column or (top[0] == column and top[1] != kind):
            self.levels.append((column, kind))
        return self._too_deep()

    def _block(self, line: str) -> int | None:
        """A line that starts in block context: its keys and ``- `` entries open levels."""
        content = line.lstrip(" ")
        at = len(line) - len(content)
        if not content.strip() or content.startswith("#"):
            return None
        if self.scalar_under is not None and at > self.scalar_under:
            return None  # a line of a literal or folded block scalar: text, not structure
        self.scalar_under = None
        while self.levels and self.levels[-1][0] > at:
            self.levels.pop()
        while True:
            kind = _entry(line, at)
            if kind is None:
                return self._rest(line, at)  # a value on a line of its own
            if self._open(at, kind):
                return at
            if kind == "map":
                return self._rest(line, at)
            at += 1
            while at < len(line) and line[at] == " ":
                at += 1

    def _rest(self, line: str, at: int) -> int | None:
        """The line from ``at``: brackets count in flow context, and quotes everywhere."""
        while at < len(line):
            char = line[at]
            if self.quote:
                at = self._in_quote(line, at)
            elif char == "#" and (at == 0 or line[at - 1] in " \t"):
                return None
            elif char in "\"'" and (at == 0 or line[at - 1] in _BEFORE_QUOTE):
                self.quote, at = char, at + 1
            elif char in _OPEN:
                self.flow += 1
                if self._too_deep():
                    return at
                at += 1
            elif self.flow and char in _CLOSE:
                self.flow, at = self.flow - 1, at + 1
            elif self.flow:
                found = _FLOW_STOP.search(line, at + 1)
                at = found.start() if found else len(line)
            else:
                at = self._block_token(line, at)
        return None

    def _block_token(self, line: str, at: int) -> int:
        """Past a token in block context: a key up to its ``: ``, or the line's end."""
        char = line[at]
        if char == " ":
            return at + 1
        if char in "&!":  # an anchor or a tag before the value
            end = line.find(" ", at)
            return len(line) if end < 0 else end
        if char in "|>":
            self.scalar_under = self.levels[-1][0] if self.levels else 0
            return len(line)
        key_end, comment = line.find(": ", at), line.find(" #", at)
        if key_end < 0 or 0 <= comment < key_end:
            return len(line)  # a plain value: its brackets are text
        return key_end + 2

    def _in_quote(self, line: str, at: int) -> int:
        """The column after the quoted text from ``at``, closing the quote if it ends here."""
        if self.quote == '"':
            end = at
            while end < len(line) and line[end] != '"':
                end += 2 if line[end] == "\\" else 1
        else:
            end = line.find("'", at)
            while end >= 0 and line.startswith("''", end):
                end = line.find("'", end + 2)
            end = len(line) if end < 0 else end
        if end < len(line):
            self.quote = ""
            return end + 1
        return len(line)


def _entry(line: str, at: int) -> str | None:
    """``seq`` for a ``- `` entry at ``at``, ``map`` for a key, None for a plain value."""
    if line.startswith("- ", at) or line[at:].rstrip() == "-":
        return "seq"
    char = line[at] if at < len(line) else ""
    if char in "[{|>" or not char:
        return None
    if char in "?\"'":
        return "map"  # a quoted scalar may be a key: counted as one
    key_end, comment = line.find(": ", at), line.find(" #", at)
    if 0 <= comment and (key_end < 0 or comment < key_end):
        return "map" if line[at:comment].rstrip().endswith(":") else None
    return "map" if key_end >= 0 or line.rstrip().endswith(":") else None
