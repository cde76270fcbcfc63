"""A country's subdivision codes, without importing every country.

The holidays package's ``countries`` package imports all 250 country modules (and
their shared holiday groups) when any one is used: about a tenth of a second, each
time the command line checks a policy. Each module declares its ``subdivisions`` as a
literal tuple, so they are read from the module's source instead; a module that does
not is imported as before.

>>> subdivisions("GB")
('ENG', 'NIR', 'SCT', 'WLS')
>>> "NY" in subdivisions("us")
True
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import holidays as holidays_lib
from holidays.registry import COUNTRIES

_FOLDER = Path(holidays_lib.__file__).parent / "countries"


@cache
def _modules() -> dict[str, tuple[str, str]]:
    """Country code or alias (upper case) → (module name, class name)."""
    return {code.upper(): (module, names[0]) for module, names in COUNTRIES.items()
            for code in names[1:]}  # fmt: skip


@cache
def subdivisions(country: str) -> tuple[str, ...]:
    """The subdivision codes the holidays package knows for ``country`` (GB, or an
    alias such as UK)."""
    module, name = _modules()[country.upper()]
    found = declared(_FOLDER / f"{module}.py", name)
    if found is None:
        return tuple(getattr(holidays_lib, country.upper()).subdivisions)
    return found


def declared(source: Path, class_name: str) -> tuple[str, ...] | None:
    """The literal ``subdivisions`` of ``class_name`` in ``source``; ``()`` when the class
    declares none (it has none), ``None`` when it cannot be read without running it."""
    try:
        tree = ast.parse(source.read_text("utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return _literal(node)
    return None


def _literal(node: ast.ClassDef) -> tuple[str, ...] | None:
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "subdivisions":
            try:
                found = ast.literal_eval(value)
            except ValueError:
                return None
            return tuple(found) if all(isinstance(code, str) for code in found) else None
    return ()
