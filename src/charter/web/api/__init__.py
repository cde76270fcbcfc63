"""The JSON API: one router per resource, all mounted under ``/api``."""

from __future__ import annotations

from fastapi import APIRouter

from charter.web.api import health

ROUTERS: list[APIRouter] = [health.router]
