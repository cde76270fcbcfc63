"""Server-rendered HTML pages; each public module exposes a ``router``.

``PAGES`` holds the router of every page module in this package (``_``-prefixed
modules are shared helpers), so a new page module is served without editing a list.
"""

from importlib import import_module
from pkgutil import iter_modules

from fastapi import APIRouter


def _routers() -> list[APIRouter]:
    found = []
    for module in sorted(iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            found.append(import_module(f"{__name__}.{module.name}").router)
    return found


PAGES: list[APIRouter] = _routers()
