"""``charter backtest``: would we have kept this promise on our past tickets?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from charter import figures
from charter.analytics.backtest import Backtest, backtest, side_by_side
from charter.analytics.recommend import recommend
from charter.analytics.records import records
from charter.cli._inputs import (
    DataFormatOption,
    EventsOption,
    NowOption,
    ReportOption,
    TicketsOption,
    check_zone,
    load_inputs,
    parse_now,
)
from charter.cli._output import DataFormat, out, print_json, reporting
from charter.cli._steps import steps
from charter.cli._tables import emit_csv, hours, kept_more, share, show, target_words, text
from charter.policy import load_policy
from charter.sla.evaluate import prepare


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest_command)


def backtest_command(
    policy: Annotated[Path, typer.Argument(help="The draft policy to test.", show_default=False)],
    tickets: TicketsOption,
    events: EventsOption = None,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            help="Another policy file to run side by side; says which keeps more promises.",
        ),
    ] = None,
    recommend_share: Annotated[
        float | None,
        typer.Option(
            "--recommend", min=1, max=100, help="Propose targets met by this % of tickets."
        ),
    ] = None,
    now: NowOption = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Timezone of 'hour of day' in the breakdown.")
    ] = "UTC",
    fmt: DataFormatOption = DataFormat.text,
    report: ReportOption = None,
) -> None:
    """Replay past tickets under a draft: the share that would have met each promise."""
    with reporting(), steps() as step:
        loaded, data = step(
            "reading policy and tickets", lambda: load_inputs(policy, tickets, events)
        )
        zone, moment = check_zone(timezone), parse_now(now)
        old_policy = load_policy(against).policy if against is not None else None
        ready = step("reading the tickets' clocks", lambda: prepare(data))
        result = step("evaluating service levels", lambda: backtest(
            loaded.policy, data, now=moment, timezone=zone, prepared=ready))  # fmt: skip
        old, names = None, (str(policy), str(against))
        if old_policy is not None:
            old = step("evaluating the other draft", lambda: backtest(
                old_policy, data, now=result.now, timezone=zone, prepared=ready))  # fmt: skip
        advice = recommend(result.sla, recommend_share / 100) if recommend_share else None
        if report is not None:
            from charter.cli._reports import backtest_report

            backtest_report(report, loaded.policy, result, old, advice, names)
    _print(fmt, result, old, advice, names)


def _print(
    fmt: DataFormat, result: Backtest, old: Backtest | None, advice: pl.DataFrame | None,
    names: tuple[str, str],
) -> None:  # fmt: skip
    compared = side_by_side(result, old) if old is not None else None
    if fmt is DataFormat.json:
        print_json({
            "now": result.now.isoformat(), "promises": records(result.promises),
            "breaches": records(result.breaches), "worst": records(result.worst),
            "attainment": records(result.attainment),
            "against": records(compared) if compared is not None else None,
            "policies": {"this": names[0], "against": names[1] if old is not None else None},
            "verdict": kept_more(compared, *names) if compared is not None else None,
            "recommendations": records(advice) if advice is not None else None,
        })  # fmt: skip
        return
    if fmt is DataFormat.csv:
        emit_csv(compared if compared is not None else result.promises)
        return
    _print_text(result, compared, advice, names)


def _print_text(
    result: Backtest, compared: pl.DataFrame | None, advice: pl.DataFrame | None,
    names: tuple[str, str],
) -> None:  # fmt: skip
    out.print(f"Tickets evaluated as of {figures.instant(result.now, dt.UTC)}")
    show(result.promises, "Promises", [
        ("rule_id", "rule", text), ("metric", "metric", text), ("*", "target", target_words),
        ("promised", "promised", share), ("met", "met", text), ("breached", "breached", text),
        ("running", "running", text), ("share", "share met", share),
        ("kept", "kept", lambda v: "yes" if v else "NO"),
    ])  # fmt: skip
    worst_by = result.breaches.filter(pl.col("by") != "hour").sort("share", descending=True)
    show(worst_by.head(8), "Where breaches happen", [
        ("metric", "metric", text), ("by", "by", text), ("value", "value", text),
        ("breached", "breached", text), ("decided", "decided", text), ("share", "share", share),
    ])  # fmt: skip
    missed = result.attainment.filter(~pl.col("kept"))
    if missed.height:
        show(missed.head(12), f"Promised shares missed by month and segment ({missed.height})", [
            ("rule_id", "rule", text), ("metric", "metric", text),
            ("period", "month", lambda v: f"{v:%Y-%m}"), ("segment", "segment", text),
            ("share", "met", share), ("promised", "promised", share),
        ])  # fmt: skip
    show(result.worst, "The ten worst tickets", [
        ("ticket_id", "ticket", text), ("rule_id", "rule", text), ("metric", "metric", text),
        ("elapsed_seconds", "took", hours), ("target_business_seconds", "target", hours),
        ("times_target", "× target", lambda v: f"{v:.1f}"),
    ])  # fmt: skip
    if compared is not None:
        this, other = names
        show(compared, f"{this} against {other}", [
            ("rule_id", "rule", text), ("metric", "metric", text),
            ("share_old", f"met under {other}", share), ("share", f"met under {this}", share),
            ("kept_old", f"kept under {other}", _yes), ("kept", f"kept under {this}", _yes),
            ("change_points", f"{this} minus {other} (points)",
             lambda v: "—" if v is None else f"{v:+.1f}"),
        ])  # fmt: skip
        out.print(kept_more(compared, this, other))
    if advice is not None:
        show(advice, "Recommended targets", [
            ("rule_id", "rule", text), ("metric", "metric", text), ("*", "now", target_words),
            ("share_now", "met now", share), ("recommended_seconds", "recommended", hours),
            ("tickets", "tickets", text),
        ])  # fmt: skip


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "NO")
