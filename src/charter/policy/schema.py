"""The whole policy document: one typed value every surface reads from.

>>> from charter.policy import load_policy_text
>>> policy = load_policy_text("organisation: {name: Acme, mission: Delight}").policy
>>> policy.organisation.name
'Acme'
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from charter.policy._base import Model
from charter.policy.calendar import Calendar, ContactPoint
from charter.policy.commitments import DeliveryPromise
from charter.policy.complaints import Complaints
from charter.policy.organisation import Goal, Organisation, Principle, Vision
from charter.policy.people import Competitors, Kpis, Review, Staff, Training
from charter.policy.returns import Returns
from charter.policy.service_level import EscalationLevel, ServiceLevels
from charter.policy.surveys import Surveys


class Policy(Model):
    """A customer service policy."""

    charter: Literal[1] = Field(1, description="Version of this document format; always 1.")
    organisation: Organisation = Field(description="Who the business is.")
    vision: Vision | None = Field(None, description="Vision statement and its five reasons.")
    goals: list[Goal] = Field(default_factory=list, description="Goals tied to the mission.")
    principles: list[Principle] = Field(default_factory=list, description="Service principles.")
    calendars: list[Calendar] = Field(
        default_factory=list, description="Named opening hours, used as clocks."
    )
    contact_points: list[ContactPoint] = Field(
        default_factory=list, description="How customers reach the business."
    )
    service_levels: ServiceLevels = Field(
        default_factory=ServiceLevels, description="Response and resolution promises."
    )
    escalation: list[EscalationLevel] = Field(
        default_factory=list, description="The escalation chain."
    )
    delivery: list[DeliveryPromise] = Field(
        default_factory=list, description="Delivery times per region and method."
    )
    returns: Returns | None = Field(None, description="Returns and refunds.")
    complaints: Complaints | None = Field(None, description="Complaint handling.")
    surveys: Surveys | None = Field(None, description="The survey sent after a ticket is solved.")
    staff: Staff | None = Field(None, description="Staff roles and courtesy standards.")
    kpis: Kpis | None = Field(None, description="KPI targets.")
    review: Review | None = Field(None, description="Review cadence.")
    training: Training | None = Field(
        None, description="Acknowledgments, quizzes and their deadlines."
    )
    competitors: Competitors | None = Field(None, description="Competitor benchmarks.")

    def calendar(self, calendar_id: str) -> Calendar | None:
        """The calendar with this id, or None (also for the 24x7 clock)."""
        return next((c for c in self.calendars if c.id == calendar_id), None)
