"""The store against real SQLite files: what is recorded is what is read back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from steward.history_model import ScanCounts, StoredStatus
from steward.model import UpdateType
from steward.store import (
    InvalidStoreTarget,
    NaiveDatetimeError,
    Store,
    StoreError,
    UnknownScan,
)
from tests.unit.store.scenario import (
    FIRST_FINDINGS,
    KAFKA,
    UUID,
    first_scan,
    second_scan,
    status,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "repo" / ".steward" / "steward.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def two_scans(store: Store) -> tuple[int, int]:
    return store.record(first_scan()), store.record(second_scan())


def test_open_creates_the_database_file_and_its_folder(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Store.open(db_path) as store:
        assert store.url == f"sqlite+pysqlite:///{db_path}"
    assert db_path.is_file()


def test_record_returns_increasing_ids(store: Store) -> None:
    first, second = store.record(first_scan()), store.record(second_scan())
    assert second > first


def test_history_lists_the_scans_oldest_first_with_their_counts(
    store: Store, two_scans: tuple[int, int]
) -> None:
    history = store.history(10)
    assert [summary.id for summary in history] == list(two_scans)
    assert [summary.version for summary in history] == ["0.1.0", "0.2.0"]
    assert history[0].counts == ScanCounts(
        dependencies=7,
        outdated_major=1,
        outdated_minor=1,
        outdated_patch=1,
        not_checked=1,
        problems=0,
        libyears=4.5,
    )
    assert history[1].counts == ScanCounts(
        dependencies=7, outdated_minor=3, outdated_patch=1, problems=1, libyears=3.0
    )


def test_history_keeps_only_the_most_recent_scans(store: Store, two_scans: tuple[int, int]) -> None:
    later = store.record(replace(second_scan(), started=datetime(2024, 3, 15, tzinfo=UTC)))
    assert [summary.id for summary in store.history(2)] == [two_scans[1], later]


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_refused(store: Store, limit: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        store.history(limit)


def test_scans_are_newest_first_by_start_time_not_by_id(store: Store) -> None:
    late = store.record(second_scan())
    early = store.record(first_scan())
    assert [summary.id for summary in store.scans(5)] == [late, early]
    assert [summary.id for summary in store.history(5)] == [early, late]


def test_times_come_back_as_the_same_instants_in_utc(store: Store) -> None:
    plus_two = timezone(timedelta(hours=2))
    started = datetime(2024, 3, 1, 11, 0, tzinfo=plus_two)
    scan_id = store.record(replace(first_scan(), started=started))
    summary = store.scan(scan_id)
    assert summary.started_at == started
    assert summary.started_at.tzinfo == UTC
    assert summary.started_at.hour == 9
    assert summary.finished_at == datetime(2024, 3, 1, 9, 2, 30, tzinfo=UTC)


def test_statuses_round_trip_every_stored_field(store: Store, two_scans: tuple[int, int]) -> None:
    rows = store.statuses(two_scans[0])
    assert len(rows) == 7
    assert rows[0] == StoredStatus(
        service="orders",
        ecosystem="go",
        name=KAFKA,
        file="orders/manifest",
        line=1,
        dep_type="prod",
        constraint="==v0.4.40",
        checked=True,
        current="v0.4.40",
        latest="v0.4.47",
        update_type=UpdateType.PATCH,
        libyears=0.75,
        current_published=datetime(2023, 5, 1, 12, 0, tzinfo=UTC),
        latest_published=datetime(2024, 2, 1, 8, 30, tzinfo=UTC),
    )
    left_pad = rows[5]
    assert (left_pad.name, left_pad.checked, left_pad.current) == ("left-pad", False, None)
    assert left_pad.not_checked_reason == "registry unavailable"


def test_findings_round_trip_without_evidence(store: Store, two_scans: tuple[int, int]) -> None:
    assert store.findings(two_scans[0]) == list(FIRST_FINDINGS)
    assert store.findings(two_scans[1]) == []


def test_drift_between_two_scans_lists_every_kind_of_change(
    store: Store, two_scans: tuple[int, int]
) -> None:
    drift = store.drift(*two_scans)
    assert (drift.previous_id, drift.current_id) == two_scans
    assert [change.key for change in drift.newly_outdated] == [
        ("orders", "go", UUID),
        ("payments", "pypi", "httpx"),
    ]
    assert [change.key for change in drift.newly_current] == [
        ("orders", "go", KAFKA),
        ("web", "npm", "react"),
    ]
    assert [
        (change.key[2], change.before.current, change.after.current)  # type: ignore[union-attr]
        for change in drift.version_changes
    ] == [(KAFKA, "v0.4.40", "v0.4.47"), ("react", "17.0.2", "18.3.1")]
    assert [change.key for change in drift.added] == [("payments", "pypi", "pydantic")]
    assert [change.key for change in drift.removed] == [("payments", "pypi", "six")]


def test_drift_of_a_scan_with_itself_is_empty(store: Store, two_scans: tuple[int, int]) -> None:
    assert store.drift(two_scans[1], two_scans[1]).empty


def test_drift_with_an_unknown_scan_is_refused(store: Store, two_scans: tuple[int, int]) -> None:
    with pytest.raises(UnknownScan, match="no scan with id 99"):
        store.drift(two_scans[0], 99)


def test_an_unknown_scan_is_a_lookup_error(store: Store) -> None:
    with pytest.raises(LookupError):
        store.scan(1)


def test_the_data_survives_reopening(db_path: Path) -> None:
    with Store.open(db_path) as store:
        scan_id = store.record(first_scan())
    with Store.open(db_path) as store:
        assert [summary.id for summary in store.history()] == [scan_id]
        assert len(store.statuses(scan_id)) == 7


def test_a_scan_without_rows_is_stored_with_zero_counts(store: Store) -> None:
    empty = replace(first_scan(), statuses=(), findings=())
    summary = store.scan(store.record(empty))
    assert summary.counts == ScanCounts()


def test_a_naive_scan_time_is_refused_before_anything_is_stored() -> None:
    with pytest.raises(NaiveDatetimeError, match="started time"):
        replace(first_scan(), started=datetime(2024, 3, 1, 9, 0))


def test_a_failing_row_leaves_no_trace_of_the_scan(store: Store) -> None:
    naive = replace(status("web", "npm", "react", "18.3.1"), current_published=datetime(2023, 1, 1))
    broken = replace(first_scan(), statuses=(*first_scan().statuses, naive))
    with pytest.raises(StoreError, match="has no time zone"):
        store.record(broken)
    assert store.scans() == []


def test_deleting_a_scan_deletes_its_rows(db_path: Path, two_scans: tuple[int, int]) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM scans WHERE id = ?", (two_scans[0],))
        orphans = connection.execute(
            "SELECT count(*) FROM dependency_statuses WHERE scan_id = ?", (two_scans[0],)
        ).fetchone()
        kept = connection.execute("SELECT count(*) FROM dependency_statuses").fetchone()
    assert (orphans[0], kept[0]) == (0, 7)


def test_rows_of_a_missing_scan_are_refused_by_the_database(store: Store) -> None:
    from sqlalchemy import insert

    from steward.store.tables import findings

    engine = store._engine
    with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as connection:
        connection.execute(
            insert(findings),
            [
                {
                    "scan_id": 42,
                    "rule": "r",
                    "severity": "low",
                    "subject": "s",
                    "service": "",
                    "file": "",
                    "line": 0,
                    "message": "m",
                }
            ],
        )


def test_a_database_from_a_newer_steward_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="cannot migrate the schema"):
        Store.open(db_path)


def test_a_string_that_is_not_a_url_is_refused() -> None:
    with pytest.raises(InvalidStoreTarget, match="not a database URL"):
        Store.open("steward.db")


def test_an_unreachable_database_is_a_store_error_without_its_password() -> None:
    with pytest.raises(StoreError) as raised:
        Store.open("postgresql+psycopg://steward:hunter2@127.0.0.1:9/steward")
    assert "hunter2" not in str(raised.value)
    assert "steward:***@127.0.0.1:9/steward" in str(raised.value)


def test_repr_names_the_database(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert repr(store) == f"Store('sqlite+pysqlite:///{db_path}')"


def test_update_types_are_stored_by_value(db_path: Path, store: Store) -> None:
    store.record(first_scan())
    with sqlite3.connect(db_path) as connection:
        kinds = connection.execute(
            "SELECT DISTINCT update_type FROM dependency_statuses ORDER BY 1"
        ).fetchall()
    assert kinds == [(None,), ("major",), ("minor",), ("patch",)]


def test_a_dependency_outdated_by_a_pre_release_counts_as_other(store: Store) -> None:
    row = status("web", "npm", "next", "14.0.0-rc.1", "14.0.0", UpdateType.OTHER, 0.1)
    summary = store.scan(store.record(replace(first_scan(), statuses=(row,))))
    assert (summary.counts.outdated_other, summary.counts.outdated) == (1, 1)
