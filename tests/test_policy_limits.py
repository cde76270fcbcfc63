"""Policy text cannot tie up the server: size and nesting are limited before parsing,
and a stored version is parsed once however often it is viewed or compared."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from charter.errors import InvalidInput, PolicyError
from charter.policy import load_policy_bytes, load_policy_text, loader, yaml_reader
from charter.policy.cache import clear
from charter.services.lifecycle import create_policy, diff_versions, edit_draft, new_draft
from charter.store import Database
from support import EXAMPLE_TEXT
from support.api import POLICIES, signed_in
from support.lifecycle import policy_text, staff

LIMIT = 256_000  # bytes, as docs/policy-editor.md states
DEPTH = 64


def only_diagnostic(text: str) -> Any:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    assert len(caught.value.diagnostics) == 1, caught.value
    assert "alias" not in str(caught.value)
    return caught.value.diagnostics[0]


# Nesting -------------------------------------------------------------------------------

# The 65th level opens at: line, column (from 1), worked out by hand from the text.
DEEP = [
    pytest.param("[" * 100_000, 1, 65, id="flow list: the 65th bracket"),
    pytest.param("{a: " * 100 + "1" + "}" * 100, 1, 4 * 64 + 1, id="flow mappings"),
    pytest.param(
        "".join("  " * n + f"k{n}:\n" for n in range(100)), 65, 2 * 64 + 1, id="block keys"
    ),
    pytest.param("- " * 100 + "x\n", 1, 2 * 64 + 1, id="block sequence entries"),
    pytest.param(
        "top:\n" + "".join("  " * n + f"- k{n}:\n" for n in range(100)),
        33,  # top is level 1; each line opens a sequence and a mapping: 1 + 2 * 32
        2 * 32 + 1,
        id="sequences at their keys' indent",
    ),
    pytest.param(
        "".join("  " * n + f"k{n}:\n" for n in range(40)) + "  " * 40 + "v: " + "[" * 30,
        41,
        2 * 40 + 3 + 24,  # 41 block levels, then the 24th bracket is the 65th level
        id="block then flow",
    ),
]


@pytest.mark.parametrize("text, line, column", DEEP)
def test_nesting_deeper_than_the_limit_is_refused_at_its_line_and_column(
    text: str, line: int, column: int
) -> None:
    found = only_diagnostic(text)
    assert (found.code, found.line, found.column) == ("P106", line, column)
    assert found.message == (f"nesting deeper than {DEPTH} levels at line {line}, column {column}")


def test_nesting_of_exactly_the_limit_is_not_refused_for_its_depth() -> None:
    text = "[" * DEPTH + "]" * DEPTH
    with pytest.raises(PolicyError) as caught:  # a list is not a policy, but it parses
        load_policy_text(text, "p.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["P103"]


def test_brackets_in_comments_quotes_and_block_text_are_not_nesting() -> None:
    brackets = "[" * 100
    text = (
        EXAMPLE_TEXT.replace(
            "  mission: Make a well-kept", f"  # {brackets}\n  mission: Make {brackets} a well-kept"
        )
        .replace("    because buying from us", f"    {brackets}\n    because buying from us")
        .replace(
            "      text: A curated range that fits every budget.",
            f"      text: '{brackets}''s range'",
        )
    )
    policy = load_policy_text(text).policy
    assert policy.organisation.mission.startswith(f"Make {brackets} a well-kept")
    assert policy.vision is not None and brackets in policy.vision.statement
    assert policy.vision.reasons[0].text == f"{brackets}'s range"


def test_a_recursion_the_scan_misses_is_called_too_deep_not_an_alias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_reader, "check_limits", lambda text, file: None)
    found = only_diagnostic("[" * 20_000)
    assert "nested too deeply" in found.message


def test_an_alias_inside_itself_is_still_named_as_such() -> None:
    with pytest.raises(PolicyError, match="an alias refers to itself"):
        load_policy_text("a: &a [1, *a]\n", "p.yaml")


# Size ----------------------------------------------------------------------------------


def test_a_text_over_the_limit_is_refused_with_its_size_and_the_limit() -> None:
    text = "organisation: {name: Acme, mission: Delight}\n# " + "x" * 2_000_000 + "\n"
    size = len(text.encode("utf-8"))
    found = only_diagnostic(text)
    assert found.code == "P105"
    assert found.message == f"the text is {size:,} bytes, more than the {LIMIT:,} a policy may be"
    filled = EXAMPLE_TEXT + "# " + "x" * (LIMIT - len(EXAMPLE_TEXT.encode("utf-8")) - 3) + "\n"
    assert len(filled.encode("utf-8")) == LIMIT
    assert load_policy_text(filled).policy.organisation.name == "Larkfield Home"


def test_the_limit_counts_bytes_not_characters() -> None:
    text = "organisation: {name: Acme, mission: Delight}\n# " + "é" * 150_000 + "\n"
    assert len(text) < LIMIT < len(text.encode("utf-8"))
    assert only_diagnostic(text).code == "P105"
    with pytest.raises(PolicyError, match=f"more than the {LIMIT:,}"):
        load_policy_bytes(text.encode("utf-8"), "p.yaml")


def test_the_service_refuses_a_text_over_the_limit_saying_so(database: Database) -> None:
    ada = staff(database)
    create_policy(database, slug="acme", name="Acme", text=policy_text(), actor=ada)
    big = policy_text() + "# " + "é" * 150_000 + "\n"
    with pytest.raises(InvalidInput) as caught:
        edit_draft(database, "acme", 1, ada, text=big)
    size = len(big.encode("utf-8"))
    assert str(caught.value) == (
        f"text: the text is {size:,} bytes, more than the {LIMIT:,} a policy may be"
    )
    assert caught.value.details[0]["field"] == "text"


def test_the_api_refuses_a_two_megabyte_text_without_echoing_it(
    client: TestClient, database: Database
) -> None:
    ada = signed_in(database, "manager")
    body = {"slug": "acme", "name": "Acme", "text": "a" * 2_000_000, "change_summary": "v1"}
    response = client.post(POLICIES, json=body, headers=ada)
    assert response.status_code == 422, response.status_code
    assert f"at most {LIMIT} characters" in response.json()["error"]["message"]
    assert len(response.content) < 10_000
    assert client.get(f"{POLICIES}/acme", headers=ada).status_code == 404


# Parsed once per text ------------------------------------------------------------------


def test_a_stored_version_is_parsed_once_however_often_it_is_compared(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = staff(database)
    create_policy(database, slug="acme", name="Acme", text=policy_text(), actor=ada)
    new_draft(database, "acme", ada, based_on=1)
    clear()
    parsed: list[str] = []

    def counting(text: str, file: str) -> Any:
        parsed.append(file)
        return yaml_reader.parse(text, file)

    monkeypatch.setattr(loader, "parse", counting)
    for _ in range(3):
        assert diff_versions(database, "acme", 2, 1).summary.total == 0
    assert sorted(parsed) == ["acme version 1", "acme version 2"]
    edit_draft(database, "acme", 2, ada, text=policy_text("2h"))
    assert diff_versions(database, "acme", 2, 1).summary.total == 1  # the new text, not a stale one
    assert diff_versions(database, "acme", 2, 1).summary.total == 1
    assert sorted(parsed) == ["acme version 1", "acme version 2", "acme version 2"]
