"""The ``--report out.html`` pages of the analytics commands, built from their results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from charter import figures
from charter.analytics.backtest import Backtest, side_by_side
from charter.analytics.pilot import PilotResult
from charter.cli._output import err
from charter.cli._tables import hours, kept_more, kpi_value, target_words
from charter.policy.schema import Policy
from charter.policy.service_level import METRIC_WORDS
from charter.publish.report import (
    BarChart,
    LineChart,
    Paragraph,
    Report,
    Section,
    Table,
    Verdict,
    write,
)
from charter.publish.table import Tone


def _label(row: dict[str, Any], names: dict[str, str]) -> str:
    """A promise as a reader knows it: its rule's name and its metric in words."""
    rule = names.get(row["rule_id"], row["rule_id"])
    return f"{rule} · {METRIC_WORDS.get(row['metric'], row['metric'])}"


def _rule_names(policy: Policy) -> dict[str, str]:
    """Each service-level rule's name by its id (the id when it has no name)."""
    return {rule.id: rule.name or rule.id for rule in policy.service_levels.rules}


def _named(frame: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """``rule_id`` as the rules' names and ``metric`` in words, for a table a person reads
    (the report's headings say "Rule" and "Promise": charter.publish.report)."""
    readable = []
    if "rule_id" in frame.columns:
        readable.append(pl.col("rule_id").replace(names))
    if "metric" in frame.columns:
        readable.append(pl.col("metric").replace(dict(METRIC_WORDS)))
    return frame.with_columns(readable) if readable else frame


def _save(report: Report, path: Path) -> None:
    write(report, path)
    err.print(f"report written to {path}")


def backtest_report(
    path: Path, policy: Policy, result: Backtest, old: Backtest | None, advice: pl.DataFrame | None,
    names: tuple[str, str] = ("this draft", "the other draft"),
) -> None:  # fmt: skip
    """Promises kept, where breaches happen, the worst tickets, the other draft, advice."""
    rules = _rule_names(policy)
    promises = result.promises.to_dicts()
    kept = sum(1 for p in promises if p["kept"])
    summary: list[Any] = [Verdict(
        f"This draft would have kept {kept} of its {len(promises)} promises on these tickets.",
        "good" if kept == len(promises) else "bad",
    )]  # fmt: skip
    summary += [
        Verdict(f"{_label(p, rules)} ({target_words(p)}): {figures.share(p['share'])} met, "
                f"against a "
                f"promise of {figures.share(p['promised'])}.", "bad")
        for p in promises if not p["kept"]
    ]  # fmt: skip
    sections = [Section("Summary", summary), _promise_section(result, rules)]
    missed = result.attainment.filter(~pl.col("kept"))
    sections.append(Section("Promised shares by month and segment", [
        Paragraph(f"{missed.height} of {result.attainment.height} month-and-segment results "
                  "fell short of the promised share."),
        Table.from_frame(
            _named(missed.select("rule_id", "metric", "period", "segment", "met", "breached",
                                 "share", "promised").head(200), rules),
            "Where a promised share was missed",
            formats={"share": figures.share, "promised": figures.share,
                     "period": lambda v: f"{v:%Y-%m}"},
        ),
    ]))  # fmt: skip
    sections.append(_breach_section(result))
    sections.append(Section("The ten worst tickets", [Table.from_frame(
        _named(result.worst, rules), "Breaches furthest over their target",
        formats={"elapsed_seconds": hours, "target_business_seconds": hours,
                 "times_target": lambda v: f"{v:.1f}×"})]))  # fmt: skip
    if old is not None:
        sections.append(_against_section(side_by_side(result, old), rules, *names))
    if advice is not None:
        sections.append(Section("Recommended targets", [Table.from_frame(
            _named(advice.drop("needed"), rules), "The tightest target each rule would have met",
            formats={"share_now": figures.share, "recommended_seconds": hours,
                     "target_seconds": hours})]))  # fmt: skip
    _save(_report(policy, "Backtest", result.now, result.sla["ticket_id"].n_unique(), sections),
          path)  # fmt: skip


def _report(
    policy: Policy, kind: str, now: dt.datetime, tickets: int, sections: list[Section]
) -> Report:
    return Report(
        f"{kind}: {policy.organisation.name}",
        subtitle=f"{tickets:,} tickets, as of {figures.instant(now, dt.UTC)}",
        sections=sections,
        footer="Business times are counted on each promise's own calendar.",
    )


def _promise_section(result: Backtest, rules: dict[str, str]) -> Section:
    rows = result.promises.to_dicts()
    chart = BarChart("Share of tickets that met each promise", [_label(r, rules) for r in rows],
                     {"met": [r["share"] or 0.0 for r in rows]}, unit="share")  # fmt: skip
    table = Table.from_frame(
        _named(result.promises.with_columns(
            pl.struct(pl.all()).map_elements(target_words, return_dtype=pl.String).alias("target")
        ).select("rule_id", "metric", "target", "promised", "met", "breached", "running", "share",
                 "kept"), rules),
        "Each promise on past tickets",
        formats={"promised": figures.share, "share": figures.share},
        tones={"kept": lambda v: "good" if v else "bad"},
    )  # fmt: skip
    return Section("Promises", [chart, table])


def _breach_section(result: Backtest) -> Section:
    blocks: list[Any] = []
    for by, title in (("channel", "channel"), ("segment", "segment"), ("hour", "hour of day")):
        part = result.breaches.filter(pl.col("by") == by)
        metrics = part["metric"].unique(maintain_order=True).to_list()
        values = sorted(part["value"].drop_nulls().unique().to_list(),
                        key=lambda v: int(v) if by == "hour" else v)  # fmt: skip
        series = {METRIC_WORDS.get(m, m): [_share(part, m, v) for v in values] for m in metrics}
        blocks.append(BarChart(f"Share breached by {title}", values, series, unit="share"))
    return Section("Where breaches happen", blocks)


def _share(part: pl.DataFrame, metric: str, value: str) -> float:
    found = part.filter((pl.col("metric") == metric) & (pl.col("value") == value))["share"]
    return float(found[0]) if found.len() else 0.0


def _against_section(table: pl.DataFrame, rules: dict[str, str], this: str, other: str
                     ) -> Section:  # fmt: skip
    """Each promise under both policies, every column named by its policy file, and
    which one keeps more promises, in words."""
    rows = table.to_dicts()
    chart = BarChart(f"{this} against {other}", [_label(r, rules) for r in rows], {
        f"met under {other}": [r["share_old"] or 0.0 for r in rows],
        f"met under {this}": [r["share"] or 0.0 for r in rows]}, unit="share")  # fmt: skip
    shown = _named(table, rules).select(
        "rule_id", "metric",
        pl.col("share_old").alias(f"met under {other}"), pl.col("share").alias(f"met under {this}"),
        pl.col("kept_old").alias(f"kept under {other}"), pl.col("kept").alias(f"kept under {this}"),
        pl.col("change_points").alias(f"{this} minus {other} (points)"),
    )  # fmt: skip
    points = f"{this} minus {other} (points)"
    return Section(f"{this} against {other}", [
        Verdict(kept_more(table, this, other), "neutral"), chart,
        Table.from_frame(shown, f"Share met under {this} and under {other}", formats={
            f"met under {other}": figures.share, f"met under {this}": figures.share,
            points: lambda v: "—" if v is None else f"{v:+.1f}"})])  # fmt: skip


def pilot_report(path: Path, policy: Policy, outcome: PilotResult, now: dt.datetime) -> None:
    """The pilot's verdicts, one per comparison, with the figures behind them."""
    comparisons: list[Any] = [*outcome.compliance, *outcome.durations, outcome.csat]
    verdicts = [Verdict(c.verdict, _tone(c)) for c in comparisons]
    intro = Paragraph(
        f"{outcome.pilot_tickets:,} tickets in the pilot, {outcome.control_tickets:,} in the "
        "control group. Differences are tested two-sided at the 5 % level."
    )
    chart = BarChart("Share of promises met", [METRIC_WORDS.get(c.label, c.label)
                     for c in outcome.compliance], {
        "pilot": [c.pilot_rate for c in outcome.compliance],
        "control": [c.control_rate for c in outcome.compliance]}, unit="share")  # fmt: skip
    sections = [Section("Verdicts", [intro, *verdicts]), Section("Compliance", [chart])]
    total = outcome.pilot_tickets + outcome.control_tickets
    _save(_report(policy, "Pilot", now, total, sections), path)


def _tone(comparison: Any) -> Tone:
    if not comparison.enough or comparison.p_value >= 0.05:
        return "neutral"
    if hasattr(comparison, "difference"):
        return "good" if comparison.difference > 0 else "bad"
    return "good" if comparison.pilot_median < comparison.control_median else "bad"


def kpi_report(path: Path, policy: Policy, compared: pl.DataFrame, now: dt.datetime,
               tickets: int, by: str | None = None) -> None:  # fmt: skip
    """Each KPI target: its value per period against the target, trend and alert; with
    ``by``, one line and one verdict per group, as the terminal's table shows them."""
    blocks: list[Any] = []
    if by is not None and compared.height:
        blocks.append(
            Paragraph(
                f"Each target is measured per {by} (--by {by}): a line and a verdict per {by}."
            )
        )
    chosen: list[str] = (
        compared["target_id"].unique(maintain_order=True).to_list() if compared.height else []
    )
    for target_id in chosen:
        rows = compared.filter(pl.col("target_id") == target_id)
        blocks += _target_blocks(rows)
    if not blocks:
        sets = policy.kpis is not None and bool(policy.kpis.targets)
        blocks = [Paragraph("No KPI target of the policy has a figure on these tickets."
                            if sets else "The policy sets no KPI targets.")]  # fmt: skip
    _save(_report(policy, "KPIs", now, tickets, [Section("Targets", blocks)]), path)


def _target_blocks(rows: pl.DataFrame) -> list[Any]:
    """One target's chart (a line per group, or one line) and a verdict per group."""
    first = rows.row(0, named=True)
    name = first["name"] or first["kpi"]
    unit = {"seconds": "duration", "share": "share"}.get(first["unit"], first["unit"] or "")
    groups = rows["group"].unique(maintain_order=True).to_list()
    periods = sorted(rows["period"].unique().to_list())
    series = {}
    for group in groups:
        part = rows.filter(pl.col("group").eq_missing(group))
        found = dict(zip(part["period"].to_list(), part["value"].to_list(), strict=True))
        series[group or "value"] = [found.get(p) for p in periods]
    blocks: list[Any] = [LineChart(name, [f"{p:%d %b}" for p in periods], series, unit=unit,
                                   target=first["target"])]  # fmt: skip
    for group in groups:
        part = rows.filter(pl.col("group").eq_missing(group))
        blocks.append(_kpi_verdict(name, group, part.row(part.height - 1, named=True)))
    return blocks


def _kpi_verdict(name: str, group: str | None, last: dict[str, Any]) -> Verdict:
    tone: Tone = "bad" if last["alert"] else ("good" if last["met"] else "neutral")
    shown = kpi_value(last["value"], last["unit"], last.get("clock"))
    target = kpi_value(last["target"], last["unit"], last.get("clock"))
    where = f", {group}" if group is not None else ""
    verdict = (
        f"{name}{where}: {shown} in the latest period against a target of {target} "
        f"({'met' if last['met'] else 'missed'}); {last['trend']}"
    )
    if last["alert"]:
        verdict += f"; missed {last['streak']} periods in a row"
    return Verdict(verdict, tone)
