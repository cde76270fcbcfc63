"""`make demo` runs a CLI tour on the example policy; it must not fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent.parent / "scripts" / "demo.sh"


def test_demo_tour_runs_every_step_and_shows_the_answers(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        ["bash", str(SCRIPT), str(bin_dir)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout
    assert "due Sat 02 Jan 2027 11:00 GMT" in result.stdout
    assert "4 business hours → 2 business hours" in result.stdout
    assert (tmp_path / "demo-out" / "policy.yaml").exists()
    assert "This draft against the other" in result.stdout
    assert (tmp_path / "demo-out" / "backtest.html").read_text("utf-8").startswith("<!doctype")
