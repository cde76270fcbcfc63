"""How a deadline's days are counted: the conventions regulators and policies differ on.

Each convention is a typed setting with a documented default; ``docs/complaints.md``
lists them with the rule each regulator uses. The complaints section holds a
policy-wide ``counting:`` and each stage may override some of its settings.

>>> Counting().anchor_day
'day_0'
>>> base = Counting(cutoff="17:00")
>>> merged(base, Counting(ends_at="close_of_business")).cutoff
'17:00'
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from charter.policy._base import Model

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Counting(Model):
    """The counting conventions of a deadline (defaults follow EU Regulation 1182/71)."""

    anchor_day: Literal["day_0", "day_1"] = Field(
        "day_0",
        description=(
            "Whether the day of receipt (or of the anchor) is day 0 and not counted "
            "(day_0, the default: FCA Glossary, EU 1182/71 art. 3(1)) or is day 1."
        ),
    )
    closed_day_receipt: Literal["next_working_day", "same_day"] = Field(
        "next_working_day",
        description=(
            "A receipt on a non-working day counts from the next working day "
            "(next_working_day, the default) or from its own day (same_day)."
        ),
    )
    cutoff: str | None = Field(
        None,
        description=(
            "Local time (HH:MM) after which a receipt counts from the next working day "
            "(FCA DISP 1.5.3G: after close of business); none by default."
        ),
    )
    ends_at: Literal["end_of_day", "close_of_business"] = Field(
        "end_of_day",
        description=(
            "A deadline ends at the end of its day, 23:59:59 local (end_of_day, the default), "
            "or at the calendar's closing time that day (close_of_business)."
        ),
    )
    closed_day_end: Literal["next_working_day", "stays"] = Field(
        "next_working_day",
        description=(
            "A period in days ending on a non-working day moves to the next working day "
            "(next_working_day, the default: EU 1182/71 art. 3(4)) or stays."
        ),
    )
    weeks_move: bool = Field(
        False,
        description=(
            "Whether a period in weeks ending on a non-working day moves too; by default "
            "(false) weeks are calendar time and do not move."
        ),
    )
    extensions: bool = Field(
        False, description="Whether a deadline may be extended; not by default."
    )
    extension_cap: int | None = Field(
        None,
        ge=1,
        description="Most working days all extensions of a deadline add; no cap by default.",
    )
    extension_reason: bool = Field(
        True, description="Whether each extension needs a written reason; yes by default."
    )

    @field_validator("cutoff")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        if value is not None and not _HH_MM.match(value):
            raise ValueError(f"{value!r} is not a time; write HH:MM in 24-hour time, e.g. 17:00")
        return value

    @model_validator(mode="after")
    def _cap_needs_extensions(self) -> Counting:
        if self.extension_cap is not None and not self.extensions:
            raise ValueError(
                "extension_cap is set but extensions is false; set extensions: true or drop the cap"
            )
        return self


def merged(base: Counting | None, override: Counting | None) -> Counting:
    """``base`` with the settings ``override`` writes out replacing its own."""
    result = base if base is not None else Counting()
    if override is None:
        return result
    update = {name: getattr(override, name) for name in override.model_fields_set}
    return Counting.model_validate({**result.model_dump(), **update})
