"""The handbook as guidance: each clause reads as a sentence with its fields one click
away (a <details>, without JavaScript), and a change mark links to that change in the
diff."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from charter.store import Database
from support import edited_text
from support.browser import chromium, live_charter, sign_in
from support.handbook import block, publish_version, text_of
from support.pages import sign_in as sign_in_client
from support.seed import publish_example

REFUND = (
    "Items can be returned within 30 days of the last delivery of the order, free of "
    "charge; we refund within 5 working days to the original payment method."
)


def test_refund_story_the_handbook_reads_each_clause_as_a_sentence_with_its_fields_folded(
    client: TestClient, database: Database
) -> None:
    publish_example(database)
    sign_in_client(client, database, "agent")
    page = client.get("/handbook").text
    returns = block(page, "returns")
    # window_days 30 from the last delivery, fees free, refund 5wd to original_payment
    assert f'<p class="hb-sentence">{REFUND}</p>' in returns
    fields = re.search(r'<details class="hb-fields">(.*?)</details>', returns, re.S)
    assert fields, "the fields sit in a folded <details>"
    # (the colon after each label is drawn by the stylesheet)
    assert "Refund original payment, within 5 working days on calendar warehouse" in text_of(
        fields.group(1)
    )
    # A principle is running text already: shown as before, no sentence, no <details>.
    principle = block(page, "principles.principle-own-it")
    assert "hb-sentence" not in principle and "<details" not in principle
    assert "Whoever picks up a contact sees it through" in text_of(principle)
    # On paper the fields are open: a printed <details> would hide them.
    printed = block(client.get("/handbook/print").text, "returns")
    assert '<details class="hb-fields" open>' in printed


def test_changed_in_version_story_the_mark_links_to_that_change_in_the_diff(
    client: TestClient, database: Database
) -> None:
    def faster_email(data: Any) -> None:
        data["service_levels"]["rules"][4]["targets"]["first_response"]["within"] = "2h"

    seeded = publish_example(database)
    assert publish_version(database, seeded, edited_text(faster_email)) == 2
    sign_in_client(client, database, "agent")
    page = client.get("/handbook").text
    rule = "service_levels.rules.sl-email-high"
    # Version 2 changed sl-email-high; it was compared with version 1.
    link = f"/policies/larkfield/diff?from=1&amp;to=2#change-{rule}"
    assert f'<a class="hb-mark" href="{link}"' in block(page, rule)
    assert "changed in version 2" in text_of(block(page, rule))
    diff = client.get("/policies/larkfield/diff", params={"from": "1", "to": "2"})
    assert diff.status_code == 200
    # the row of that change carries the anchor, once
    assert diff.text.count(f'id="change-{rule}"') == 1
    row = diff.text.split(f'id="change-{rule}"')[1].split("</tr>")[0]
    assert "sl-email-high" in row


def test_refund_story_the_fields_open_with_one_click_without_javascript(tmp_path: Path) -> None:
    with live_charter(tmp_path, tickets=30) as live, chromium() as browser:
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        sign_in(page, live, "agent")
        page.goto(f"{live.url}/handbook#returns")
        returns = page.locator("section#returns")
        assert returns.locator(".hb-sentence").first.inner_text() == REFUND
        fields = returns.locator("details.hb-fields").first
        refund = fields.locator("dd", has_text="original payment")
        assert not refund.is_visible()
        fields.locator("summary").click()
        assert refund.is_visible()
        context.close()
