"""Regulator presets: complete example policies whose complaint procedure follows a code.

``housing-ombudsman``: the Housing Ombudsman's Complaint Handling Code (2024), two
stages in working days counted from the acknowledgment. ``fca-disp``: the FCA's
DISP 1.6, eight calendar weeks, or 15 business days (35 with a holding reply) for
payment services. ``charter init --preset NAME`` writes one; ``docs/complaints.md``
gives each rule and its source.

>>> sorted(PRESETS)
['fca-disp', 'housing-ombudsman']
>>> preset_text("housing-ombudsman").startswith("# Preset: a social landlord")
True
"""

from __future__ import annotations

from importlib import resources

from charter.errors import InvalidInput

PRESETS = {
    "housing-ombudsman": "a social landlord under the Housing Ombudsman's Complaint Handling Code",
    "fca-disp": "a payments and savings firm under the FCA's DISP 1.6 complaint time limits",
}


def preset_text(name: str) -> str:
    """The commented YAML of the preset ``name``; ``InvalidInput`` names the known ones."""
    if name not in PRESETS:
        known = ", ".join(sorted(PRESETS))
        raise InvalidInput(f"preset: {name!r} is not a preset; use one of: {known}")
    return resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8")
