"""scripts/screenshots.py takes a picture of every page: its list names each page route
the app serves, or says why it skips one (docs/screenshots.md). The script itself runs
by hand (`make screenshots`), never in the suite."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from charter.web.pages import PAGES as ROUTERS

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "screenshots.py"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots.md"


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def page_routes() -> set[str]:
    """Every GET route of the HTML pages that answers with a page, not a file."""
    found = set()
    for router in ROUTERS:
        for route in router.routes:
            path, methods = getattr(route, "path", ""), getattr(route, "methods", set())
            if "GET" in methods and not path.endswith((".csv", ".pdf")):
                found.add(path)
    return found


def test_story_screenshots_the_script_covers_every_page_route() -> None:
    shots = script()
    covered = {page.route for page in shots.PAGES} | set(shots.SKIPPED)
    missing = sorted(page_routes() - covered)
    assert missing == [], f"add these routes to PAGES (or SKIPPED, with why) in {SCRIPT.name}"
    stale = sorted(covered - page_routes())
    assert stale == [], "PAGES or SKIPPED name routes the app no longer serves"


def test_story_screenshots_each_picture_has_one_name_and_is_listed_in_the_docs() -> None:
    names = [page.name for page in script().PAGES]
    assert len(names) == len(set(names))
    listed = DOCS.read_text("utf-8")
    for name in [*names, "charter-pdf"]:
        assert f"images/pages/{name}.png" in listed, name
