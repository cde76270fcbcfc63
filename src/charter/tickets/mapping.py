"""The mapping file: how an export's columns, values and times map onto canonical tickets.

A mapping is YAML. Every part is optional; an importer's own defaults fill the rest.

>>> mapping = load_mapping_text('''
... timezone: Europe/Paris
... columns: {id: Ticket ID, created_at: Created time}
... values:
...   status: {Waiting on customer: pending, 6: on_hold}
... custom_fields: {cf_tier: segment}
... ''')
>>> mapping.columns["created_at"], mapping.values["status"]["6"], mapping.custom_fields
('Created time', 'on_hold', {'cf_tier': 'segment'})
>>> load_mapping_text("colums: {id: Key}", "m.yaml")
Traceback (most recent call last):
...
charter.errors.UsageError: 1 error in mapping file m.yaml
m.yaml:1:1: error M203 colums: unknown field 'colums', did you mean 'columns'? ...
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path as FsPath
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from charter.errors import PolicyError, UsageError
from charter.excerpt import excerpt
from charter.policy.calendar import suggest
from charter.policy.diagnostic import Diagnostic, Path
from charter.policy.source import SourceMap
from charter.policy.yaml_reader import parse
from charter.tickets.schema import PRIORITIES, STATUSES, TICKET_SCHEMA

Canonical = Literal[
    "id", "created_at", "updated_at", "channel", "priority", "segment", "team", "assignee",
    "category", "tags", "status", "first_response_at", "solved_at", "csat", "nps",
    "requester_email", "csat_comment",
]  # fmt: skip
Target = Literal["segment", "team", "category"]
Mapped = Literal["status", "priority", "channel", "csat", "segment", "team", "category"]
MAPPED_VALUES = ("status", "priority", "channel", "csat", "segment", "team", "category")
MAX_BYTES = 1_000_000


class Mapping(BaseModel):
    """Column names, value tables, timezone and custom fields of one export."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str | None = Field(
        None, description="IANA timezone of times written without an offset (Europe/Paris)."
    )
    timestamp_formats: list[str] = Field(
        default_factory=list,
        description="strftime formats tried, in order, before ISO 8601 (%d/%m/%Y %H:%M).",
    )
    columns: dict[Canonical, str] = Field(
        default_factory=dict, description="Canonical column → column or field of the export."
    )
    values: dict[Mapped, dict[str, str | int]] = Field(
        default_factory=dict, description="Canonical column → {export value: canonical value}."
    )
    defaults: dict[Canonical, str] = Field(
        default_factory=dict, description="Canonical column → value used where the export has none."
    )
    custom_fields: dict[str, Target] = Field(
        default_factory=dict,
        description="Custom field id (Zendesk) or name (Freshdesk) → segment, team or category.",
    )
    csat_scale: Literal[5, 10] = Field(
        5, description="Scale of the export's satisfaction ratings: 5 (1-5) or 10 (1-10)."
    )
    tags_separator: str = Field(",", min_length=1, description="Separator of tags in one cell.")

    def value_table(self, column: str) -> dict[str, str | int]:
        """The ``values:`` table of ``column`` (empty when none is written)."""
        return cast(dict[str, dict[str, str | int]], self.values).get(column, {})

    @property
    def column_names(self) -> dict[str, str]:
        """``columns:`` keyed by canonical name."""
        return cast(dict[str, str], self.columns)

    @property
    def default_values(self) -> dict[str, str]:
        """``defaults:`` keyed by canonical name."""
        return cast(dict[str, str], self.defaults)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            check_timezone(value)
        return value

    @field_validator("timestamp_formats")
    @classmethod
    def _formats(cls, value: list[str]) -> list[str]:
        for fmt in value:
            if "%" not in fmt:
                raise ValueError(
                    f"{excerpt(repr(fmt))} is not a strftime format; "
                    "write directives such as %d/%m/%Y %H:%M"
                )
        return value

    @field_validator("values", "custom_fields", mode="before")
    @classmethod
    def _text_keys(cls, value: Any) -> Any:
        """YAML reads ``6:`` and ``360001234567:`` as numbers; the exports' codes are text."""
        if not isinstance(value, dict):
            return value
        return {str(k): _text_keys_of(v) for k, v in value.items()}

    @field_validator("values")
    @classmethod
    def _canonical_values(cls, value: dict[str, dict[str, str | int]]) -> Any:
        allowed: dict[str, tuple[str, ...]] = {"status": STATUSES, "priority": PRIORITIES}
        for column, table in value.items():
            for given in table.values():
                if column == "csat" and (isinstance(given, str) or not 1 <= given <= 5):
                    raise ValueError(
                        f"csat value {excerpt(repr(given))} is not 1-5; map ratings to 1..5"
                    )
                if column in allowed and given not in allowed[column]:
                    choices = list(allowed[column])
                    raise ValueError(
                        f"{column} value {excerpt(repr(given))} is not canonical"
                        f"{suggest(excerpt(given), choices)}"
                        f"; use one of: {', '.join(choices)}"
                    )
        return value


def _text_keys_of(table: Any) -> Any:
    return {str(k): v for k, v in table.items()} if isinstance(table, dict) else table


def check_timezone(name: str) -> str:
    """``name`` when it is an IANA timezone; ``ValueError`` saying how to write one."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {excerpt(name)!r}; write an IANA name such as Europe/Paris or UTC"
        ) from None
    return name


def load_mapping(path: str | FsPath) -> Mapping:
    """Read and validate the mapping file at ``path``; ``UsageError`` lists every problem."""
    file = FsPath(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file}: no such mapping file") from None
    except OSError as error:
        raise UsageError(f"{file}: cannot read the mapping file ({error.strerror})") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{file}: a mapping file over 1 MB is not a mapping; check the path")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{file}: not UTF-8 text; save the mapping as UTF-8 YAML") from None
    return load_mapping_text(text, str(file))


def load_mapping_text(text: str, file: str = "<mapping>") -> Mapping:
    """Validate mapping YAML; ``file`` names it in every message."""
    try:
        root, data = parse(text, file)
    except PolicyError as error:
        raise _usage(error.diagnostics, file) from None
    source = SourceMap(root, file)
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        hint = "write 'columns:', 'values:', 'timezone:' ... at the top level"
        found = source.diagnostic("M103", "error", (), "not a mapping of fields", hint)
        raise _usage([found], file)
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        every = [_diagnostic(d, source) for d in error.errors(include_url=False)]
        raise _usage(sorted(every, key=lambda d: (d.line, d.column)), file) from None


def _usage(diagnostics: list[Diagnostic], file: str) -> UsageError:
    count = len(diagnostics)
    head = f"{count} error{'s' if count != 1 else ''} in mapping file {file}"
    return UsageError("\n".join([head, *(d.render() for d in diagnostics)]))


_FIELDS = list(Mapping.model_fields)
_CANONICAL = list(TICKET_SCHEMA)


def _diagnostic(detail: ErrorDetails, source: SourceMap) -> Diagnostic:
    at_key = bool(detail["loc"]) and detail["loc"][-1] == "[key]"
    path: Path = tuple(p for p in detail["loc"] if p != "[key]")
    kind, given = detail["type"], detail.get("input")
    if kind == "extra_forbidden":
        field = excerpt(path[-1])
        message = f"unknown field '{field}'{suggest(field, _FIELDS)}"
        hint = f"remove it or correct its spelling; fields: {', '.join(_FIELDS)}"
        return source.diagnostic("M203", "error", path, message, hint, at_key=True)
    if kind == "literal_error":
        choices = _choices(path, at_key)
        message = f"{excerpt(repr(given))} is not allowed here{suggest(excerpt(given), choices)}"
        return source.diagnostic(
            "M202", "error", path, message, f"use one of: {', '.join(choices)}", at_key=at_key
        )
    text = detail["msg"].removeprefix("Value error, ")
    what, _, how = text.partition("; ")
    return source.diagnostic("M201", "error", path, what, how or _hint(kind), at_key=at_key)


def _choices(path: Path, at_key: bool) -> list[str]:
    if path and path[0] == "custom_fields":
        return ["segment", "team", "category"]
    if path and path[0] == "csat_scale":
        return ["5", "10"]
    if path and path[0] == "values" and at_key:
        return list(MAPPED_VALUES)
    return _CANONICAL


def _hint(kind: str) -> str:
    return {
        "string_type": "write text (quote it if it looks like a number or a date)",
        "dict_type": "write a mapping of 'key: value' lines",
        "list_type": "write a list, one '- item' per line or [a, b]",
        "int_type": "write a whole number",
    }.get(kind, "")
