"""Server-rendered HTML pages; each module exposes a ``router``, listed in ``PAGES``."""

from fastapi import APIRouter

from charter.web.pages import auth

PAGES: list[APIRouter] = [auth.router]
