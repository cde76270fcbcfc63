"""The ``charter`` command line: a thin layer over the pure packages."""

from charter.cli.app import app, main

__all__ = ["app", "main"]
