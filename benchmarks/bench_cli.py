"""How fast the command line starts, against Python importing Typer and Rich alone.

Each row is a fresh interpreter, run ``--runs`` times in turn with the others (so a
busy moment slows every row alike); the table shows the median and the ratio to the
reference row.

    python benchmarks/bench_cli.py [--runs 9]

Targets: ``charter --version`` within 3x the reference, ``charter validate`` of the
example policy within 4x.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from importlib import resources

from rich.console import Console
from rich.table import Table

console = Console(width=120)
REFERENCE = "python -c 'import typer, rich'"


def commands() -> dict[str, tuple[list[str], float | None]]:
    example = str(resources.files("charter.policy").joinpath("example.yaml"))
    charter = [sys.executable, "-m", "charter.cli"]
    return {
        REFERENCE: ([sys.executable, "-c", "import typer, rich.console, rich.table"], None),
        "charter --version": ([*charter, "--version"], 3.0),
        "charter validate example.yaml": ([*charter, "validate", example], 4.0),
        "charter --help (every command loaded)": ([*charter, "--help"], None),
    }


def timed(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    plan = commands()
    seconds: dict[str, list[float]] = {name: [] for name in plan}
    for command, _ in plan.values():
        timed(command)  # warm the file cache
    for _ in range(args.runs):
        for name, (command, _) in plan.items():
            seconds[name].append(timed(command))
    reference = statistics.median(seconds[REFERENCE])
    table = Table(title=f"Start-up, median of {args.runs} runs in turn")
    for column in ("command", "median s", "min s", "x reference", "target", "met"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for name, (_, target) in plan.items():
        median = statistics.median(seconds[name])
        ratio = median / reference
        table.add_row(
            name, f"{median:.3f}", f"{min(seconds[name]):.3f}", f"{ratio:.2f}",
            f"<= {target:g}x" if target else "", ("yes" if ratio <= target else "no")
            if target else "",
        )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
