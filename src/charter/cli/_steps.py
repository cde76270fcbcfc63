"""Progress for long work: named steps with a spinner on stderr, quiet when not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from charter.cli._output import err

T = TypeVar("T")


@contextmanager
def steps() -> Iterator[Callable[[str, Callable[[], T]], T]]:
    """``with steps() as step: data = step("reading tickets", read)``."""
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    )  # fmt: skip
    with progress:

        def step(description: str, work: Callable[[], T]) -> T:
            task = progress.add_task(description, total=None)
            try:
                return work()
            finally:
                progress.update(task, visible=False)

        yield step
