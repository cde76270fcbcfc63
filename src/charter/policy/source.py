"""Where each value of a policy file stands: line and column by field path."""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from charter.policy.diagnostic import Diagnostic, Path, Severity


class SourceMap:
    """Finds the line and column of a field path in the YAML node tree.

    A path that does not exist in the file (a missing field, a default section)
    resolves to its nearest written parent.
    """

    def __init__(self, root: Node | None = None, file: str = "<policy>") -> None:
        self.root = root
        self.file = file

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path`` (of its key with ``key``)."""
        if self.root is None:
            return (0, 0)
        node, mark = self.root, self.root.start_mark
        for depth, part in enumerate(path):
            found = _child(node, part)
            if found is None:
                break
            key_node, node = found
            last = depth == len(path) - 1
            mark = key_node.start_mark if key and last and key_node is not None else node.start_mark
        return mark.line + 1, mark.column + 1

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
        line, column = self.locate(path, key=at_key)
        return Diagnostic(code, severity, message, path, hint, self.file, line, column)


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    """(key node, value node) of ``part`` under ``node``, or None."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == str(part):  # keys written as dates or numbers too
                return key_node, value_node
        return None
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None
