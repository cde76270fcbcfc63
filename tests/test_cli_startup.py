"""The command line starts at once: a command imports what it uses when it runs.

Each check runs in a fresh interpreter, since this test process has long since
imported everything. ``charter publish`` writes the site and the PDF without the web
framework: the exports render in ``charter.publish``, not in the web app.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from charter import __version__
from charter.cli.app import COMMANDS
from charter.store import Database
from support.seed import publish_example

EXAMPLE_FILE = Path(__file__).parents[1] / "src" / "charter" / "policy" / "example.yaml"

HEAVY = ("scipy", "polars", "numpy", "fastapi", "starlette", "sqlalchemy", "alembic",
         "weasyprint", "uvicorn", "jinja2", "psycopg")  # fmt: skip
WEB = ("fastapi", "starlette", "uvicorn")
PROBE = """
import json, sys
from typer.testing import CliRunner
from charter.cli.app import app
args = json.loads(sys.argv[1])
output = CliRunner().invoke(app, args).output if args else ""
print(json.dumps({"heavy": sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY)),
                  "output": output}))
"""


def loaded_after(*args: str) -> dict[str, object]:
    """Which heavy packages are loaded after importing the CLI and running ``args``."""
    code = f"HEAVY = {HEAVY!r}\n{PROBE}"
    done = subprocess.run([sys.executable, "-c", code, json.dumps(list(args))],
                          capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_importing_the_command_line_loads_no_heavy_package() -> None:
    assert loaded_after()["heavy"] == []


def test_the_version_loads_no_heavy_package() -> None:
    found = loaded_after("--version")
    assert found["output"] == f"charter {__version__}\n"
    assert found["heavy"] == []


def test_validating_a_policy_loads_no_data_web_or_database_package() -> None:
    found = loaded_after("validate", str(EXAMPLE_FILE))
    assert str(found["output"]).startswith("valid ")
    assert found["heavy"] == []


def test_the_help_still_lists_every_command_with_its_summary() -> None:
    listed = str(loaded_after("--help")["output"])
    for name in COMMANDS:
        assert f"│ {name} " in listed, name
    assert "Check a policy against the schema" in listed  # validate's summary


def test_publishing_the_site_and_the_pdf_loads_no_web_framework(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "charter.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    publish_example(database)
    database.dispose()
    monkeypatch.setenv("CHARTER_DATABASE_URL", f"sqlite:///{path}")
    site, pdf = tmp_path / "site", tmp_path / "charter.pdf"
    found = loaded_after("publish", "--out", str(site), "--pdf", str(pdf))
    heavy = found["heavy"]
    assert isinstance(heavy, list) and (site / "index.html").is_file()
    assert pdf.read_bytes().startswith(b"%PDF") and "weasyprint" in heavy  # rendered there
    assert not set(WEB) & set(heavy), found["output"]
