"""Base classes of the policy schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from charter.policy.units import Id


class Model(BaseModel):
    """A part of the policy: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


class Clause(Model):
    """A numbered piece of text that can be cited by its id."""

    id: Id = Field(description="Stable id, cited by the handbook, decisions and diffs.")
    text: str = Field(min_length=1, description="The clause in plain words.")
