"""Dashboard response-time histograms kept at every filter level.

``ticket_daily_times`` gains ``split``: which of channel (1), priority (2) and team (4)
a row is split by, a group it is not split by held as "". Besides the finest rows
(7), the levels that no filter (0) or a single one (1, 2, 4) reads are kept, and the
key leads with the split and the groups, so those views read their own rows in order
instead of summing the finest ones. The rows already there become level 7 and the
others are summed from them: nothing waits for the next refill.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As this revision knows them.
GROUPS = {"channel": 1, "priority": 2, "team": 4}
VALUES = ("day", "measure", "bucket")
# The levels kept: every group (the rows there were), one of them, none.
LEVELS = (("channel", "priority", "team"), ("channel",), ("priority",), ("team",), ())


def _create(name: str, *, split: bool) -> None:
    keys = ("split", *GROUPS, *VALUES) if split else ("day", *GROUPS, "measure", "bucket")
    op.create_table(
        name,
        *([sa.Column("split", sa.SmallInteger(), nullable=False)] if split else []),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint(*keys, name=op.f("pk_ticket_daily_times")),
    )


def upgrade() -> None:
    op.rename_table("ticket_daily_times", "ticket_daily_times_0003")
    if op.get_bind().dialect.name == "postgresql":  # the old key keeps its name otherwise
        op.execute(
            "ALTER TABLE ticket_daily_times_0003 "
            "RENAME CONSTRAINT pk_ticket_daily_times TO pk_ticket_daily_times_0003"
        )
    _create("ticket_daily_times", split=True)
    for kept in LEVELS:
        split = sum(GROUPS[g] for g in kept)
        groups = ", ".join(g if g in kept else f"'' AS {g}" for g in GROUPS)
        by = ", ".join(["day", *kept, "measure", "bucket"])
        op.execute(
            f"INSERT INTO ticket_daily_times (split, {', '.join(GROUPS)}, {', '.join(VALUES)}, "
            f"tickets, seconds) SELECT {split}, {groups}, {', '.join(VALUES)}, sum(tickets), "
            f"sum(seconds) FROM ticket_daily_times_0003 GROUP BY {by}"
        )
    op.drop_table("ticket_daily_times_0003")


def downgrade() -> None:
    op.rename_table("ticket_daily_times", "ticket_daily_times_0004")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE ticket_daily_times_0004 "
            "RENAME CONSTRAINT pk_ticket_daily_times TO pk_ticket_daily_times_0004"
        )
    _create("ticket_daily_times", split=False)
    op.execute(
        f"INSERT INTO ticket_daily_times ({', '.join(GROUPS)}, {', '.join(VALUES)}, tickets, "
        f"seconds) SELECT {', '.join(GROUPS)}, {', '.join(VALUES)}, tickets, seconds "
        "FROM ticket_daily_times_0004 WHERE split = 7"
    )
    op.drop_table("ticket_daily_times_0004")
