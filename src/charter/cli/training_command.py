"""``charter training``: the managers' training results, and the learning records.

``charter training results`` shows each person's standing (the version asked of them,
by when, acknowledged, quiz passed), each team's completion and the clauses people
answer wrong, filtered by team, role and state; ``--csv FILE`` writes the people as
CSV instead. ``charter training statements`` writes every acknowledgment, answer and
finished quiz as xAPI statements (JSON) for a learning record store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from charter import figures
from charter.cli._output import USAGE, err, fail, out, reporting
from charter.cli._store import opened_store, settings
from charter.errors import InvalidInput

if TYPE_CHECKING:
    from charter.services.training import Results

INSTANTS = ("deadline", "acknowledged", "quiz passed")  # columns kept on one line
training = typer.Typer(help="Staff training: the managers' results and the learning records.")

OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Write to this file instead of standard output.", dir_okay=False),
]


def register(app: typer.Typer) -> None:
    app.add_typer(training, name="training", no_args_is_help=True)


@training.command("statements")
def statements(out_file: OutOption = None) -> None:
    """Write the learning records as xAPI statements (a JSON list), oldest first.

    charter training statements --out statements.json

    Each acknowledgment (verb accept, the version as the activity), each answer (verb
    answered, the clause as the activity) and each finished quiz (passed or failed,
    with its score). Activity ids are addresses under CHARTER_BASE_URL.
    Exit codes: 0 written, 1 the database cannot be read or needs `charter db
    upgrade`, 2 CHARTER_BASE_URL is not set or the file cannot be written.
    """
    from charter.services.training import base_url_problem
    from charter.services.training import statements as learning_records

    base_url = settings().base_url
    problem = base_url_problem(base_url)
    if problem is not None:
        fail(problem, USAGE)
    with reporting(), opened_store() as database:
        found = learning_records(database, base_url)
    text = json.dumps(found, indent=2, ensure_ascii=False)
    _write(text + "\n", out_file)
    if out_file is not None:
        err.print(
            f"Wrote {figures.count(len(found))} statement{_s(len(found))} to "
            f"{escape(str(out_file))}."
        )


def _write(text: str, path: Path | None) -> None:
    if path is None:
        typer.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}", USAGE)


def _s(amount: int) -> str:
    return "" if amount == 1 else "s"


@training.command("results")
def results(
    team: Annotated[str | None, typer.Option(help="Only this team.")] = None,
    role: Annotated[str | None, typer.Option(help="Only this staff role of the policy.")] = None,
    state: Annotated[
        str | None, typer.Option(help="Only people in this state: done, due, overdue or none.")
    ] = None,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Write the people as CSV to this file ('-': standard "
            "output) instead of the tables.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Show who has acknowledged and passed the version asked of them, by team and clause.

    charter training results --team "UK care" --state overdue

    Three tables: the people (version asked, why, deadline, acknowledged, passed,
    quiz attempts and best score, state), each team's completion, and each clause's
    share of people who answered a question on it wrong. Instants are in UTC.
    Exit codes: 0 shown, 1 the database cannot be read or needs `charter db upgrade`,
    2 bad usage (an unknown state, a file that cannot be written).
    """
    from charter.services.training import results as read_results
    from charter.services.training import results_csv

    with reporting(), opened_store() as database:
        try:
            found = read_results(
                database, team=team or None, role=role or None, state=state or None
            )
        except InvalidInput as error:
            fail(str(error), USAGE)
    if csv_file is not None:
        text = results_csv(found)
        _write(text, None if str(csv_file) == "-" else csv_file)
        if str(csv_file) != "-":
            count = len(found.people)
            err.print(
                f"Wrote {figures.count(count)} {'person' if count == 1 else 'people'} "
                f"to {escape(str(csv_file))}."
            )
        return
    _tables(found)


def _tables(found: Results) -> None:
    if not found.people:
        out.print("No one matches these filters.")
        return
    people = Table(
        title=f"{figures.count(len(found.people))} "
        f"{'person' if len(found.people) == 1 else 'people'}",
        title_justify="left",
    )
    for heading in (
        "name",
        "team",
        "role",
        "version",
        "reason",
        "deadline",
        "acknowledged",
        "quiz passed",
        "attempts",
        "best score",
        "state",
    ):
        people.add_column(heading, overflow="fold", no_wrap=heading in INSTANTS)
    for p in found.people:
        people.add_row(
            escape(p.name),
            escape(p.team or figures.MISSING),
            escape(p.role or figures.MISSING),
            figures.MISSING if p.version is None else str(p.version),
            p.reason or figures.MISSING,
            figures.instant(p.deadline),
            figures.instant(p.acknowledged_at),
            figures.instant(p.passed_at),
            figures.count(p.attempts),
            figures.share(p.best_score),
            p.state,
        )
    out.print(people)
    teams = Table(title="Completion by team", title_justify="left")
    for heading in ("team", "people", "done", "overdue", "completion"):
        teams.add_column(heading)
    for t in found.teams:
        teams.add_row(
            escape(t.team or "(no team)"),
            figures.count(t.people),
            figures.count(t.done),
            figures.count(t.overdue),
            figures.share(t.completion),
        )
    out.print(teams)
    _clauses(found)


def _clauses(found: Results) -> None:
    if not found.clauses:
        out.print("No quiz answers yet.")
        return
    table = Table(title="Answered wrong, by clause", title_justify="left")
    for heading in ("clause", "heading", "people", "answered wrong", "share wrong"):
        table.add_column(heading, overflow="fold")
    for c in found.clauses:
        table.add_row(
            escape(c.clause_id),
            escape(c.heading),
            figures.count(c.people),
            figures.count(c.people_wrong),
            figures.share(c.share_wrong),
        )
    out.print(table)
