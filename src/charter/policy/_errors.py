"""Pydantic validation errors → diagnostics that say where, what, and how to fix it."""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from charter.policy.calendar import suggest
from charter.policy.diagnostic import Diagnostic, Path
from charter.policy.schema import Policy
from charter.policy.source import SourceMap
from charter.policy.units import ID_HINT, ID_PATTERN

_TYPE_HINTS = {
    "string_type": "write text (quote it if it looks like a number or a date)",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "float_type": "write a number",
    "float_parsing": "write a number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "list_type": "write a list, one '- item' per line or [a, b]",
    "dict_type": "write a mapping of 'key: value' lines",
    "model_type": "write a mapping of 'key: value' lines",
    "model_attributes_type": "write a mapping of 'key: value' lines",
    "date_type": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "write a date as YYYY-MM-DD, without a time",
    "tuple_type": "write a list",
}


def translate(error: ValidationError, source: SourceMap) -> list[Diagnostic]:
    """Every error of a failed validation, located and explained, in file order."""
    found = [_one(detail, source) for detail in error.errors(include_url=False)]
    unique = {(d.line, d.column, d.message): d for d in found}
    return sorted(unique.values(), key=lambda d: (d.line, d.column))


def _one(detail: ErrorDetails, source: SourceMap) -> Diagnostic:
    path = _clean_path(detail["loc"])
    kind = detail["type"]
    if kind == "missing":
        field = str(path[-1])
        described = _description(path)
        hint = f"add '{field}:'" + (f" ({described})" if described else "")
        return source.diagnostic("P202", "error", path, f"'{field}' is required", hint)
    if kind == "extra_forbidden":
        return _unknown_field(path, source)
    message, hint = _explain(detail)
    at_key = bool(detail["loc"]) and detail["loc"][-1] == "[key]"
    return source.diagnostic("P201", "error", path, message, hint, at_key=at_key)


def _clean_path(loc: tuple[int | str, ...]) -> Path:
    """The field path of ``loc``, without pydantic's ``[key]`` marks and union branch names."""
    path: list[str | int] = []
    current: Any = Policy
    for part in loc:
        if part == "[key]" or (isinstance(part, str) and part.startswith("function-")):
            continue
        if isinstance(part, str) and get_origin(_unwrap(current)) in (Union, types.UnionType):
            continue  # pydantic names the branch of a union it tried, e.g. 'str'
        path.append(part)
        current = _step(current, part) if current is not None else None
    return tuple(path)


def _explain(detail: ErrorDetails) -> tuple[str, str]:
    kind, message = detail["type"], detail["msg"]
    given = _shown(detail.get("input"))
    if kind in ("value_error", "assertion_error"):
        text = re.sub(r"^(Value|Assertion) error, ", "", message)
        what, _, how = text.partition("; ")
        return what, how
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(detail.get("ctx", {}).get("expected", "")))
        close = suggest(str(detail.get("input")), choices) if choices else ""
        return f"{given} is not allowed{close}", f"use one of: {', '.join(choices)}"
    if kind == "string_pattern_mismatch" and detail.get("ctx", {}).get("pattern") == ID_PATTERN:
        return f"{given} is not a valid id", ID_HINT
    if kind == "too_short":
        return f"{message.rstrip('.')}", "add at least one entry"
    return f"{given}: {message[:1].lower()}{message[1:].rstrip('.')}", _TYPE_HINTS.get(kind, "")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unknown_field(path: Path, source: SourceMap) -> Diagnostic:
    field = str(path[-1])
    allowed = _fields_at(path[:-1])
    close = suggest(field, allowed) if allowed else ""
    message = f"unknown field '{field}'{close}"
    listing = f"; fields here: {', '.join(allowed)}" if allowed else ""
    hint = f"remove it or correct its spelling{listing}"
    return source.diagnostic("P203", "error", path, message, hint, at_key=True)


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``path``, if any."""
    current: Any = Policy
    for part in path:
        current = _step(current, part)
        if current is None:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else None
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that holds fields."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation


def _fields_at(path: Path) -> list[str]:
    model = _model_at(path)
    return list(model.model_fields) if model else []


def _description(path: Path) -> str:
    model = _model_at(path[:-1])
    field = model.model_fields.get(str(path[-1])) if model else None
    return (field.description or "") if field else ""
