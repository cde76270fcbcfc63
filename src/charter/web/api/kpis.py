"""``GET /api/kpis``: the stored tickets' KPIs against the published policy's targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from charter.services.results import kpi_report
from charter.web.deps import CurrentUser, DatabaseDep
from charter.web.schemas.results import KpiReportPublic

router = APIRouter(tags=["kpis"])


@router.get("/kpis", responses={409: {"description": "No published policy or no tickets."}})
def read_kpis(
    database: DatabaseDep,
    _user: CurrentUser,
    period: Annotated[Literal["day", "week", "month"] | None, Query()] = None,
    by: Annotated[Literal["channel", "priority", "segment", "team"] | None, Query()] = None,
    now: Annotated[
        dt.datetime | None, Query(description="Instant to measure at (default: latest data).")
    ] = None,
) -> KpiReportPublic:
    """Every KPI per period (and group), and each KPI target of the policy against it."""
    report = kpi_report(database, period=period, by=by, now=now)
    # Built without copying or validating the rows again: a year per day and team is
    # tens of thousands of rows, and the service's types are already the schema's.
    return KpiReportPublic.model_construct(
        **{f.name: getattr(report, f.name) for f in fields(report)}
    )
