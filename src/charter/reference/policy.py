"""The reference of every policy field, generated from the schema.

``python -m charter.reference.policy > docs/policy.md`` writes it; a test fails
when the committed file is stale.
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from charter.policy.schema import Policy
from charter.policy.service_level import Threshold
from charter.policy.units import Duration, parse_interval, parse_share

HEADER = """\
# Policy reference

<!-- Generated from the schema by `make docs`; do not edit by hand. -->

A policy is one YAML file. Every section and every list item has a stable `id`
so that any clause can be cited. Unknown fields are errors. Values:

- **duration**: `90m`, `4h`, `1h30m`, `2d` (24-hour days) or `10wd` (working days of
  the clock's calendar). On a calendar clock, hours are business hours.
- **share**: `85%` or `0.85`.
- **interval**: `"09:00-17:30"` in 24-hour local time; `24:00` is a valid end; an
  end before the start runs past midnight (`"22:00-02:00"`).
- **id**: lower-case letters, digits, `-`, `_` or `.`.
- **clock**: the id of a calendar, or `24x7`.
- **date**: `YYYY-MM-DD`.
"""


def render() -> str:
    """The whole reference as Markdown."""
    sections = [HEADER]
    for path, model in _models_in_order():
        sections.append(_section(path, model))
    return "\n".join(sections)


def _models_in_order() -> list[tuple[str, type[BaseModel]]]:
    found: list[tuple[str, type[BaseModel]]] = []
    seen: set[type[BaseModel]] = set()
    queue: list[tuple[str, type[BaseModel]]] = [("(top level)", Policy)]
    while queue:
        path, model = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        found.append((path, model))
        for name, field in model.model_fields.items():
            for child in _models_in(field.annotation):
                prefix = "" if model is Policy else f"{path}."
                queue.append((f"{prefix}{name}", child))
    return found


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _section(path: str, model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip().splitlines()[0]
    title = f"## `{path}`" if model is Policy else f"## `{path}` ({model.__name__})"
    lines = [title, "", doc, "", "| field | type | default | description |"]
    lines.append("|---|---|---|---|")
    for name, field in model.model_fields.items():
        kind = _type_name(field.annotation, field.metadata)
        default = _default(field)
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {kind} | {default} | {description} |")
    return "\n".join(lines) + "\n"


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "see its section"
        return "empty" if not value else f"`{value}`"
    if field.default is None or field.default is PydanticUndefined:
        return "none"
    return f"`{field.default}`"


def _type_name(annotation: Any, metadata: list[Any] | None = None) -> str:
    validators = [m.func for m in metadata or [] if isinstance(m, BeforeValidator)]
    origin = get_origin(annotation)
    if parse_share in validators:
        return "share"
    if parse_interval in validators:
        return "interval"
    if origin is typing.Annotated:
        inner, *extra = get_args(annotation)
        return _type_name(inner, list(extra))
    if origin in (Union, types.UnionType):
        names = [_type_name(a) for a in get_args(annotation) if a is not type(None)]
        return " or ".join(names)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(annotation))
    if origin is list:
        return f"list of {_type_name(get_args(annotation)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"mapping of {_type_name(key)} to {_type_name(value)}"
    if origin is tuple:
        return "interval"
    return _plain_name(annotation, metadata or [])


def _plain_name(annotation: Any, metadata: list[Any]) -> str:
    if annotation is Duration:
        return "duration"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{_anchor(annotation)})"
    if annotation is str and any(getattr(m, "pattern", None) for m in metadata):
        return "id"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false"}
    if isinstance(annotation, type) and annotation.__name__ == "date":
        return "date"
    if annotation is Threshold:
        return "threshold (`75%`, `breach`, `breach + 2h`)"
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _anchor(model: type[BaseModel]) -> str:
    for path, candidate in _models_in_order():
        if candidate is model:
            heading = f"{path} ({model.__name__})".lower()
            return "".join(c for c in heading if c.isalnum() or c in "-_ ").replace(" ", "-")
    return model.__name__.lower()


if __name__ == "__main__":
    sys.stdout.write(render())
