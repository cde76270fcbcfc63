"""The JSON API: one router per resource, all mounted under ``/api``."""

from __future__ import annotations

from fastapi import APIRouter

from charter.web.api import (
    backtests,
    complaints,
    decisions,
    feedback,
    health,
    hooks,
    imports,
    kpis,
    outbox,
    policies,
    review,
    session,
    tickets,
    tokens,
    training,
    training_team,
    users,
    whatif,
)

ROUTERS: list[APIRouter] = [
    health.router,
    hooks.router,
    session.router,
    users.router,
    tokens.router,
    imports.router,
    tickets.router,
    kpis.router,
    backtests.router,
    policies.router,
    outbox.router,
    review.router,
    feedback.router,
    training.router,
    training_team.router,
    whatif.router,
    decisions.router,
    complaints.router,
]
