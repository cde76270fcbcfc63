"""The layout rules of DESIGN.md and STYLE.md, read from the source's imports.

Every ``import`` in ``src/charter`` is read with :mod:`ast` (imports inside functions
and under ``TYPE_CHECKING`` too) and checked:

- pure packages import no web, CLI or database framework;
- imports point down the layers: entry points (``cli``, ``web``, ``worker``) over
  ``services`` over ``store``, ``notify``, ``publish`` and ``sync`` over the pure
  packages and the shared base (``errors``, ``config``, ``excerpt``, ``clock``), which may use
  each other; an import under ``TYPE_CHECKING`` names types for annotations only
  and is left out of this rule (``errors`` names the policy's ``Diagnostic``);
- no module imports another package's private module (a ``_name`` below that
  package): what is shared is public in its home;
- no two modules import each other, directly or round a longer loop.

Each failure names the importing module, the import, and the rule.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import charter

SRC = Path(charter.__file__).parent
PURE = frozenset({"policy", "hours", "tickets", "sla", "analytics", "decisions", "training",
                  "feedback"})  # fmt: skip
FRAMEWORKS = frozenset({"fastapi", "starlette", "sqlalchemy", "alembic", "typer", "uvicorn",
                        "weasyprint", "psycopg", "jinja2", "rich", "click"})  # fmt: skip
BASE = frozenset({"", "errors", "config", "excerpt", "clock", "figures"})
LAYERS = {
    **dict.fromkeys(BASE, 0),
    **dict.fromkeys(PURE, 1),
    **dict.fromkeys(("store", "notify", "publish", "sync"), 2),
    "services": 3,
    **dict.fromkeys(("web", "worker"), 4),
    "cli": 5,
    "reference": 6,  # writes the docs from the policy schema, the commands and the settings
}
# Sideways imports allowed by name: a helpdesk action (sync) ends in the same outcome as an
# e-mail or a webhook, notify's leaf module `delivery`, so the outbox keeps all three alike.
SIDEWAYS = frozenset({("sync", "charter.notify.delivery")})


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. charter.services.dashboard
    target: str  # what it imports, e.g. charter.publish._axis
    line: int
    typing_only: bool = False  # under `if TYPE_CHECKING:`: annotations, nothing at run time

    def __str__(self) -> str:
        path = module_path(self.module).relative_to(SRC.parent)
        return f"{path}:{self.line}: {self.module} imports {self.target}"


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def module_path(name: str) -> Path:
    return modules()[name]


def _targets(module: str, node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if not module_path(module).name == "__init__.py":
                package.pop()
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, *([base] if base else [])])
        yield base
        for alias in node.names:  # `from charter.x import _y` names a module
            if f"{base}.{alias.name}" in modules():
                yield f"{base}.{alias.name}"


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(module: str, node: ast.AST, typing_only: bool) -> Iterator[Import]:
    for target in _targets(module, node):
        yield Import(module, target, getattr(node, "lineno", 0), typing_only)
    guarded = typing_only or _is_type_checking(node)
    for child in ast.iter_child_nodes(node):
        in_else = isinstance(node, ast.If) and child in node.orelse
        yield from _walk(module, child, typing_only if in_else else guarded)


@cache
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found += _walk(module, tree, typing_only=False)
    return tuple(found)


def package_of(module: str) -> str:
    """The top package below ``charter`` (``""`` for ``charter`` itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def internal() -> list[Import]:
    return [i for i in imports() if i.target.split(".")[0] == "charter"]


def private_home(target: str) -> str | None:
    """The package a private module belongs to, or None for a public one."""
    parts = target.split(".")
    for index, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:index])
    return None


def test_pure_packages_import_no_framework() -> None:
    offending = [
        f"{i} (a framework, in the pure package {package_of(i.module)})"
        for i in imports()
        if package_of(i.module) in PURE and i.target.split(".")[0] in FRAMEWORKS
    ]
    assert offending == [], "\n".join(offending)


def test_every_package_has_a_layer() -> None:
    packages = {package_of(module) for module in modules()}
    assert packages <= LAYERS.keys(), f"give these a layer: {sorted(packages - LAYERS.keys())}"


def test_imports_point_down_the_layers() -> None:
    offending = []
    for i in internal():
        source, target = package_of(i.module), package_of(i.target)
        pair = {source, target}
        if i.typing_only or source == target or pair <= PURE or pair <= BASE:
            continue
        if (source, i.target) in SIDEWAYS:
            continue
        if LAYERS.get(target, 0) >= LAYERS.get(source, 0):
            offending.append(f"{i} ({source} may not import {target}: not a lower layer)")
    assert offending == [], "\n".join(offending)


def test_no_package_imports_another_packages_private_module() -> None:
    offending = [
        f"{i} (a private module of {home}: make what is shared public there)"
        for i in internal()
        if (home := private_home(i.target)) is not None
        and not (i.module == home or i.module.startswith(f"{home}."))
    ]
    assert offending == [], "\n".join(offending)


SQL_CALLS = frozenset({"execute", "scalars", "scalar", "query", "get"})


def test_sql_lives_in_the_store() -> None:
    """Services name what they want from a repository in ``charter.store`` and own the
    transaction; no query is built or run anywhere else (a ``Session`` named only for
    annotations, under ``TYPE_CHECKING``, is not a query)."""
    offending = [
        f"{i} (SQL belongs in charter.store)"
        for i in imports()
        if package_of(i.module) not in ("store", "") and not i.typing_only
        and i.target.split(".")[0] in ("sqlalchemy", "psycopg", "alembic")
        and package_of(i.module) != "reference"
    ]  # fmt: skip
    for module, path in modules().items():
        if package_of(module) != "services":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_CALLS and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "session"):  # fmt: skip
                rel = path.relative_to(SRC.parent)
                offending.append(f"{rel}:{node.lineno}: session.{node.func.attr}(...) in a service")
    assert offending == [], "\n".join(offending)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _is_package_face(component: list[str]) -> bool:
    """A package's ``__init__`` re-exporting its own modules, which import each other
    through it: the loop stays inside one package's public face."""
    face = min(component, key=len)
    return all(member == face or member.startswith(f"{face}.") for member in component)


def test_no_import_cycles() -> None:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for i in internal():
        if i.target in known and i.target != i.module:
            graph[i.module].add(i.target)
    loops = [" <-> ".join(c) for c in _cycles(graph) if not _is_package_face(c)]
    assert loops == [], "modules that import each other:\n" + "\n".join(loops)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_cycle_finder_finds_loops_and_only_loops(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert _cycles(graph) == expected


def test_a_private_module_is_known_by_its_first_private_part() -> None:
    assert private_home("charter.publish._axis") == "charter.publish"
    assert private_home("charter.services.dashboard._read") == "charter.services.dashboard"
    assert private_home("charter.publish.svg") is None


TESTS = Path(__file__).parent
# A test file is named after what it reaches: a package (test_<package>_<topic>.py), an API
# router (test_api_<router>.py), a command (test_cli_<command>.py), a page
# (test_pages_<page>.py), or the project as a whole (test_charter_<topic>.py).
TEST_KINDS = frozenset({"api", "cli", "pages", "charter"})


def test_test_files_follow_one_naming_scheme() -> None:
    packages = {path.name for path in SRC.iterdir() if (path / "__init__.py").exists()}
    pattern = re.compile(rf"test_({'|'.join(sorted(packages | TEST_KINDS))})_[a-z0-9_]+\.py")
    strays = [path.name for path in TESTS.glob("test_*.py") if not pattern.fullmatch(path.name)]
    assert strays == []


def test_no_test_file_imports_another() -> None:
    """What tests share lives in tests/support, never in another test file."""
    found = []
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [f"{path.name}:{node.lineno}: {name}" for name in names
                      if name.startswith("test_")]  # fmt: skip
    assert found == []
