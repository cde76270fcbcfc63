"""``GET /api/kpis``: the stored tickets' KPIs against the published policy's targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from charter.services.kpi_report import kpi_report
from charter.web.deps import CurrentUser, DatabaseDep
from charter.web.schemas.results import KpiReportPublic

router = APIRouter(tags=["kpis"])


@router.get("/kpis", responses={409: {"description": "No published policy or no tickets."}})
def read_kpis(
    database: DatabaseDep,
    _user: CurrentUser,
    period: Annotated[
        Literal["day", "week", "month"] | None,
        Query(description="Period of the figures (default: the policy's KPI period)."),
    ] = None,
    by: Annotated[
        Literal["channel", "priority", "segment", "team"] | None,
        Query(
            description="Break the figures down; segment is refused (422): the "
            "aggregates the figures are read from are kept per channel, priority and team."
        ),
    ] = None,
    now: Annotated[
        dt.datetime | None,
        Query(
            description="The aggregates' instant, the last refresh (the default and the "
            "answer's now); another instant is refused (422)."
        ),
    ] = None,
) -> KpiReportPublic:
    """Every KPI per period (and group), and each KPI target of the policy against it,
    read from the dashboard's aggregates: the dashboard's figures (docs/kpis.md)."""
    report = kpi_report(database, period=period, by=by, now=now)
    # Built without copying or validating the rows again: a year per day and team is
    # tens of thousands of rows, and the service's types are already the schema's.
    return KpiReportPublic.model_construct(
        **{f.name: getattr(report, f.name) for f in fields(report)}
    )
