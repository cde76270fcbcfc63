"""Each change of a diff is stronger, weaker or neutral for customers, in words and in
colour: on the diff page and in `charter diff` (docs/lifecycle.md)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from charter.cli.policy_commands import print_changes
from charter.policy import load_policy_text
from charter.policy.diff import Change, diff, effects
from charter.services.accounts import Principal, Role
from charter.services.lifecycle import create_policy, edit_draft, new_draft, transition
from charter.store import Database
from charter.web.app import create_app
from support.pages import csrf_of
from support.web import PASSWORD, make_settings, make_user


def policy_text(*, chat: str = "5m", email: str = "16h", window: int = 30,
                name: str = "Live chat", phone: bool = True) -> str:  # fmt: skip
    phone_point = (
        "  - {id: cp-phone, channel: phone, address: '+44 20 7946 0000', calendar: support}\n"
        if phone
        else ""
    )
    return f"""\
organisation: {{name: Acme, mission: Delight}}
calendars: [{{id: support, timezone: Europe/London, weekly: {{mon: ["09:00-17:00"]}}}}]
contact_points:
  - {{id: cp-chat, channel: chat, address: 'https://acme.example/chat', calendar: support}}
{phone_point}service_levels:
  rules:
    - id: sl-chat
      name: {name}
      when: {{channel: [chat]}}
      targets: {{first_response: {{within: {chat}, clock: support}}}}
    - id: sl-email
      when: {{channel: [email]}}
      targets: {{resolution: {{within: {email}, clock: support}}}}
returns:
  window_days: {window}
  refund: {{method: original_payment, within: 5wd, clock: support}}
"""


def changes(**new: object) -> dict[str, Change]:
    old = load_policy_text(policy_text()).policy
    after = load_policy_text(policy_text(**new)).policy  # type: ignore[arg-type]
    return {c.path: c for c in diff(old, after)}


@pytest.mark.parametrize(
    ("edit", "path", "effect"),
    [
        # Chat answered within 3 minutes instead of 5: customers wait less.
        ({"chat": "3m"}, "service_levels.rules[sl-chat].targets.first_response.within",
         "stronger"),
        # E-mail resolved within 24 working hours instead of 16: customers wait more.
        ({"email": "24h"}, "service_levels.rules[sl-email].targets.resolution.within",
         "weaker"),
        ({"window": 60}, "returns.window_days", "stronger"),  # 30 -> 60 days to return
        ({"window": 14}, "returns.window_days", "weaker"),  # 30 -> 14 days
        ({"phone": False}, "contact_points[cp-phone]", "weaker"),  # one channel fewer
        ({"name": "Chat"}, "service_levels.rules[sl-chat].name", "neutral"),  # wording
    ],
)  # fmt: skip
def test_story_diff_colours_each_change_is_stronger_weaker_or_neutral_for_customers(
    edit: dict[str, object], path: str, effect: str
) -> None:
    change = changes(**edit)[path]
    assert change.effect == effect
    assert change.effect_words == f"{effect} for customers"


def test_story_diff_colours_more_channels_is_stronger() -> None:
    # From a policy without the phone line to one with it: one more way to reach us.
    old = load_policy_text(policy_text(phone=False)).policy
    new = load_policy_text(policy_text()).policy
    [change] = diff(old, new)
    assert (change.path, change.effect) == ("contact_points[cp-phone]", "stronger")


def test_story_diff_colours_the_sentence_leaves_the_words_to_their_column() -> None:
    change = changes(chat="3m")["service_levels.rules[sl-chat].targets.first_response.within"]
    assert change.text.endswith("(stronger for customers)")
    assert change.sentence == "first response for chat: 5 business minutes → 3 business minutes"


def test_story_diff_colours_the_tally_counts_stronger_and_weaker() -> None:
    # Chat faster (stronger), e-mail slower and the window shorter (two weaker), a
    # rename (neutral, not counted).
    found = list(changes(chat="3m", email="24h", window=14, name="Chat").values())
    assert effects(found) == "for customers: 1 stronger, 2 weaker"


def test_story_diff_colours_charter_diff_lines_green_and_red_with_their_words() -> None:
    found = list(changes(chat="3m", window=14, name="Chat").values())
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, color_system="standard",
                       highlight=False, width=300)  # fmt: skip
    print_changes(found, terminal)
    lines = screen.getvalue().splitlines()
    # 2 major (chat, window) + 1 minor (the rename); then a line per change, in order.
    assert lines[0] == "2 major changes, 1 minor change (for customers: 1 stronger, 1 weaker)"
    by_words = {re.sub(r"\x1b\[[0-9;]*m", "", line): line for line in lines[1:]}
    chat = next(k for k in by_words if "first response for chat" in k)
    window = next(k for k in by_words if "returns window" in k)
    rename = next(k for k in by_words if "name of rule sl-chat" in k)
    assert by_words[chat].startswith("\x1b[32m")
    assert "(stronger for customers)" in chat
    assert by_words[window].startswith("\x1b[31m") and "(weaker for customers)" in window
    assert "\x1b[" not in by_words[rename]  # neutral: plain


@pytest.fixture
def client(database_url: str, database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url), database)) as browser:
        yield browser


def test_story_diff_colours_the_diff_page_rows_by_effect_in_words_too(
    client: TestClient, database: Database
) -> None:
    account = make_user(database, "manager")
    ada = Principal(account.id, account.email, account.name, Role.manager)
    create_policy(database, slug="acme", name="Acme", text=policy_text(), actor=ada,
                  change_summary="First")  # fmt: skip
    new_draft(database, "acme", ada, change_summary="Faster chat, shorter window")
    edit_draft(database, "acme", 2, ada, text=policy_text(chat="3m", window=14, name="Chat"))
    transition(database, "acme", 2, "submit", ada)
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"email": account.email, "password": PASSWORD,
                                "csrf_token": token})  # fmt: skip
    page = client.get("/policies/acme/diff", params={"from": 1, "to": 2}).text
    row = r'<tr class="change effect-(\w+)"[^>]*>\s*<td><span class="effect[^"]*">([^<]*)<'
    rows = re.findall(row, page)
    # In document order: the chat rule's rename (minor, neutral), its first response
    # (5 -> 3 minutes, stronger), the returns window (30 -> 14 days, weaker).
    assert rows == [
        ("neutral", "neutral for customers"),
        ("stronger", "stronger for customers"),
        ("weaker", "weaker for customers"),
    ]
    assert '<tr class="level-major">' not in page  # a stronger major change is not red
    assert "For customers: " in page and "1 stronger" in page and "1 weaker" in page
