"""Load a policy from YAML, reporting every problem with its file, line and column.

>>> loaded = load_policy_text("organisation: {name: Acme, mission: Delight}")
>>> loaded.policy.organisation.mission
'Delight'

Whatever the file holds — nothing, binary, a list, duplicated keys, wrong types,
unknown fields — loading ends in a value or a ``PolicyError`` listing every
problem found; never in a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from charter.errors import PolicyError, UsageError
from charter.policy._errors import translate
from charter.policy.diagnostic import Diagnostic
from charter.policy.references import check_references
from charter.policy.schema import Policy
from charter.policy.source import SourceMap

MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class LoadedPolicy:
    """A valid policy with the source positions of its fields."""

    policy: Policy
    source: SourceMap
    text: str

    @property
    def file(self) -> str:
        return self.source.file


def load_policy(path: str | FsPath) -> LoadedPolicy:
    """Read and validate the policy file at ``path``.

    Raises ``UsageError`` when the file cannot be read and ``PolicyError`` with
    every diagnostic when its content is not a valid policy.
    """
    file = FsPath(path)
    try:
        if file.is_dir():
            raise UsageError(f"{file} is a folder; give the policy's YAML file")
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file; create one with `charter init {file}`") from None
    except OSError as error:
        raise UsageError(f"{file}: cannot read it ({error.strerror})") from None
    return load_policy_bytes(data, str(file))


def load_policy_bytes(data: bytes, file: str = "<policy>") -> LoadedPolicy:
    """Decode and load policy bytes; binary or non-UTF-8 content is a diagnostic."""
    source = SourceMap(None, file)
    if len(data) > MAX_BYTES:
        raise PolicyError([source.diagnostic("P104", "error", (), "file is over 5 MB")])
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), 0, "NUL byte")
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"not a UTF-8 text file (byte {error.start} cannot be read)"
        hint = "save the policy as UTF-8 YAML text"
        raise PolicyError([source.diagnostic("P104", "error", (), message, hint)]) from None
    return load_policy_text(text, file)


def load_policy_text(text: str, file: str = "<policy>") -> LoadedPolicy:
    """Load a policy from YAML text; ``file`` names it in every diagnostic."""
    root = _parse(text, file)
    source = SourceMap(root, file)
    problems = _shape_problems(root, source)
    if problems:
        raise PolicyError(problems)
    data = _plain(root)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        # Report the reference problems of the sections that did validate too,
        # so one run shows every error of the file.
        partial, broken = _valid_sections(data)
        problems = translate(error, source) + check_references(partial, source, broken)
        raise PolicyError(sorted(problems, key=lambda d: (d.line, d.column))) from None
    problems = check_references(policy, source)
    if problems:
        raise PolicyError(problems)
    return LoadedPolicy(policy, source, text)


def _valid_sections(data: dict[str, Any]) -> tuple[Policy, set[str]]:
    """A policy of the top-level sections that validate alone, and the names of the rest."""
    valid: dict[str, Any] = {}
    broken = {key for key in data if key not in Policy.model_fields}
    for name, field in Policy.model_fields.items():
        if name not in data or field.annotation is None:
            continue
        try:
            valid[name] = TypeAdapter(field.annotation).validate_python(data[name])
        except ValidationError:
            broken.add(name)
    return Policy.model_construct(**valid), broken


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # found and reported, all of them, by _duplicates
    return yaml


def _parse(text: str, file: str) -> Any:
    source = SourceMap(None, file)
    try:
        node = _yaml().compose(text)
        duplicates = _duplicates(node, file) if node is not None else []
        if duplicates:
            raise PolicyError(duplicates)
        return _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = error.problem or error.context or "invalid YAML"
        hint = "check indentation, colons and quotes around this point"
        raise PolicyError(
            [Diagnostic("P101", "error", f"YAML syntax: {problem}", (), hint, file, line, column)]
        ) from None
    except (YAMLError, RecursionError, ValueError) as error:
        message = f"YAML could not be read: {error}"
        raise PolicyError([source.diagnostic("P101", "error", (), message)]) from None


def _duplicates(node: Node, file: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    stack = [node]
    seen_nodes: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, MappingNode):
            first: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                if isinstance(key.value, str) and name in first:
                    mark = key.start_mark
                    message = f"key {name!r} appears again (first on line {first[name]})"
                    hint = "keep one of them; YAML would silently drop the other"
                    found.append(
                        Diagnostic(
                            "P102", "error", message, (), hint, file, mark.line + 1, mark.column + 1
                        )
                    )
                first.setdefault(name, key.start_mark.line + 1)
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return sorted(found, key=lambda d: (d.line, d.column))


def _shape_problems(root: Any, source: SourceMap) -> list[Diagnostic]:
    hint = "start from `charter init policy.yaml`, which writes a complete example"
    if root is None:
        return [source.diagnostic("P103", "error", (), "the file is empty", hint)]
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else f"a single value ({type(root).__name__})"
        message = f"a policy is a mapping of sections (organisation:, calendars:, ...), not {kind}"
        return [source.diagnostic("P103", "error", (), message, hint)]
    return []


def _plain(value: Any) -> Any:
    """ruamel's round-trip types → plain Python values for validation."""
    if isinstance(value, dict):
        return {_plain_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.datetime):
        return dt.datetime.fromisoformat(value.isoformat())
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value


def _plain_key(key: Any) -> Any:
    plain = _plain(key)
    return plain if isinstance(plain, str | int | dt.date) else str(plain)
