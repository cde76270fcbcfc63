"""The store: migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from charter.errors import NotMigrated, StoreError
from charter.services.accounts import Principal, Role
from charter.services.sessions import live_principal, start_sign_in
from charter.store import Database
from charter.store.models import Base, PolicyRecord, PolicyVersion, Ticket, User


def _modelled(name: str | None, kind: str, _parents: object) -> bool:
    """Leave out SQLite's FTS5 handbook index: a virtual table and the shadow tables
    SQLite keeps for it (handbook_search_data, _idx, ...) that SQLAlchemy cannot model;
    migration 0002 creates them and tests/test_services_handbook_search.py checks that they work."""
    return not (kind == "table" and (name or "").startswith("handbook_search"))


# The handbook's GIN index is an expression index that exists on PostgreSQL only
# (compared there); on SQLite, Alembic says it skips it.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_build_exactly_the_schema_the_models_describe(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _modelled}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_migrated_database_has_no_pending_migration(database: Database) -> None:
    assert database.pending_migrations() == []
    database.check_migrated()


def test_an_empty_database_is_refused_with_the_command_that_fixes_it(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new.db'}")
    with pytest.raises(NotMigrated, match="charter db upgrade"):
        database.check_migrated()
    database.upgrade()
    database.check_migrated()


def test_the_sqlite_file_folder_is_created(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'deep' / 'er' / 'charter.db'}")
    database.upgrade()
    assert (tmp_path / "deep" / "er" / "charter.db").exists()


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "not a database URL"),
        ("mysql://u:p@localhost/charter", "not supported"),
    ],
)
def test_a_bad_database_url_says_what_is_accepted(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        Database(url)


def test_an_unreachable_postgres_is_a_store_error_not_a_traceback() -> None:
    database = Database("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(StoreError, match="cannot open") as raised:
        database.pending_migrations()
    assert "secret" not in str(raised.value)


def test_instants_come_back_aware_in_utc(database: Database) -> None:
    moment = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with database.transaction() as session:
        session.add(
            User(
                email="a@example.com", name="A", role="agent", password_hash="x", created_at=moment
            )
        )
    with database.reading() as session:
        stored = session.scalars(select(User.created_at)).one()
    assert stored == moment
    assert stored.tzinfo == dt.UTC


def test_the_database_allows_one_published_version_per_policy(database: Database) -> None:
    with database.transaction() as session:
        policy = PolicyRecord(slug="p", name="P")
        session.add(policy)
        session.flush()
        for number in (1, 2):
            session.add(
                PolicyVersion(
                    policy_id=policy.id, number=number, text="", content_hash="h", status="retired"
                )
            )
    with pytest.raises(IntegrityError), database.transaction() as session:
        for number in (3, 4):
            session.add(
                PolicyVersion(
                    policy_id=policy.id,
                    number=number,
                    text="",
                    content_hash="h",
                    status="published",
                )
            )
    with database.reading() as session:
        assert session.scalars(select(PolicyVersion.number)).all() == [1, 2]


def test_tickets_json_kept_as_text_reads_back_after_the_migration(database: Database) -> None:
    config = database._alembic()
    command.downgrade(config, "0004")
    try:
        with database.transaction() as session:
            session.execute(
                text(
                    "INSERT INTO tickets (source, source_id, created_at, tags, events, "
                    "content_hash, imported_at) VALUES ('t', '1', :at, :tags, :events, 'x', :at)"
                ),
                {"at": "2026-10-01 09:00:00+00" if database.dialect == "postgresql"
                 else "2026-10-01 09:00:00.000000",
                 "tags": '["vip", "ü"]',
                 "events": '{"at_us": [1], "kind": ["customer_message"], "status": [null]}'},
            )  # fmt: skip
        database.upgrade()
        with database.reading() as session:
            ticket = session.execute(select(Ticket)).scalar_one()
        assert ticket.tags == ["vip", "ü"]
        assert ticket.events == {"at_us": [1], "kind": ["customer_message"], "status": [None]}
        now = dt.datetime(2026, 10, 2, tzinfo=dt.UTC)
        with database.transaction() as session:  # and the ORM writes JSON there too
            session.add(Ticket(source="t", source_id="2", created_at=now, tags=['a "b"'],
                               events={"at_us": [2], "kind": ["x"], "status": ["open"]},
                               content_hash="y", imported_at=now))  # fmt: skip
        with database.reading() as session:
            second = session.execute(select(Ticket).where(Ticket.source_id == "2")).scalar_one()
        assert second.tags == ['a "b"'] and second.events["status"] == ["open"]
    finally:
        database.upgrade()


def test_accounts_from_before_sign_in_generations_start_at_the_first(database: Database) -> None:
    # Migration 0006: an account already there starts at generation 0, so a sign-in
    # begun under it is live and one under a later generation is not.
    config = database._alembic()
    command.downgrade(config, "0005")
    try:
        with database.transaction() as session:
            session.execute(
                text(
                    "INSERT INTO users (email, name, role, password_hash, active, created_at) "
                    "VALUES ('ada@example.com', 'Ada', 'agent', 'x', :yes, :at)"
                ),
                {"yes": True, "at": dt.datetime(2026, 10, 1, tzinfo=dt.UTC)},
            )
        database.upgrade()
        with database.reading() as session:
            user = session.execute(select(User)).scalar_one()
        assert user.session_epoch == 0
        for epoch, live in ((0, True), (1, False)):
            who = Principal(user.id, user.email, user.name, Role.agent, epoch=epoch)
            secret = start_sign_in(database, who, max_age=60)
            assert (live_principal(database, secret, max_age=60) is not None) is live
    finally:
        database.upgrade()
