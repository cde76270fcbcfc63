"""A problem found in a policy, with where it is and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Path = tuple[str | int, ...]


def render_path(path: Path) -> str:
    """``("service_levels", "rules", 0, "id")`` → ``service_levels.rules[0].id``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a code, a severity, a location, what is wrong and how to fix it."""

    code: str
    severity: Severity
    message: str
    path: Path = ()
    hint: str = ""
    file: str = "<policy>"
    line: int = 0
    column: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def render(self) -> str:
        """``file:line:col: error P201 service_levels.rules[0]: what. Fix: how.``"""
        text = f"{self.where}: {self.severity} {self.code} {render_path(self.path)}: {self.message}"
        if not self.hint:
            return text
        return f"{text}{'' if text.endswith(('?', '.')) else '.'} Fix: {self.hint}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = render_path(self.path)
        return data
