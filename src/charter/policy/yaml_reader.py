"""Reading YAML text into a node tree (for positions) and plain Python data.

The text is composed once by ruamel's YAML 1.2 parser (libyaml follows YAML 1.1,
which refuses ``[09:00-17:00]`` in flow style and reads ``NO``, Norway, as false).
The node tree gives every key and value its line and column, shows every
duplicated key, and is constructed into plain data without parsing the text again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from charter.errors import PolicyError
from charter.policy.diagnostic import Diagnostic
from charter.policy.limits import MAX_DEPTH, check_limits

MAX_VALUES = 200_000  # aliases can expand a small file enormously
_SYNTAX_HINT = "check indentation, colons and quotes around this point"


class _RecursiveAlias(Exception):
    """An alias inside the node it names: the data would contain itself."""


def parse(text: str, file: str) -> tuple[Node | None, Any]:
    """The document's root node and its data; ``PolicyError`` on bad YAML.

    The text's size and nesting are checked first (:mod:`charter.policy.limits`), so
    the parser, which recurses once per level, never goes deep.
    """
    check_limits(text, file)
    yaml = YAML(typ="safe", pure=True)  # YAML 1.2: [09:00-17:00] in flow style is valid
    yaml.allow_duplicate_keys = True  # every duplicate is reported by _duplicates instead
    try:
        node = yaml.compose(text)
        if node is None:
            return None, None
        duplicates = _duplicates(node, file)
        if duplicates:
            raise PolicyError(duplicates)
        data = yaml.constructor.construct_document(node)
        return node, _plain(data, [MAX_VALUES], set())
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = error.problem or error.context or "invalid YAML"
        raise _one(f"YAML syntax: {problem}", file, line, column, _SYNTAX_HINT) from None
    except _RecursiveAlias:
        raise _one("an alias refers to itself", file, hint="remove the recursive alias") from None
    except RecursionError:  # the limits should have refused the text already
        message = f"the text is nested too deeply to read (keep it within {MAX_DEPTH} levels)"
        raise _one(message, file, hint="a policy nests a few levels; indent less") from None
    except (YAMLError, ValueError, TypeError) as error:
        raise _one(f"YAML could not be read: {error}", file) from None


def _one(message: str, file: str, line: int = 0, column: int = 0, hint: str = "") -> PolicyError:
    return PolicyError([Diagnostic("P101", "error", message, (), hint, file, line, column)])


def _duplicates(root: Node, file: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key.value, str) and key.value in first:
                    found.append(_duplicate(key, first[key.value], file))
                first.setdefault(str(key.value), key.start_mark.line + 1)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return sorted(found, key=lambda d: (d.line, d.column))


def _duplicate(key: Node, first_line: int, file: str) -> Diagnostic:
    mark = key.start_mark
    return Diagnostic(
        "P102", "error", f"key {key.value!r} appears again (first on line {first_line})", (),
        "keep one of them; YAML would silently drop the other", file, mark.line + 1,
        mark.column + 1,
    )  # fmt: skip


def _plain(value: Any, budget: list[int], inside: set[int]) -> Any:
    """Plain Python values, each alias expanded, within a budget of values.

    ``inside``: the collections being expanded around ``value``; meeting one again
    means an alias refers to a node that holds it.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError(f"the document expands to more than {MAX_VALUES:,} values")
    if isinstance(value, dict | list):
        if id(value) in inside:
            raise _RecursiveAlias
        inside.add(id(value))
        try:
            if isinstance(value, dict):
                return {_key(k): _plain(v, budget, inside) for k, v in value.items()}
            return [_plain(v, budget, inside) for v in value]
        finally:
            inside.discard(id(value))
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date | bool | int | float | str) or value is None:
        return value
    return str(value)


def _key(key: Any) -> Any:
    return key if isinstance(key, str | int | dt.date) and not isinstance(key, bool) else str(key)
