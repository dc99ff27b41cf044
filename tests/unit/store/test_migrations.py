"""The shipped Alembic migrations build exactly the schema of `steward.store.tables`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, inspect, text

from steward.store import Store, migrations
from steward.store.tables import metadata
from tests.unit.store.scenario import first_scan


@pytest.fixture
def migrated(tmp_path: Path) -> Engine:
    path = tmp_path / "steward.db"
    Store.open(path).close()
    return create_engine(f"sqlite:///{path}")


@pytest.fixture
def declared(tmp_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path / 'declared.db'}")
    metadata.create_all(engine)
    return engine


def _schema(engine: Engine) -> dict[str, dict[str, Any]]:
    inspector = inspect(engine)
    schema: dict[str, dict[str, Any]] = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        schema[table] = {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"])
                for column in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    fk["options"].get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), index["unique"])
                for index in inspector.get_indexes(table)
            ),
        }
    return schema


def test_the_migrated_schema_is_the_declared_schema(migrated: Engine, declared: Engine) -> None:
    assert _schema(migrated) == _schema(declared)


def test_the_migrated_schema_has_exactly_the_declared_tables(migrated: Engine) -> None:
    tables = set(inspect(migrated).get_table_names())
    assert tables == {"alembic_version", "scans", "dependency_statuses", "findings"}
    assert set(metadata.tables) == tables - {"alembic_version"}


def test_every_declared_column_is_in_the_migrated_table(migrated: Engine) -> None:
    inspector = inspect(migrated)
    for table in metadata.tables.values():
        assert isinstance(table, Table)
        assert [column["name"] for column in inspector.get_columns(table.name)] == list(
            table.columns.keys()
        )


def test_alembic_sees_nothing_to_migrate(migrated: Engine) -> None:
    with migrated.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_the_database_is_at_the_single_head_revision(migrated: Engine) -> None:
    script = ScriptDirectory.from_config(migrations.config())
    assert script.get_heads() == ["0001"]
    assert _revision(migrated) == "0001"


def test_upgrading_again_changes_nothing_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "steward.db"
    with Store.open(path) as store:
        scan_id = store.record(first_scan())
    engine = create_engine(f"sqlite:///{path}")
    before = _schema(engine)
    with engine.begin() as connection:
        migrations.upgrade(connection)
    with Store.open(path) as store:
        assert [summary.id for summary in store.history()] == [scan_id]
    assert _schema(engine) == before
    assert _revision(engine) == "0001"


def test_downgrading_to_base_drops_every_table(migrated: Engine) -> None:
    with migrated.begin() as connection:
        _downgrade(connection, "base")
    assert set(inspect(migrated).get_table_names()) == {"alembic_version"}


def test_the_migrations_ship_inside_the_package() -> None:
    location = migrations.SCRIPT_LOCATION
    assert location.parent.name == "store"
    assert {"env.py", "script.py.mako"} <= {path.name for path in location.iterdir()}
    assert (location / "versions" / "0001_initial.py").is_file()


def test_offline_mode_writes_postgresql_ddl(capsys: pytest.CaptureFixture[str]) -> None:
    from alembic import command

    command.upgrade(migrations.config("postgresql://steward@127.0.0.1/steward"), "head", sql=True)
    ddl = capsys.readouterr().out
    assert "CREATE TABLE scans" in ddl
    assert "started_at TIMESTAMP WITH TIME ZONE NOT NULL" in ddl
    assert "FOREIGN KEY(scan_id) REFERENCES scans (id) ON DELETE CASCADE" in ddl
    assert '"constraint" TEXT NOT NULL' in ddl


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    cfg = migrations.config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)
