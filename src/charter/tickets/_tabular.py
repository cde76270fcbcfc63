"""Staging a table of text cells (a CSV export, a Parquet file) as canonical tickets.

A *preset* gives a source's column names and value tables; the mapping file's
``columns``, ``values`` and ``defaults`` take precedence over it. Every expression works
on whole columns of a lazy frame, so a CSV of millions of rows streams through Polars.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field

import polars as pl

from charter.errors import UsageError
from charter.excerpt import excerpt
from charter.policy.calendar import suggest
from charter.tickets._tables import CANONICAL_PRIORITY, CANONICAL_STATUS, CSAT_5, CSAT_10
from charter.tickets._timestamps import UTC, TimeColumn, parse_times
from charter.tickets.importing import Lookup, code, lookups, merged, problems, quoted, text
from charter.tickets.mapping import Mapping

TIMES = ("created_at", "updated_at", "first_response_at", "solved_at")
TEXTS = ("segment", "team", "assignee", "category")
FREE = ("requester_email", "csat_comment")  # kept as written, trimmed
REQUIRED = ("id", "created_at", "status", "channel", "priority")


@dataclass(frozen=True)
class Preset:
    """A source's defaults: column names, value tables, and what a blank means."""

    name: str
    columns: MappingType[str, str] = field(default_factory=dict)
    tables: MappingType[str, MappingType[str, str]] = field(default_factory=dict)
    defaults: MappingType[str, str] = field(default_factory=dict)
    unknown_channel: str | None = None  # None: keep the source's own word, lower-cased
    tags_separator: str = ","
    status_hint: str = "map it under values.status in the mapping file"


GENERIC = Preset(
    "csv",
    tables={"status": {**CANONICAL_STATUS, "hold": "on_hold"}, "priority": CANONICAL_PRIORITY},
)


@dataclass(frozen=True)
class Plan:
    """Which column of the file feeds each canonical column, and the settings to read it."""

    preset: Preset
    mapping: Mapping
    timezone: str | None
    sources: dict[str, str]

    def label(self, canonical: str) -> str:
        """How a problem names the column: the file's header, or the default it came from."""
        if canonical in self.sources:
            return f"column '{excerpt(self.sources[canonical])}'"
        return f"{canonical} (default)"


def plan(
    names: list[str], preset: Preset, mapping: Mapping, timezone: str | None, file: str
) -> Plan:
    """Resolve the file's columns; ``UsageError`` when a required one is missing."""
    wanted = {**{c: c for c in _canonical()}, **preset.columns, **mapping.column_names}
    sources = {c: col for c, col in wanted.items() if col in names}
    defaults = {**preset.defaults, **mapping.default_values}
    for canonical in REQUIRED:
        if canonical not in sources and canonical not in defaults:
            raise _missing(canonical, wanted[canonical], names, file)
    return Plan(preset, mapping, timezone or mapping.timezone, sources)


def _canonical() -> tuple[str, ...]:
    return ("id", *TIMES, "channel", "priority", "status", *TEXTS, "tags", "csat", "nps", *FREE)


def _missing(canonical: str, column: str, names: list[str], file: str) -> UsageError:
    """Input is quoted in excerpts: a header line may be megabytes long."""
    cut = [excerpt(n) for n in names[:200]]
    close = suggest(excerpt(column), cut)
    shown = ", ".join(repr(n) for n in cut[:20]) + (", ..." if len(names) > 20 else "")
    return UsageError(
        f"{file}: no column {excerpt(column)!r} for {canonical}{close} The file has: {shown}. "
        f"Fix: name the column that holds {canonical} under columns: in the mapping file "
        f"({canonical}: Your column), or give a value for every row under defaults:"
    )


def stage(frame: pl.LazyFrame, p: Plan) -> pl.LazyFrame:
    """Canonical columns, ``_problem`` and ``_naive`` from a frame of text cells that
    already carries ``_file`` and ``_row``."""
    times = [TimeColumn(n, _src(p, n), pl.String(), p.label(n)) for n in TIMES if n in p.sources]
    frame = parse_times(frame, times, p.timezone, p.mapping.timestamp_formats)
    frame = lookups(frame, _lookups(p))
    frame = frame.with_columns(_nps(p).alias("nps"))
    frame = frame.with_columns(_nps_problem(p).alias("nps__problem"))
    checked = [*(t.name for t in times), "status", "priority", "channel", "csat", "nps"]
    return frame.select(
        text(_src(p, "id")).alias("id"),
        *[pl.col(n) if n in p.sources else pl.lit(None, UTC).alias(n) for n in TIMES],
        pl.col("status", "priority", "channel"),
        text(pl.col("csat")).cast(pl.Int8, strict=False).alias("csat"),
        pl.col("nps"),
        *[_text_column(p, name).alias(name) for name in TEXTS],
        *[text(_src(p, name)).alias(name) for name in FREE],
        _tags(p).alias("tags"),
        pl.col("_file"),
        pl.col("_row").cast(pl.String),
        problems(*[pl.col(f"{n}__problem") for n in checked]).alias("_problem"),
        pl.coalesce([pl.col(f"{t.name}__naive") for t in times] or [pl.lit(None, pl.String)]).alias(
            "_naive"
        ),
    )


def _src(p: Plan, canonical: str) -> pl.Expr:
    default = {**p.preset.defaults, **p.mapping.default_values}.get(canonical)
    if canonical not in p.sources:
        return pl.lit(default, pl.String)
    column = pl.col(p.sources[canonical])
    return text(column).fill_null(pl.lit(default, pl.String)) if default else column


def _lookups(p: Plan) -> list[Lookup]:
    def table(name: str, built_in: MappingType[str, str] | None = None) -> dict[str, str]:
        own = p.preset.tables.get(name, {}) if built_in is None else built_in
        return merged(p.mapping.value_table(name), own)

    other = p.preset.unknown_channel
    channel_fallback = pl.lit(other) if other else pl.col("__channel_cell").str.to_lowercase()
    top = p.mapping.csat_scale
    scale = {**(CSAT_10 if top == 10 else CSAT_5), **p.preset.tables.get("csat", {})}
    csat_hint = (
        f"a rating is a whole number 1-{top}"
        + ("; set csat_scale: 10 in the mapping file if ratings run 1-10" if top == 5 else "")
        + ", or map the word under values.csat"
    )
    return [
        Lookup("status", _src(p, "status"), table("status"), p.label("status"),
               p.preset.status_hint),
        Lookup("priority", _src(p, "priority"), table("priority"), p.label("priority"),
               "map it under values.priority in the mapping file"),
        Lookup("channel", _src(p, "channel"), table("channel"), p.label("channel"),
               fallback=channel_fallback),
        Lookup("csat", _src(p, "csat"), table("csat", scale), p.label("csat"), csat_hint),
    ]  # fmt: skip


def _nps(p: Plan) -> pl.Expr:
    return code(_src(p, "nps")).cast(pl.Int8, strict=False)


def _nps_problem(p: Plan) -> pl.Expr:
    source = code(_src(p, "nps"))
    bad = source.is_not_null() & (pl.col("nps").is_null() | ~pl.col("nps").is_between(0, 10))
    return pl.when(bad).then(quoted(f"{p.label('nps')}: ", source, " is not a score 0-10"))


def _text_column(p: Plan, name: str) -> pl.Expr:
    value = text(_src(p, name))
    table = p.mapping.value_table(name)
    if not table:
        return value
    keys = {k.lower(): str(v) for k, v in table.items()}
    mapped = value.str.to_lowercase().replace_strict(
        list(keys), list(keys.values()), default=None, return_dtype=pl.String
    )
    return pl.coalesce(mapped, value)


def _tags(p: Plan) -> pl.Expr:
    separator = (
        p.mapping.tags_separator
        if "tags_separator" in p.mapping.model_fields_set
        else p.preset.tags_separator
    )
    cells = text(_src(p, "tags")).str.split(separator)
    return cells.list.eval(
        pl.element().str.strip_chars().filter(pl.element().str.strip_chars() != "")
    ).fill_null(pl.lit([], pl.List(pl.String)))
