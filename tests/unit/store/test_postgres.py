"""The store on a real PostgreSQL: the `postgres_url` fixture's (see conftest.py).

That is a throwaway cluster started from the installed server binaries, or the database named
by STEWARD_TEST_POSTGRES_URL; with neither, or without the `psycopg` driver, the tests skip.
The tests drop the store's tables before and after: never point the variable at a database
whose data matters. Example::

    STEWARD_TEST_POSTGRES_URL=postgresql+psycopg://steward@127.0.0.1/steward_test pytest tests/unit/store
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from steward.store import Store
from steward.store.tables import metadata
from tests.unit.store.conftest import ENVIRONMENT_VARIABLE
from tests.unit.store.scenario import KAFKA, UUID, first_scan, second_scan


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _driver() -> None:
    """Skip before any server starts when the driver is missing (dev extras install it)."""
    url = make_url(os.environ.get(ENVIRONMENT_VARIABLE) or "postgresql+psycopg://")
    try:
        url.get_dialect().import_dbapi()
    except ImportError as error:
        pytest.skip(f"no driver for {url.drivername} (pip install 'psycopg[binary]'): {error}")


@pytest.fixture
def store(_driver: None, postgres_url: str) -> Iterator[Store]:
    _drop_everything(postgres_url)
    with Store.open(postgres_url) as opened:
        yield opened
    _drop_everything(postgres_url)


def test_the_migration_creates_exactly_the_declared_schema(store: Store, postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert {"scans", "dependency_statuses", "findings", "alembic_version"} <= tables
    assert differences == []


def test_record_history_and_drift_agree_with_sqlite(store: Store) -> None:
    first, second = store.record(first_scan()), store.record(second_scan())
    history = store.history(10)
    assert [summary.id for summary in history] == [first, second]
    assert history[0].started_at == datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    assert (history[0].counts.libyears, history[1].counts.outdated) == (4.5, 4)
    drift = store.drift(first, second)
    assert [change.key[2] for change in drift.newly_outdated] == [UUID, "httpx"]
    assert [change.key[2] for change in drift.newly_current] == [KAFKA, "react"]
    assert store.statuses(first)[0].current_published == datetime(2023, 5, 1, 12, 0, tzinfo=UTC)


def test_opening_again_is_idempotent(store: Store, postgres_url: str) -> None:
    scan_id = store.record(first_scan())
    with Store.open(postgres_url) as again:
        assert [summary.id for summary in again.history()] == [scan_id]
