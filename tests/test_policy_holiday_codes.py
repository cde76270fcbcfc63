"""A calendar's country and subdivision are checked against the holidays package without
importing it: the codes are read from its source, and they are the codes the package
itself gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import holidays
import pytest
from holidays.registry import COUNTRIES, EntityLoader

from charter.policy.holiday_codes import country_codes, declared, subdivisions


@pytest.mark.parametrize("codes", [names[1:] for names in COUNTRIES.values()], ids=str)
def test_the_codes_read_from_the_source_are_the_packages_own(codes: tuple[str, ...]) -> None:
    for code in codes:
        assert subdivisions(code) == tuple(getattr(holidays, code).subdivisions)


def test_the_country_codes_read_from_the_source_are_the_packages_own() -> None:
    assert country_codes() == set(EntityLoader.get_country_codes(include_aliases=True))
    assert {"GB", "UK", "GBR", "US", "USA"} <= country_codes()


def test_a_class_that_computes_its_subdivisions_is_not_guessed(tmp_path: Path) -> None:
    source = tmp_path / "land.py"
    source.write_text("class Land:\n    subdivisions = tuple(sorted(PARTS))\n")
    assert declared(source, "Land") is None
    source.write_text("class Land:\n    name = 'x'\n")
    assert declared(source, "Land") == ()


def test_checking_a_country_and_subdivision_imports_no_holidays() -> None:
    code = (
        "import sys; from charter.policy import load_policy_text\n"
        "load_policy_text('organisation: {name: A, mission: M}\\n"
        'calendars: [{id: c, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]},'
        " holidays: {country: GB, subdivision: ENG}}]\\n')\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays')))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    assert shown.strip() == "[]"


def test_an_unknown_subdivision_is_refused_with_the_known_ones() -> None:
    from charter.errors import PolicyError
    from charter.policy import load_policy_text

    text = (
        "organisation: {name: A, mission: M}\n"
        'calendars: [{id: c, timezone: Europe/London, weekly: {mon: ["09:00-17:00"]},'
        " holidays: {country: GB, subdivision: ENGL}}]\n"
    )
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text)
    assert "'ENGL' is not a subdivision of GB, did you mean 'ENG'?" in str(caught.value)
    assert "ENG, NIR, SCT, WLS" in str(caught.value)
