"""Load a policy from YAML, reporting every problem with its file, line and column.

>>> loaded = load_policy_text("organisation: {name: Acme, mission: Delight}")
>>> loaded.policy.organisation.mission
'Delight'

Whatever the file holds — nothing, binary, a list, duplicated keys, wrong types,
unknown fields — loading ends in a value or a ``PolicyError`` listing every
problem found; never in a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import TypeAdapter, ValidationError

from charter.errors import PolicyError, UsageError
from charter.policy._errors import translate
from charter.policy.diagnostic import Diagnostic
from charter.policy.limits import MAX_TEXT_BYTES, too_large
from charter.policy.references import check_references
from charter.policy.schema import Policy
from charter.policy.source import SourceMap
from charter.policy.yaml_reader import parse


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
    if len(data) > MAX_TEXT_BYTES:
        raise too_large(len(data), file)
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
    root, data = parse(text, file)
    source = SourceMap(root, file)
    problems = _shape_problems(data, source)
    if problems:
        raise PolicyError(problems)
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


def _shape_problems(root: Any, source: SourceMap) -> list[Diagnostic]:
    hint = "start from `charter init policy.yaml`, which writes a complete example"
    if root is None:
        return [source.diagnostic("P103", "error", (), "the file is empty", hint)]
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else f"a single value ({type(root).__name__})"
        message = f"a policy is a mapping of sections (organisation:, calendars:, ...), not {kind}"
        return [source.diagnostic("P103", "error", (), message, hint)]
    return []
