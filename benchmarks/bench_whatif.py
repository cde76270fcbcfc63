"""Live what-if at a million tickets: one changed target re-judged from the prepared
clock runs, beside a full re-evaluation under the edited policy, in one run.

A synthetic history (``synthesize``: 1,000,000 tickets over 365 days, seed 7, with
their events: replies, pauses, reopenings) is judged under the example policy. The
what-if state is prepared once (``prepare_whatif``, the last 12 calendar months); then
each changed target below is tried with ``what_if`` (best of 5) and, for comparison,
the example policy's text is edited the same way and ``evaluate`` run on the same
tickets: from scratch (best of 3), and with the tickets' windows prepared once as a
backtest of several drafts does (best of 3). The met and breached counts of both must
agree exactly.

    python benchmarks/bench_whatif.py [--tickets 1000000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from importlib import resources
from typing import Any

import polars as pl
from rich.console import Console
from rich.table import Table

from _timing import best
from charter.analytics.backtest import latest_instant
from charter.policy import load_policy_text
from charter.sla.evaluate import evaluate, prepare
from charter.sla.whatif import prepare_whatif, what_if
from charter.tickets.dataset import TicketData
from charter.tickets.synth import synthesize

EXAMPLE = resources.files("charter.policy").joinpath("example.yaml").read_text("utf-8")
TARGET_SECONDS = 0.3
# (rule, metric, within, attainment, what the change is)
CHANGES = [
    ("sl-default", "first_response", "4h", None, "business hours, largest rule"),
    ("sl-default", "resolution", "5wd", None, "working days"),
    ("sl-chat", "resolution", "12h", None, "24x7"),
    ("sl-urgent", "next_response", "1h", None, "several runs a ticket"),
    ("sl-default", "first_response", None, "90%", "attainment only"),
]


def edited(rule: str, metric: str, within: str | None, attainment: str | None) -> Any:
    """The example policy with one target's ``within`` or ``attainment`` rewritten."""
    head, rest = EXAMPLE.split(f"- id: {rule}\n", 1)
    block, sep, tail = rest.partition("\n    - id:")
    line = re.search(rf"^ *{metric}: \{{.*\}}$", block, flags=re.MULTILINE)
    assert line is not None, (rule, metric)
    new = line.group(0)
    if within is not None:
        new = re.sub(r"within: [^,}]+", f"within: {within}", new)
    if attainment is not None:
        new = re.sub(r"attainment: [^,}]+", f"attainment: {attainment}", new)
    text = head + f"- id: {rule}\n" + block.replace(line.group(0), new) + sep + tail
    assert text != EXAMPLE
    return load_policy_text(text).policy


def window(data: TicketData, now: dt.datetime) -> TicketData:
    """The tickets ``prepare_whatif`` judges: created in the 12 calendar months to now."""
    index = now.year * 12 + now.month - 1 - 11
    first = dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)
    tickets = data.tickets.filter(pl.col("created_at").is_between(first, now))
    ids = tickets.select(pl.col("id").alias("ticket_id"))
    return TicketData(tickets, data.events.join(ids, on="ticket_id", how="semi"))


def counts(sla: pl.DataFrame, rule: str, metric: str) -> tuple[int, int]:
    mine = sla.filter((pl.col("rule_id") == rule) & (pl.col("metric") == metric))
    return int((mine["status"] == "met").sum()), int((mine["status"] == "breached").sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    console, progress = Console(width=150), Console(stderr=True)
    data = synthesize(args.tickets, 365, 7)
    now = latest_instant(data)
    policy = load_policy_text(EXAMPLE).policy
    prepared_in, base = best(lambda: prepare_whatif(policy, data, now=now), 1)
    same = window(data, now)
    ready = prepare(same)
    progress.print(f"prepared in {prepared_in:.1f} s; {same.tickets.height:,} tickets judged")
    table = Table(title=f"What-if: {same.tickets.height:,} tickets, {same.events.height:,} "
                  f"events (synthetic, last 12 months to {now:%Y-%m-%d}), one run")  # fmt: skip
    headings = ("change", "runs", "what_if", "evaluate", "evaluate, prepared",
                "what_if / evaluate", "target", "met", "share now → then", "agree")  # fmt: skip
    for heading in headings:
        table.add_column(heading, justify="left" if heading == "change" else "right")
    for rule, metric, within, attainment, note in CHANGES:
        quick, result = best(lambda r=rule, m=metric, w=within, a=attainment:
                             what_if(base, r, m, within=w, attainment=a), args.runs)  # fmt: skip
        draft = edited(rule, metric, within, attainment)
        full, sla = best(lambda d=draft: evaluate(d, same, now=now), 3)
        again, _ = best(lambda d=draft: evaluate(d, same, now=now, prepared=ready), 3)
        agree = counts(sla, rule, metric) == (result.met_then, result.breached_then)
        change = f"{rule} {metric}: " + (
            f"{result.within_now} → {result.within_then}" if within else
            f"attainment {result.attainment_now:.0%} → {result.attainment_then:.0%}"
        ) + f" ({note})"  # fmt: skip
        table.add_row(
            change, f"{len(base.promises[(rule, metric)].start):,}", f"{quick * 1000:.1f} ms",
            f"{full:.2f} s", f"{again:.2f} s", f"1/{full / quick:,.0f}",
            f"< {TARGET_SECONDS} s", "yes" if quick < TARGET_SECONDS else "NO",
            f"{_pct(result.share_now)} → {_pct(result.share_then)}", "yes" if agree else "NO",
        )  # fmt: skip
    console.print(table)
    console.print(f"prepare_whatif (once per policy and tickets): {prepared_in:.2f} s")


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f} %"


if __name__ == "__main__":
    main()
