"""The country and subdivision codes the holidays package knows, without importing it.

Importing ``holidays`` costs a tenth of a second or more (it reads its own package
metadata and a date parser), and using any one country imports all 250 of them:
time a policy check at the command line should not spend, since it only needs the
codes. The package declares both as literals in its source (the registry's
``COUNTRIES`` table, each country class's ``subdivisions``), so they are read from
there; whatever cannot be read that way is asked of the imported package, as before.
Only computing a calendar's closed dates imports it.

>>> "GB" in country_codes() and "UK" in country_codes()
True
>>> subdivisions("GB")
('ENG', 'NIR', 'SCT', 'WLS')
>>> "NY" in subdivisions("us")
True
"""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _folder() -> Path | None:
    spec = importlib.util.find_spec("holidays")  # finds the package, runs none of it
    locations = spec.submodule_search_locations if spec else None
    return Path(locations[0]) if locations else None


def _literal(source: Path, name: str, within: str | None = None) -> Any:
    """The literal value assigned to ``name`` at the top of ``source`` (or of its class
    ``within``); ``None`` when it is not there or not a literal."""
    try:
        body = ast.parse(source.read_text("utf-8")).body
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    if within is not None:
        found = [n for n in body if isinstance(n, ast.ClassDef) and n.name == within]
        if not found:
            return None
        body = found[0].body
    for statement in body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == name:
            try:
                return ast.literal_eval(value)
            except ValueError:
                return None
    return () if within is not None else None  # a class that declares none has none


@cache
def _registry() -> dict[str, tuple[str, str]]:
    """Country code or alias (upper case) → (module name, class name), from the
    registry's source, else from the imported registry."""
    folder = _folder()
    table = _literal(folder / "registry.py", "COUNTRIES") if folder else None
    if not isinstance(table, dict):
        from holidays.registry import COUNTRIES

        table = COUNTRIES
    return {code.upper(): (module, names[0]) for module, names in table.items()
            for code in names[1:]}  # fmt: skip


def country_codes() -> frozenset[str]:
    """Every country code the holidays package knows, with aliases (GB, UK, GBR): two or
    three letters, as the package lists them."""
    return frozenset(code for code in _registry() if 2 <= len(code) <= 3)


def declared(source: Path, class_name: str) -> tuple[str, ...] | None:
    """The literal ``subdivisions`` of ``class_name`` in ``source``: ``()`` when the class
    declares none, ``None`` when they cannot be read without running the module."""
    found = _literal(source, "subdivisions", within=class_name)
    if found is None or not all(isinstance(code, str) for code in found):
        return None
    return tuple(found)


@cache
def subdivisions(country: str) -> tuple[str, ...]:
    """The subdivision codes of ``country`` (GB, or an alias such as UK)."""
    module, name = _registry()[country.upper()]
    folder = _folder()
    found = declared(folder / "countries" / f"{module}.py", name) if folder else None
    if found is None:
        import holidays

        return tuple(getattr(holidays, country.upper()).subdivisions)
    return found
