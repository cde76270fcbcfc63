"""docs/configuration.md, generated from :class:`charter.config.Settings`.

``python -m charter.reference.settings > docs/configuration.md`` writes it; a test
fails when the committed file is stale, so every setting stays documented.
"""

from __future__ import annotations

import sys
from enum import Enum

from pydantic_core import PydanticUndefined

from charter.config import Settings

HEADER = """\
# Configuration

<!-- Generated from charter.config.Settings by `make docs`; do not edit by hand. -->

Charter reads its settings from environment variables named `CHARTER_<SETTING>` when a
command or the server starts (never at import time). A bad value stops the start with a
message naming the variable. Outside `development`, a missing or default
`CHARTER_SECRET_KEY` (or one shorter than 32 characters) refuses to start.

The database is chosen by `CHARTER_DATABASE_URL`: an SQLite file by default (embedded, no
server), PostgreSQL for a team (`postgresql+psycopg://user:password@host:5432/charter`).
Create or upgrade its schema with `charter db upgrade`; the server refuses a database
that needs it.

| variable | default | what it does |
| --- | --- | --- |
"""


def _default(value: object) -> str:
    if value is PydanticUndefined:
        return "(required)"
    if value is None:
        return "(none)"
    if isinstance(value, Enum):
        return f"`{value.value}`"
    return f"`{value}`"


def render() -> str:
    rows = [
        f"| `CHARTER_{name.upper()}` | {_default(field.default)} | {field.description} |"
        for name, field in Settings.model_fields.items()
    ]
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
