"""Staff roles and courtesy, KPI targets, the review cadence, competitor benchmarks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from charter.policy._base import Clause, Model
from charter.policy.service_level import Metric
from charter.policy.units import Duration, DurationField, Id, ShareField, parse_share

_ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")


class Role(Model):
    """A staff role and what it is responsible for."""

    id: Id = Field(description="Stable id of the role (agent, team-lead).")
    name: str = Field(min_length=1, description="Name of the role.")
    responsibilities: list[str] = Field(
        default_factory=list, description="What people in the role do."
    )
    email: str | None = Field(
        None,
        exclude_if=lambda value: value is None,
        description="Address e-mail to the role goes to (a shared mailbox): escalation "
        "levels that notify the role are sent there.",
    )

    @field_validator("email")
    @classmethod
    def _one_address(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > 254 or not _ADDRESS.fullmatch(value)):
            raise ValueError(f"{value!r} is not one e-mail address; write name@example.com")
        return value


class Staff(Model):
    """Staff roles and the courtesy standards every contact meets."""

    id: Id = Field("staff", description="Stable id of this section.")
    roles: list[Role] = Field(default_factory=list, description="Roles of the service team.")
    courtesy: list[Clause] = Field(
        default_factory=list, description="Courtesy standards (greeting, names, tone)."
    )

    def address_of(self, role: str) -> str | None:
        """The e-mail address of the role ``role``; None when no role has that id or it
        has no address."""
        return next((r.email for r in self.roles if r.id == role and r.email), None)


KpiKind = Literal["duration", "share", "score", "count"]
MEASURABLE_KPIS: dict[str, KpiKind] = {
    "first_response_time": "duration",
    "resolution_time": "duration",
    "sla_compliance": "share",
    "csat": "share",
    "first_contact_resolution": "share",
    "nps": "score",
    "backlog": "count",
    "volume": "count",
}
KPI_HINTS: dict[KpiKind, str] = {
    "duration": "a duration such as 2h",
    "share": "a percentage such as 90%",
    "score": "a number from -100 to 100",
    "count": "a whole number",
}


def _scalar(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("expected one value; write a duration (2h), a share (90%) or a number")
    return value


class KpiTarget(Model):
    """A KPI with its target value, the statistic and the clock it is measured on."""

    id: Id = Field(description="Stable id of the KPI target.")
    name: str | None = Field(None, description="Name shown on the dashboard.")
    metric: str = Field(description="What is measured: " + ", ".join(MEASURABLE_KPIS) + ".")
    statistic: Literal["median", "p90", "mean"] = Field(
        "median", description="Statistic for durations (median, p90, mean)."
    )
    clock: Literal["business", "calendar"] = Field(
        "business", description="Whether durations count business or calendar time."
    )
    target: Annotated[str | float, BeforeValidator(_scalar)] = Field(
        description="Target value: a duration (2h), a share (90%), a score or a count."
    )
    direction: Literal["at_most", "at_least"] = Field(
        description="at_most for times and backlog, at_least for CSAT, NPS, compliance."
    )
    sla_metric: Metric | None = Field(
        None, description="For sla_compliance: the service-level metric it counts."
    )

    @field_validator("target")
    @classmethod
    def _target_fits_metric(cls, value: str | float, info: ValidationInfo) -> str | float:
        kind = MEASURABLE_KPIS.get(str(info.data.get("metric")))
        if kind is None:
            return value
        try:
            kpi_value(kind, value)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"{info.data.get('metric')} needs {KPI_HINTS[kind]}: {error}"
            ) from None
        return value

    def value(self) -> float:
        """The target as a number: seconds, a share in 0-1, a score or a count."""
        kind = MEASURABLE_KPIS[self.metric]
        return kpi_value(kind, self.target)


def kpi_value(kind: KpiKind, raw: str | float) -> float:
    if kind == "duration":
        if not isinstance(raw, str):
            raise ValueError(f"{raw!r} has no unit")
        duration = Duration.parse(raw)
        if duration.working_days:
            raise ValueError("working days cannot be averaged; give hours")
        return float(duration.seconds)
    if kind == "share":
        return parse_share(raw)
    number = float(raw)
    if kind == "score" and not -100 <= number <= 100:
        raise ValueError(f"{raw!r} is outside -100..100")
    if kind == "count" and (number < 0 or not number.is_integer()):
        raise ValueError(f"{raw!r} is not a whole number")
    return number


class Kpis(Model):
    """KPI targets and when a miss becomes an alert."""

    id: Id = Field("kpis", description="Stable id of this section.")
    period: Literal["day", "week", "month"] = Field(
        "week", description="Period KPIs are compared with their targets over."
    )
    alert_after: int = Field(
        3, ge=1, description="Alert when a target is missed this many periods in a row."
    )
    targets: list[KpiTarget] = Field(default_factory=list, description="The KPI targets.")


class Review(Model):
    """When the policy is reviewed next, how often, and by whom."""

    id: Id = Field("review", description="Stable id of this section.")
    cadence_months: Literal[3, 6, 12] = Field(description="Months between reviews: 3, 6 or 12.")
    next_review: dt.date = Field(description="Date of the next review.")
    owner: Id = Field(description="Id of the staff role that owns the review.")
    warn_days: int = Field(30, ge=0, description="Days before the review to start reminding.")


def _working_days(value: Duration) -> Duration:
    if value.seconds or not value.working_days:
        raise ValueError(f"{value} is not whole working days; write e.g. 5wd")
    return value


class Training(Model):
    """How staff learn the policy: when they must acknowledge a version and pass its quiz,
    the reminders, and the quiz's pass mark."""

    id: Id = Field("training", description="Stable id of this section.")
    calendar: Id = Field(
        description="Calendar whose working days count the deadlines and whose opening "
        "hours reminders are sent in."
    )
    acknowledge_within: DurationField = Field(
        Duration(working_days=5),
        description="Staff acknowledge a version that asks them to within this many "
        "working days of its effective date (e.g. 5wd).",
    )
    new_staff_within: DurationField = Field(
        Duration(working_days=10),
        description="A new member of staff acknowledges the live version and passes its "
        "quiz within this many working days of their start date.",
    )
    remind_before: DurationField = Field(
        Duration(working_days=2),
        description="A reminder goes this many working days before the deadline, another "
        "at the deadline; once overdue, their manager is told.",
    )
    pass_mark: ShareField = Field(
        0.8, description="Share of a quiz's questions answered right to pass (e.g. 80%)."
    )
    questions: int = Field(10, ge=1, le=50, description="Questions in one quiz.")

    _whole_days = field_validator("acknowledge_within", "new_staff_within", "remind_before")(
        _working_days
    )


class Benchmark(Model):
    """What a competitor promises or achieves for a metric."""

    id: Id = Field(description="Stable id of the benchmark.")
    competitor: str = Field(min_length=1, description="Who the competitor is.")
    metric: Metric = Field(description="The service-level metric compared.")
    channel: Id | None = Field(None, description="Channel it applies to; absent means any.")
    value: DurationField = Field(description="Their promised or measured time.")
    source: str = Field(min_length=1, description="Where the figure comes from.")
    date: dt.date = Field(description="When the figure was taken.")


class Competitors(Model):
    """Competitor benchmarks, to keep promises ambitious but keepable."""

    id: Id = Field("competitors", description="Stable id of this section.")
    stricter_factor: float = Field(
        3.0,
        gt=1,
        description="Warn when a promise is stricter than every benchmark by more than "
        "this factor.",
    )
    benchmarks: list[Benchmark] = Field(default_factory=list, description="The benchmarks.")
