"""Where each value of a policy file stands: line and column by field path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from charter.policy.diagnostic import Diagnostic, Path, Severity


class SourceMap:
    """Finds the line and column of a field path in the loaded YAML.

    Built from ruamel.yaml's round-trip data, which records the position of
    every key, value and list item. A path that does not exist in the file
    (a missing field, a default section) resolves to its nearest written parent.
    """

    def __init__(self, root: Any = None, file: str = "<policy>") -> None:
        self.root = root
        self.file = file

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path`` (of its key with ``key``)."""
        node, best = self.root, _position_of_root(self.root)
        for depth, part in enumerate(path):
            position = _child_position(node, part, key=key and depth == len(path) - 1)
            if position is None:
                break
            best = position
            node = _child(node, part)
        return best[0] + 1, best[1] + 1

    def diagnostic(
        self,
        code: str,
        severity: Severity,
        path: Path,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
    ) -> Diagnostic:
        line, column = self.locate(path, key=at_key) if self.root is not None else (0, 0)
        return Diagnostic(code, severity, message, path, hint, self.file, line, column)


def _position_of_root(root: Any) -> tuple[int, int]:
    lc = getattr(root, "lc", None)
    return (lc.line, lc.col) if lc is not None and lc.line is not None else (0, 0)


def _child_position(node: Any, part: str | int, *, key: bool) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(node, Mapping):
            match = _mapping_key(node, part)
            if match is _MISSING:
                return None
            position = lc.key(match) if key else lc.value(match)
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node):
            position = lc.item(part)
        else:
            return None
    except (KeyError, IndexError, TypeError):
        return None
    return (int(position[0]), int(position[1]))


_MISSING = object()


def _mapping_key(node: Mapping[Any, Any], part: str | int) -> Any:
    if part in node:
        return part
    for candidate in node:  # keys written as dates or numbers, found by their text
        if str(candidate) == str(part):
            return candidate
    return _MISSING


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, Mapping):
        match = _mapping_key(node, part)
        return None if match is _MISSING else node[match]
    if isinstance(node, Sequence) and isinstance(part, int):
        return node[part]
    return None
