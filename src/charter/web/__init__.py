"""The web app: JSON API under ``/api`` and server-rendered pages.

Build it with :func:`charter.web.app.create_app`; nothing here reads settings at
import time.
"""
