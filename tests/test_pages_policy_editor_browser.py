"""The policy editor in real Chromium: the draft's textarea becomes a code editor with line
numbers and YAML highlighting, loaded from the package's own static files; an error link
moves the editor's cursor to its line; without JavaScript the plain textarea and the
line anchors still work.

The story: a manager's draft of the demo policy (version 2) has one unknown section,
``not_a_section: 1``, added after the example text, so the text does not load."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from charter.services.accounts import Principal, find_user
from charter.services.lifecycle import edit_draft, new_draft
from charter.store import Database
from support import EXAMPLE_TEXT
from support.browser import Live, chromium, live_charter, sign_in

pytestmark = pytest.mark.browser

# The example text ends with a line end, so the blank line we add is line
# count("\n") + 1 and the unknown key sits on the line after it.
BAD_LINE = EXAMPLE_TEXT.count("\n") + 2
DRAFT = EXAMPLE_TEXT + "\nnot_a_section: 1\n"
CURSOR = ("(c => ({line: c.line, ch: c.ch}))"
          "(document.querySelector('.CodeMirror').CodeMirror.getCursor())")  # fmt: skip


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder: Path = tmp_path_factory.mktemp("editor")
    with live_charter(folder, tickets=30) as started:
        database = Database(f"sqlite:///{folder / 'charter.db'}")
        found = find_user(database, "manager@demo.example")
        manager = Principal(found.id, found.email, found.name, found.role, "cli")
        new_draft(database, "larkfield", manager, change_summary="A typo to find")
        edit_draft(database, "larkfield", 2, manager, text=DRAFT)
        database.dispose()
        yield started


def _refusals(page: Any) -> list[str]:
    said: list[str] = []
    page.on("console", lambda m: said.append(m.text) if "Content Security" in m.text else None)
    return said


def test_the_draft_opens_in_a_code_editor_and_an_error_link_moves_its_cursor(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_page()
        refused = _refusals(page)
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        sign_in(page, live, "manager")
        page.goto(f"{live.url}/policies/larkfield/versions/2")
        editor = page.locator("form.editor .CodeMirror")
        assert editor.is_visible()
        assert not page.locator("textarea#text").is_visible()  # the editor stands in for it
        # Line numbers in the gutter, and the YAML's keys highlighted as their own tokens.
        assert page.locator(".CodeMirror-linenumber", has_text="1").first.is_visible()
        assert page.locator(".CodeMirror .cm-atom", has_text="organisation").count() == 1
        link = page.get_by_role("link", name=f"Line {BAD_LINE}, column 1")
        assert link.get_attribute("href") == f"#L{BAD_LINE}"
        assert page.evaluate(CURSOR)["line"] == 0  # the editor opens at the top
        link.click()
        # CodeMirror counts lines from 0: line BAD_LINE is BAD_LINE - 1, column 1 is ch 0.
        assert page.evaluate(CURSOR) == {"line": BAD_LINE - 1, "ch": 0}
        # The editor writes back to the form: removing the bad line saves a text that loads.
        page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue("
                      f"{EXAMPLE_TEXT!r})")  # fmt: skip
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_load_state()
        assert "The draft was saved." in page.inner_text("main")
        assert page.locator("#problems").count() == 0
        assert not refused, refused
        # Nothing came from another site: every request went to this server.
        assert all(url.startswith(live.url) for url in requested), requested
        page.close()


def test_without_javascript_the_textarea_and_line_anchors_still_work(live: Live) -> None:
    with chromium() as browser:
        page = browser.new_page(java_script_enabled=False)
        sign_in(page, live, "manager")
        database_draft = f"{live.url}/policies/larkfield/versions/2"
        page.goto(database_draft)
        if page.locator("#problems").count() == 0:  # the other test fixed it first
            page.locator("textarea#text").fill(DRAFT)
            page.get_by_role("button", name="Save draft").click()
            page.wait_for_load_state()
        assert page.locator("textarea#text").is_visible()
        assert page.locator(".CodeMirror").count() == 0
        page.get_by_role("link", name=f"Line {BAD_LINE}, column 1").click()
        assert page.url.endswith(f"#L{BAD_LINE}")
        assert "not_a_section" in page.inner_text(f"#L{BAD_LINE}")
        page.close()
