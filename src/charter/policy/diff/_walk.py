"""The raw differences between two policies, walked in the schema's field order.

List items that carry an ``id`` are matched by id, so reordering them is not a
change, except in lists where order decides something (rules: first match wins;
complaint stages: the order of escalation), where an item whose place among the
others changed is reported as ``moved``. Lists of plain values are compared
as sets, except the returns' check order, where a new order is a change. A path
is a tuple of field names, dict keys and ``[id]`` for list items.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from charter.policy.commitments import DayRange

Kind = Literal["added", "removed", "changed", "moved"]
DiffPath = tuple[str, ...]
ORDERED: frozenset[DiffPath] = frozenset(
    {("service_levels", "rules"), ("complaints", "stages"), ("returns", "check_order")}
)
ATOMIC: tuple[type[BaseModel], ...] = (DayRange,)  # compared and shown as one value


@dataclass(frozen=True)
class Delta:
    """One raw difference; ``old`` and ``new`` are policy values (positions for moves)."""

    path: DiffPath
    kind: Kind
    old: Any
    new: Any


def walk(old: Any, new: Any, path: DiffPath = ()) -> Iterator[Delta]:
    """Every difference between ``old`` and ``new``, in document order."""
    if old == new:
        return
    if len(path) == 1 and (old is None or new is None):
        yield Delta(path, "added" if old is None else "removed", old, new)
    elif _both(old, new, BaseModel) and type(old) is type(new) and not isinstance(old, ATOMIC):
        for name in type(old).model_fields:
            yield from walk(getattr(old, name), getattr(new, name), (*path, name))
    elif _both(old, new, list) and _is_item_list([*old, *new]):
        yield from _walk_items(old, new, path)
    elif _both(old, new, list):
        if _as_set(old) != _as_set(new) or (path in ORDERED and old != new):
            yield Delta(path, "changed", old, new)
    elif _both(old, new, dict):
        yield from _walk_dict(old, new, path)
    else:
        yield Delta(path, "changed", old, new)


def navigate(root: Any, path: DiffPath) -> Any:
    """The value at ``path`` in ``root``, or None where the path does not exist."""
    node = root
    for part in path:
        if node is None:
            return None
        if part.startswith("[") and isinstance(node, list):
            node = next((x for x in node if getattr(x, "id", None) == part[1:-1]), None)
        elif isinstance(node, BaseModel):
            node = getattr(node, part, None)
        elif isinstance(node, dict):
            node = next((v for k, v in node.items() if str(k) == part), None)
        else:
            return None
    return node


def item(item_id: str) -> str:
    """The path part naming a list item by its id."""
    return f"[{item_id}]"


def _both(old: Any, new: Any, kind: type) -> bool:
    return isinstance(old, kind) and isinstance(new, kind)


def _is_item_list(values: list[Any]) -> bool:
    return bool(values) and all(
        isinstance(v, BaseModel) and isinstance(getattr(v, "id", None), str) for v in values
    )


def _as_set(values: list[Any]) -> set[str]:
    return {repr(v) for v in values}


def _walk_items(old: list[Any], new: list[Any], path: DiffPath) -> Iterator[Delta]:
    old_by = {x.id: x for x in old}
    new_by = {x.id: x for x in new}
    for x in old:
        if x.id not in new_by:
            yield Delta((*path, item(x.id)), "removed", x, None)
    old_ids = [x.id for x in old if x.id in new_by]
    new_ids = [x.id for x in new if x.id in old_by]
    moved = _moved(old_ids, new_ids) if path in ORDERED else set()
    for position, x in enumerate(new, start=1):
        here = (*path, item(x.id))
        if x.id not in old_by:
            yield Delta(here, "added", None, x)
            continue
        if x.id in moved:
            before = [y.id for y in old].index(x.id) + 1
            yield Delta(here, "moved", before, position)
        yield from walk(old_by[x.id], x, here)


def _moved(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids outside a longest common subsequence: the fewest items that changed place."""
    rows = [[0] * (len(new_ids) + 1) for _ in range(len(old_ids) + 1)]
    for i in range(len(old_ids) - 1, -1, -1):
        for j in range(len(new_ids) - 1, -1, -1):
            same = old_ids[i] == new_ids[j]
            rows[i][j] = rows[i + 1][j + 1] + 1 if same else max(rows[i + 1][j], rows[i][j + 1])
    kept, i, j = set(), 0, 0
    while i < len(old_ids) and j < len(new_ids):
        if old_ids[i] == new_ids[j]:
            kept.add(old_ids[i])
            i, j = i + 1, j + 1
        elif rows[i + 1][j] >= rows[i][j + 1]:
            i += 1
        else:
            j += 1
    return set(new_ids) - kept


def _walk_dict(old: dict[Any, Any], new: dict[Any, Any], path: DiffPath) -> Iterator[Delta]:
    for key, value in old.items():
        if key not in new:
            yield Delta((*path, str(key)), "removed", value, None)
    for key, value in new.items():
        if key not in old:
            yield Delta((*path, str(key)), "added", None, value)
        else:
            yield from walk(old[key], value, (*path, str(key)))
