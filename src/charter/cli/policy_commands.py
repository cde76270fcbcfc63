"""``charter init | validate | lint | diff``: write, check and compare policies."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from charter.cli._output import (
    FINDINGS,
    OK,
    USAGE,
    Format,
    fail,
    out,
    print_diagnostics,
    print_json,
    reporting,
)
from charter.policy import load_policy

if TYPE_CHECKING:
    from rich.console import Console

    from charter.policy.diff import Change

PolicyPath = Annotated[Path, typer.Argument(help="Policy YAML file.", show_default=False)]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


_RANK = {"info": 1, "warning": 2, "error": 3}


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("validate")(validate)
    app.command("lint")(lint_command)
    app.command("diff")(diff_command)


def example_policy_text() -> str:
    """The commented example policy ``charter init`` writes."""
    return resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")


def init(
    path: Annotated[Path, typer.Argument(help="Where to write the policy.")] = Path("policy.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="Start from a regulator preset instead: housing-ombudsman (the Housing "
            "Ombudsman's Complaint Handling Code) or fca-disp (FCA DISP 1.6).",
        ),
    ] = None,
) -> None:
    """Write a complete, commented example policy to start from."""
    from charter.policy.presets import PRESETS, preset_text

    if preset is not None and preset not in PRESETS:
        fail(f"--preset: {preset!r} is not a preset; use one of: {', '.join(PRESETS)}", USAGE)
    if path.exists() and not force:
        fail(f"{path} already exists; choose another path or add --force to overwrite it", USAGE)
    text = preset_text(preset) if preset else example_policy_text()
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror}", USAGE)
    what = PRESETS[preset] if preset else "a mid-size online shop"
    out.print(f"Wrote {escape(str(path))}: an example policy of {escape(what)}.")
    out.print(f"Next: edit it, then run `charter validate {path}` and `charter lint {path}`.")


def validate(policy: PolicyPath, fmt: FormatOption = Format.text) -> None:
    """Check a policy against the schema; report every error with its line."""
    with reporting(fmt):
        loaded = load_policy(policy)
    p = loaded.policy
    counts = {
        "calendars": len(p.calendars),
        "contact_points": len(p.contact_points),
        "rules": len(p.service_levels.rules),
        "kpi_targets": len(p.kpis.targets) if p.kpis else 0,
    }
    if fmt is Format.json:
        print_json({"ok": True, "file": str(policy), "counts": counts})
        return
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
    out.print(f"[green]valid[/green] {escape(str(policy))}: {summary}")


def lint_command(
    policy: PolicyPath,
    fmt: FormatOption = Format.text,
    today: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Date to check review dates against."),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")
    ] = FailOn.warning,
) -> None:
    """Find problems the schema cannot: gaps, contradictions, stale reviews."""
    with reporting(fmt):
        loaded = load_policy(policy)
        from charter.policy.lint import lint  # only lint needs the linter

        findings = lint(loaded, today=today.date() if today else None)
    threshold = _RANK.get(fail_on.value, 99)
    failing = [f for f in findings if _RANK[f.severity] >= threshold]
    if fmt is Format.json:
        print_json({"ok": not failing, "findings": [f.to_json() for f in findings]})
    elif findings:
        print_diagnostics(findings)
        tally = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        out.print(", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in tally.items()))
    else:
        out.print(f"[green]no findings[/green] in {escape(str(policy))}")
    raise typer.Exit(FINDINGS if failing else OK)


# A change's colour by its effect for customers; its line says the effect in words too.
EFFECT_STYLES = {"stronger": "green", "weaker": "red"}


def print_changes(changes: list[Change], console: Console = out) -> None:
    """``charter diff``'s text: the summary, then a line a change (``render_text``),
    green when stronger for customers, red when weaker, plain when neutral."""
    from charter.policy.diff import effects, render_text

    summary, *lines = render_text(changes).splitlines()
    tally = effects(changes)
    console.print(escape(f"{summary} ({tally})" if tally else summary))
    for change, line in zip(changes, lines, strict=True):
        style = EFFECT_STYLES.get(change.effect)
        console.print(f"[{style}]{escape(line)}[/{style}]" if style else escape(line))


def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier policy.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later policy.", show_default=False)],
    fmt: FormatOption = Format.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when the policies differ (as git diff).")
    ] = False,
) -> None:
    """Compare two policies clause by clause; each change is major or minor."""
    with reporting(fmt):
        from charter.policy.diff import diff  # only diff needs it

        changes = diff(load_policy(old).policy, load_policy(new).policy)
    if fmt is Format.json:
        print_json({"changes": [c.to_json() for c in changes]})
    elif changes:
        print_changes(changes)
    else:
        out.print("no changes")
    raise typer.Exit(FINDINGS if changes and exit_code else OK)
