"""A pin's keyword query: read once into a test on a comment's words.

``refund AND (late OR slow)``, ``"phone line" NOT chat``, ``refund* courier``: words
match whole words, case-insensitively; ``"quoted words"`` match the words in that order
next to each other; ``word*`` matches words that start with ``word``. ``NOT`` binds
tightest, then ``AND``, then ``OR``; words side by side with no operator mean any of
them (``OR``), except before ``NOT``, which means ``AND NOT`` (``refund NOT card`` is
``refund AND NOT card``). Operators are written in capitals; ``and``, ``or`` and
``not`` in lower case are words.

>>> test = parse('refund AND (late OR "not arrived")')
>>> test(["my", "refund", "has", "not", "arrived"]), test(["refund", "arrived"])
(True, False)
>>> parse("refund AND")
Traceback (most recent call last):
...
charter.errors.InvalidInput: Pin query 'refund AND', column 8: AND needs a word, ...
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from charter.errors import InvalidInput
from charter.excerpt import excerpt
from charter.feedback._words import words

LONGEST = 200  # characters in a query
MOST_TERMS = 20  # words and phrases in a query
OPERATORS = ("AND", "OR", "NOT")
TOKEN = re.compile(r'\s*(?:(?P<bracket>[()])|"(?P<phrase>[^"]*)(?P<closed>"?)|(?P<word>[^\s()"]+))')

Test = Callable[[list[str]], bool]


@dataclass(frozen=True)
class Token:
    kind: str  # "(" ")" AND OR NOT "term"
    column: int  # from 1
    test: Test | None = None


def parse(query: str) -> Test:
    """The test ``query`` describes; :class:`InvalidInput` naming the column if it is
    not a query."""
    if len(query) > LONGEST:
        raise _bad(
            query, LONGEST + 1, f"a query has at most {LONGEST} characters, not {len(query)}"
        )
    tokens = _tokens(query)
    if not tokens:
        raise _bad(query, 1, 'the query is empty; write a word, a "phrase" or both')
    terms = [t for t in tokens if t.kind == "term"]
    if len(terms) > MOST_TERMS:
        raise _bad(
            query, terms[MOST_TERMS].column, f"a query has at most {MOST_TERMS} words or phrases"
        )
    reader = _Reader(query, tokens)
    test = reader.any_of()
    if reader.at < len(tokens):
        raise _bad(query, tokens[reader.at].column, "this ) closes no bracket")
    return test


def _bad(query: str, column: int, what: str) -> InvalidInput:
    return InvalidInput(
        f"Pin query {excerpt(query)!r}, column {column}: {what}",
        [{"field": "query", "column": column, "problem": what}],
    )


def _tokens(query: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    while query[position:].strip():
        match = TOKEN.match(query, position)
        assert match is not None  # every non-blank character starts some token
        column = match.start() + len(match[0]) - len(match[0].lstrip()) + 1
        if match["bracket"]:
            found.append(Token(match["bracket"], column))
        elif match["phrase"] is not None:
            found.append(Token("term", column, _phrase(query, column, match)))
        elif match["word"] in OPERATORS:
            found.append(Token(match["word"], column))
        else:
            found.append(Token("term", column, _word(query, column, match["word"])))
        position = match.end()
    return found


def _phrase(query: str, column: int, match: re.Match[str]) -> Test:
    if not match["closed"]:
        raise _bad(query, column, 'this quote is never closed; add a " after the phrase')
    said = words(match["phrase"])
    if not said:
        raise _bad(query, column, "this phrase has no words in it")
    return _sequence(said)


def _word(query: str, column: int, text: str) -> Test:
    prefix = text.endswith("*")
    said = words(text[:-1] if prefix else text)
    if "*" in (text[:-1] if prefix else text) or (prefix and len(said) != 1):
        raise _bad(query, column, f"{excerpt(text)!r}: * may only end a single word (refund*)")
    if not said:
        raise _bad(query, column, f"{excerpt(text)!r} has no letters or digits")
    if prefix:
        start = said[0]
        return lambda seen: any(word.startswith(start) for word in seen)
    return _sequence(said)  # "e-mail" is the phrase "e mail", as the text is read


def _sequence(said: list[str]) -> Test:
    if len(said) == 1:
        return lambda seen: said[0] in seen
    size = len(said)
    return lambda seen: any(seen[i : i + size] == said for i in range(len(seen) - size + 1))


class _Reader:
    """Recursive descent over the tokens: any_of (OR) > all_of (AND) > negated (NOT)."""

    def __init__(self, query: str, tokens: list[Token]) -> None:
        self.query, self.tokens, self.at = query, tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.at].kind if self.at < len(self.tokens) else None

    def any_of(self) -> Test:
        parts = [self.all_of()]
        while self.peek() in ("OR", "term", "("):
            if self.peek() == "OR":
                self.operand_after("OR")
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else lambda seen: any(p(seen) for p in parts)

    def all_of(self) -> Test:
        parts = [self.negated()]
        while self.peek() in ("AND", "NOT"):
            if self.peek() == "AND":
                self.operand_after("AND")
            parts.append(self.negated())
        return parts[0] if len(parts) == 1 else lambda seen: all(p(seen) for p in parts)

    def negated(self) -> Test:
        if self.peek() == "NOT":
            self.operand_after("NOT")
            inner = self.negated()
            return lambda seen: not inner(seen)
        return self.operand()

    def operand_after(self, operator: str) -> None:
        token = self.tokens[self.at]
        self.at += 1
        if self.peek() not in ("term", "(", "NOT"):
            raise _bad(self.query, token.column,
                       f'{operator} needs a word, a "phrase" or a bracket after it')  # fmt: skip

    def operand(self) -> Test:
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        if token is None or token.kind in (")", "AND", "OR"):
            column = token.column if token else len(self.query) + 1
            what = f"{token.kind} has nothing before it" if token else "the query ends too soon"
            raise _bad(self.query, column, what)
        self.at += 1
        if token.test is not None:
            return token.test
        inner = self.any_of()  # token is "("
        if self.peek() != ")":
            raise _bad(self.query, token.column, "this bracket is never closed; add a )")
        self.at += 1
        return inner
