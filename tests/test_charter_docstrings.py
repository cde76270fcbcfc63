"""The examples in the public API's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import charter

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(charter.__path__, "charter.")
    if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_the_public_modules_carry_examples() -> None:
    documented = {
        name
        for name in MODULES
        if doctest.DocTestFinder().find(importlib.import_module(name))
        and any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name)))
    }
    for name in (
        "charter.hours",
        "charter.policy.lint",
        "charter.policy.diff",
        "charter.policy.loader",
        "charter.policy.units",
        "charter.policy.clock",
    ):
        assert name in documented, name
