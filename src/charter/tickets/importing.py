"""What every importer shares: the result, staged rows, value tables and the final checks.

An importer *stages* rows: canonical columns plus ``_file`` and ``_row`` (where the row
came from) and ``_problem`` (why the importer could not read it, or null). ``finish``
then keeps the latest version of each ticket, runs the canonical checks, ties events
to imported tickets, and collects every reject. A ticket whose text holds a NUL
character (which PostgreSQL cannot store) is one reject, like any other bad row.

>>> import datetime as dt
>>> staged = pl.DataFrame({"id": ["7", "7"], "created_at": [dt.datetime(2026, 1, 5)] * 2,
...     "updated_at": [dt.datetime(2026, 1, 6), dt.datetime(2026, 1, 5)],
...     "channel": ["email"] * 2, "priority": ["low", "high"], "status": ["open"] * 2,
...     "_file": ["a.csv", "b.csv"], "_row": ["1", "1"], "_problem": [None, None]})
>>> result = finish(staged, empty_staged_events())
>>> result.tickets["priority"].to_list(), result.superseded, result.rejected
(['low'], 1, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from charter.excerpt import ELLIPSIS, LIMIT
from charter.tickets.schema import (
    EVENT_SCHEMA,
    REJECT_SCHEMA,
    TICKET_SCHEMA,
    check_events,
    check_tickets,
    conform,
    creations,
    latest_per_id,
)

STAGED = ("_file", "_row", "_problem")
NUL_CHECKED = (
    "id", "channel", "segment", "team", "assignee", "category", "requester_email",
    "csat_comment",
)  # fmt: skip


@dataclass(frozen=True)
class ImportResult:
    """Imported tickets and events in the canonical schemas, and every rejected row.

    ``superseded`` counts older copies of a ticket replaced by a later ``updated_at``.
    """

    tickets: pl.DataFrame
    events: pl.DataFrame
    rejects: pl.DataFrame
    superseded: int = 0

    @property
    def imported(self) -> int:
        return self.tickets.height

    @property
    def rejected(self) -> int:
        return self.rejects.height

    @property
    def complete(self) -> bool:
        """True when no row was rejected."""
        return self.rejects.height == 0


def empty_staged_events() -> pl.DataFrame:
    schema = {**EVENT_SCHEMA, "_file": pl.String(), "_row": pl.String(), "_problem": pl.String()}
    return pl.DataFrame(schema=schema)


def rejects_of(file: str, row: str, reason: str) -> pl.DataFrame:
    """One reject row."""
    return pl.DataFrame({"file": [file], "row": [row], "reason": [reason]}, schema=REJECT_SCHEMA)


def problems(*reasons: pl.Expr) -> pl.Expr:
    """Every non-null reason joined with "; ", or null when there is none."""
    joined = pl.concat_str(list(reasons), separator="; ", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def clipped(expr: pl.Expr) -> pl.Expr:
    """Input quoted in a reason, cut as ``charter.excerpt`` cuts it (60 characters and
    an ellipsis), so a 20 MB cell never comes back whole."""
    value = expr.cast(pl.String)
    cut = pl.concat_str(value.str.slice(0, LIMIT), pl.lit(ELLIPSIS))
    return pl.when(value.str.len_chars() > LIMIT).then(cut).otherwise(value)


def quoted(before: str, value: pl.Expr, after: str = "") -> pl.Expr:
    """``before 'value' after`` with the value clipped. Not ``pl.format``: a label such
    as a column named ``Opened {}`` must not be read as a placeholder."""
    return pl.concat_str(pl.lit(f"{before}'"), clipped(value), pl.lit(f"'{after}"))


def text(expr: pl.Expr) -> pl.Expr:
    """Trimmed text; blanks are null."""
    trimmed = expr.cast(pl.String).str.strip_chars()
    return pl.when(trimmed != "").then(trimmed)


def code(expr: pl.Expr) -> pl.Expr:
    """A numeric code as text: ``3``, ``3.0`` and `` 3 `` are all ``"3"``."""
    return text(expr).str.replace(r"^(-?\d+)\.0*$", "${1}")


@dataclass(frozen=True)
class Lookup:
    """A column read through a value table (keys compared in lower case).

    A value the table does not know becomes ``fallback`` when one is given (channels are
    an open set), else a problem naming ``label`` and saying ``hint``. ``codes`` reads
    ``3.0`` as ``3``.
    """

    name: str
    source: pl.Expr
    table: Mapping[str, str]
    label: str
    hint: str = ""
    fallback: pl.Expr | None = None
    codes: bool = True


def lookups(frame: pl.LazyFrame, columns: Iterable[Lookup]) -> pl.LazyFrame:
    """``frame`` with ``name`` and ``name__problem`` for each lookup, each step once."""
    specs = list(columns)
    frame = frame.with_columns(
        (code(s.source) if s.codes else text(s.source)).alias(f"__{s.name}_cell") for s in specs
    )
    frame = frame.with_columns(
        pl.col(f"__{s.name}_cell").str.to_lowercase().alias(f"__{s.name}_key") for s in specs
    )
    frame = frame.with_columns(_mapped(s).alias(s.name) for s in specs)
    frame = frame.with_columns(_unknown(s).alias(f"{s.name}__problem") for s in specs)
    return frame.drop([f"__{s.name}_{part}" for s in specs for part in ("cell", "key")])


def _mapped(s: Lookup) -> pl.Expr:
    keys = {str(k).lower(): v for k, v in s.table.items()}
    key = pl.col(f"__{s.name}_key")
    value = key.replace_strict(
        list(keys), list(keys.values()), default=None, return_dtype=pl.String
    )
    if s.fallback is None:
        return value
    return pl.coalesce(value, pl.when(key.is_not_null()).then(s.fallback))


def _unknown(s: Lookup) -> pl.Expr:
    if s.fallback is not None:
        return pl.lit(None, pl.String)
    cell = pl.col(f"__{s.name}_cell")
    return pl.when(cell.is_not_null() & pl.col(s.name).is_null()).then(
        quoted(f"{s.label}: unknown value ", cell, f"; {s.hint}")
    )


def merged(user: Mapping[str, str | int], built_in: Mapping[str, str]) -> dict[str, str]:
    """A value table: the mapping file's entries over the built-in ones."""
    table = {k.lower(): v for k, v in built_in.items()}
    table.update({k.lower(): str(v) for k, v in user.items()})
    return table


def finish(
    tickets: pl.DataFrame, events: pl.DataFrame, rejects: Iterable[pl.DataFrame] = ()
) -> ImportResult:
    """Keep each ticket's latest version, check everything, tie events to tickets."""
    staged = _staged(tickets, TICKET_SCHEMA)
    has_id = pl.col("id").str.strip_chars().fill_null("") != ""
    with_id = staged.filter(has_id)
    if with_id["id"].is_duplicated().any():  # sorting a million rows costs; most imports have none
        with_id = latest_per_id(with_id)
    latest = pl.concat([with_id, staged.filter(~has_id)])
    latest = latest.with_columns(problems(pl.col("_problem"), *_nul_reasons()).alias("_problem"))
    superseded = staged.height - latest.height
    ticket_rejects, valid = _split(latest)
    checked = check_tickets(valid.drop("_problem"))
    events_ok, event_rejects = _events(events, checked.valid, latest["id"])
    found = [*rejects, ticket_rejects, checked.rejects, event_rejects]
    every = pl.concat([conform(r, REJECT_SCHEMA) for r in found])
    return ImportResult(checked.valid, events_ok, every, superseded)


def _nul_reasons() -> list[pl.Expr]:
    """A reason for each text column holding a NUL character."""
    nul = "\x00"
    found = [(c, pl.col(c).str.contains(nul, literal=True)) for c in NUL_CHECKED]
    tags = pl.col("tags").list.eval(pl.element().str.contains(nul, literal=True)).list.any()
    found.append(("tags", tags))
    return [
        pl.when(holds).then(
            pl.lit(f"{column} holds a NUL character, which the store cannot keep; "
                   "remove it from the export")
        )
        for column, holds in found
    ]  # fmt: skip


def _staged(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` conformed to ``schema``, with its origin and problem columns."""
    if frame.width == 0:
        frame = pl.DataFrame(schema=schema)
    kept = [
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(pl.String).alias(c) for c in STAGED
    ]
    canonical = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    return frame.select(*canonical, *kept)


def _split(staged: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rejects of rows the importer could not read, the other rows)."""
    bad = pl.col("_problem").is_not_null()
    rejects = staged.filter(bad).select(
        file=pl.col("_file"), row=pl.col("_row"), reason=pl.col("_problem")
    )
    return rejects, staged.filter(~bad)


def _events(
    events: pl.DataFrame, tickets: pl.DataFrame, seen: pl.Series
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Events tied to ``tickets`` (the imported ones) and checked against them: an
    event before its ticket's creation is rejected like any other bad row."""
    unread, rest = _split(_staged(events, EVENT_SCHEMA))
    ticket = pl.col("ticket_id")
    # One join ties each event to its ticket's creation: a known ticket is one that has it
    # (an imported ticket always has a creation).
    tied = rest.join(creations(tickets), on="ticket_id", how="left", maintain_order="left")
    known = pl.col("_created").is_not_null()
    checked = check_events(tied.filter(ticket.is_null() | known).drop("_problem"))
    orphan = tied.filter(ticket.is_not_null() & ~known).select(
        pl.col("_file").alias("file"),
        pl.col("_row").alias("row"),
        pl.when(ticket.is_in(seen.implode()))
        .then(pl.format("event of ticket {}, which was rejected", clipped(ticket)))
        .otherwise(pl.format("event of ticket {}, which is not in the import", clipped(ticket)))
        .alias("reason"),
    )
    valid = checked.valid.unique(maintain_order=True).sort(["ticket_id", "at"], maintain_order=True)
    return valid, pl.concat([unread, checked.rejects, orphan])
