"""`Store`: scan history in SQLite (embedded default) or PostgreSQL (a team server).

Errors, all raised from SQLAlchemy's where they enter::

    StoreError                      the database could not be used (or its schema is newer)
    ├── InvalidStoreTarget(ValueError)  neither a path nor a database URL SQLAlchemy knows
    └── UnknownScan(LookupError)        no scan has that id

Messages name the database with its password hidden.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from alembic.util import CommandError
from sqlalchemy import Connection, Engine, Row, RowMapping, create_engine, event, insert, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from steward.history_model import Drift, ScanCounts, ScanSummary, StoredStatus, compare, count
from steward.model import DependencyStatus, Finding, Problem, Severity, UpdateType
from steward.store import migrations
from steward.store.tables import NaiveDatetimeError, dependency_statuses, findings, scans

__all__ = [
    "InvalidStoreTarget",
    "NaiveDatetimeError",
    "ScanRecord",
    "Store",
    "StoreError",
    "UnknownScan",
]


class StoreError(Exception):
    """The scan history could not be read or written."""


class InvalidStoreTarget(StoreError, ValueError):
    """What was given as the store is neither a file path nor a database URL."""


class UnknownScan(StoreError, LookupError):
    """No stored scan has the id asked for."""


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """One finished scan as the store takes it: when, where, by which Steward, and what it found.

    Times must be time-zone aware (else `NaiveDatetimeError`); they are stored as UTC. ``problems`` are counted, not stored
    one by one (the findings carry what a reader needs about them).
    """

    started: datetime
    finished: datetime
    root: str
    version: str
    statuses: Sequence[DependencyStatus] = ()
    findings: Sequence[Finding] = ()
    problems: Sequence[Problem] = ()

    def __post_init__(self) -> None:
        for label, moment in (("started", self.started), ("finished", self.finished)):
            if moment.utcoffset() is None:
                raise NaiveDatetimeError(f"scan {label} time {moment.isoformat()} has no time zone")


class Store:
    """The scan history of one database; open it with `Store.open` and close it when done."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine``, whose schema must already be migrated; `Store.open` does both."""
        self._engine = engine

    @classmethod
    def open(cls, target: Path | str) -> Store:
        """Open (and create or migrate) the store at ``target``.

        A `Path` is an SQLite file, whose folder is created if missing (Steward uses
        ``<root>/.steward/steward.db``); a string is a SQLAlchemy URL such as
        ``postgresql+psycopg://user@host/steward``.
        """
        engine = _engine(_url(target))
        store = cls(engine)
        try:
            with store._translated(), engine.begin() as connection:
                migrations.upgrade(connection)
        except CommandError as error:
            engine.dispose()
            raise StoreError(f"{store.url}: cannot migrate the schema: {error}") from error
        except StoreError:
            engine.dispose()
            raise
        return store

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return self._engine.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release every pooled connection; call it once the store is no longer needed."""
        self._engine.dispose()

    def record(self, scan: ScanRecord) -> int:
        """Store ``scan`` and its rows in one transaction; return its new id."""
        with self._translated(), self._engine.begin() as connection:
            scan_id = self._insert_scan(connection, scan)
            _insert_many(connection, dependency_statuses, _status_rows(scan_id, scan.statuses))
            _insert_many(connection, findings, _finding_rows(scan_id, scan.findings))
        return scan_id

    def _insert_scan(self, connection: Connection, scan: ScanRecord) -> int:
        counts = count(scan.statuses, problems=len(scan.problems))
        key = connection.execute(insert(scans).values(_scan_row(scan, counts))).inserted_primary_key
        if key is None:
            raise StoreError(f"{self.url}: the database returned no id for the new scan")
        return int(key[0])

    def scans(self, limit: int = 20) -> list[ScanSummary]:
        """The ``limit`` most recent scans, newest first; ``limit`` must be at least 1."""
        if limit < 1:
            raise ValueError(f"a history limit must be at least 1, not {limit}")
        query = select(scans).order_by(scans.c.started_at.desc(), scans.c.id.desc()).limit(limit)
        with self._translated(), self._engine.connect() as connection:
            return [_summary(row) for row in connection.execute(query)]

    def history(self, limit: int = 20) -> list[ScanSummary]:
        """The ``limit`` most recent scans, oldest first: the order a history reads in."""
        return list(reversed(self.scans(limit)))

    def scan(self, scan_id: int) -> ScanSummary:
        """The scan with id ``scan_id``; raises `UnknownScan` if there is none."""
        with self._translated(), self._engine.connect() as connection:
            row = connection.execute(select(scans).where(scans.c.id == scan_id)).one_or_none()
        if row is None:
            raise UnknownScan(f"{self.url}: no scan with id {scan_id}")
        return _summary(row)

    def statuses(self, scan_id: int) -> list[StoredStatus]:
        """The dependency rows of scan ``scan_id`` in the order they were recorded."""
        self.scan(scan_id)
        query = (
            select(dependency_statuses)
            .where(dependency_statuses.c.scan_id == scan_id)
            .order_by(dependency_statuses.c.id)
        )
        with self._translated(), self._engine.connect() as connection:
            return [_stored_status(row) for row in connection.execute(query)]

    def findings(self, scan_id: int) -> list[Finding]:
        """The findings of scan ``scan_id`` (without evidence or remedy, which are not stored)."""
        self.scan(scan_id)
        query = select(findings).where(findings.c.scan_id == scan_id).order_by(findings.c.id)
        with self._translated(), self._engine.connect() as connection:
            return [_finding(row) for row in connection.execute(query)]

    def drift(self, previous_id: int, current_id: int) -> Drift:
        """What changed from scan ``previous_id`` to scan ``current_id``; see `compare`."""
        return compare(
            previous_id, self.statuses(previous_id), current_id, self.statuses(current_id)
        )

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as error:
            raise StoreError(f"{self.url}: {type(error).__name__}: {_first_line(error)}") from error


def _url(target: Path | str) -> URL:
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite+pysqlite", database=str(target))
    if "://" not in target:
        raise InvalidStoreTarget(f"not a database URL: {target!r} (pass a Path for a file)")
    try:
        return make_url(target)
    except ArgumentError as error:
        raise InvalidStoreTarget("not a database URL SQLAlchemy can parse") from error


def _engine(url: URL) -> Engine:
    try:
        engine = create_engine(url)
    except ImportError as error:
        hidden = url.render_as_string(hide_password=True)
        raise StoreError(f"{hidden}: no database driver installed ({error.name})") from error
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enforce_foreign_keys)
    return engine


def _enforce_foreign_keys(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _first_line(error: SQLAlchemyError) -> str:
    text = str(getattr(error, "orig", None) or error)
    return text.splitlines()[0] if text else ""


def _insert_many(connection: Connection, table: Any, rows: list[dict[str, object]]) -> None:
    if rows:
        connection.execute(insert(table), rows)


def _scan_row(scan: ScanRecord, counts: ScanCounts) -> dict[str, object]:
    return {
        "started_at": scan.started,
        "finished_at": scan.finished,
        "root": scan.root,
        "steward_version": scan.version,
        "dependencies": counts.dependencies,
        "outdated_major": counts.outdated_major,
        "outdated_minor": counts.outdated_minor,
        "outdated_patch": counts.outdated_patch,
        "outdated_other": counts.outdated_other,
        "not_checked": counts.not_checked,
        "problems": counts.problems,
        "libyears": counts.libyears,
    }


def _status_rows(scan_id: int, statuses: Sequence[DependencyStatus]) -> list[dict[str, object]]:
    return [
        {
            "scan_id": scan_id,
            "service": status.service,
            "ecosystem": status.dependency.ecosystem,
            "name": status.dependency.name,
            "file": status.dependency.file,
            "line": status.dependency.line,
            "dep_type": status.dependency.dep_type,
            "constraint": status.dependency.constraint,
            "current": status.current,
            "latest": status.latest,
            "update_type": status.update_type.value if status.update_type else None,
            "checked": status.checked,
            "not_checked_reason": status.not_checked_reason,
            "libyears": status.libyears,
            "current_published": status.current_published,
            "latest_published": status.latest_published,
        }
        for status in statuses
    ]


def _finding_rows(scan_id: int, items: Sequence[Finding]) -> list[dict[str, object]]:
    return [
        {
            "scan_id": scan_id,
            "rule": finding.rule,
            "severity": finding.severity.value,
            "subject": finding.subject,
            "service": finding.service,
            "file": finding.file,
            "line": finding.line,
            "message": finding.message,
        }
        for finding in items
    ]


def _summary(row: Row[Any]) -> ScanSummary:
    values: RowMapping = row._mapping
    return ScanSummary(
        id=values["id"],
        started_at=values["started_at"],
        finished_at=values["finished_at"],
        root=values["root"],
        version=values["steward_version"],
        counts=ScanCounts(
            dependencies=values["dependencies"],
            outdated_major=values["outdated_major"],
            outdated_minor=values["outdated_minor"],
            outdated_patch=values["outdated_patch"],
            outdated_other=values["outdated_other"],
            not_checked=values["not_checked"],
            problems=values["problems"],
            libyears=values["libyears"],
        ),
    )


def _stored_status(row: Row[Any]) -> StoredStatus:
    values: RowMapping = row._mapping
    update_type = values["update_type"]
    return StoredStatus(
        service=values["service"],
        ecosystem=values["ecosystem"],
        name=values["name"],
        file=values["file"],
        line=values["line"],
        dep_type=values["dep_type"],
        constraint=values["constraint"],
        checked=bool(values["checked"]),
        current=values["current"],
        latest=values["latest"],
        update_type=UpdateType(update_type) if update_type else None,
        not_checked_reason=values["not_checked_reason"],
        libyears=values["libyears"],
        current_published=values["current_published"],
        latest_published=values["latest_published"],
    )


def _finding(row: Row[Any]) -> Finding:
    values: RowMapping = row._mapping
    return Finding(
        rule=values["rule"],
        severity=Severity(values["severity"]),
        subject=values["subject"],
        message=values["message"],
        service=values["service"],
        file=values["file"],
        line=values["line"],
    )
