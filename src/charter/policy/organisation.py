"""Who the business is and where it is going: organisation, vision, goals, principles."""

from __future__ import annotations

from pydantic import Field

from charter.policy._base import Clause, Model
from charter.policy.links import HttpLink
from charter.policy.units import Id


class Organisation(Model):
    """The business the policy belongs to."""

    id: Id = Field("organisation", description="Stable id of this section.")
    name: str = Field(min_length=1, description="Name shown to customers.")
    mission: str = Field(min_length=1, description="The mission every goal serves.")
    website: HttpLink | None = Field(
        None,
        description="Public web address, http:// or https:// only (written without a "
        "scheme, it is read as https://).",
    )
    language: str = Field(
        "en", description="Language of published pages, as a BCP 47 tag such as en-GB."
    )


class Vision(Model):
    """Where the business will be in five years and why customers will love it."""

    id: Id = Field("vision", description="Stable id of this section.")
    statement: str = Field(min_length=1, description="The vision in one or two sentences.")
    reasons: list[Clause] = Field(
        default_factory=list,
        description="The five reasons the business will succeed in five years.",
    )
    why_customers_love_us: str | None = Field(
        None, description="Why customers choose and stay with the business."
    )


class Goal(Model):
    """A goal of the service, tied to the mission and measured where it can be."""

    id: Id = Field(description="Stable id of the goal.")
    text: str = Field(min_length=1, description="The goal in plain words.")
    mission_link: str | None = Field(
        None, description="How this goal serves the organisation's mission."
    )
    kpi: Id | None = Field(None, description="Id of the KPI target that measures this goal.")


class Principle(Model):
    """A principle staff follow when the rules do not decide."""

    id: Id = Field(description="Stable id of the principle.")
    title: str = Field(min_length=1, description="Short name of the principle.")
    text: str = Field(min_length=1, description="What the principle asks of staff.")
