"""Scan history: store each scan under ``<root>/.steward/`` and report drift over time.

The store (SQLAlchemy, Alembic) is imported only here, inside the functions, so commands that
never store a scan never load it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from steward.analysis.findings import findings_of
from steward.scan import ScanResult


def database(root: Path) -> Path:
    """Where a tree's scan history lives."""
    return root / ".steward" / "steward.db"


def record_scan(result: ScanResult) -> int:
    """Store ``result`` in its tree's history; return the new scan's id."""
    from steward.store import ScanRecord, Store

    record = ScanRecord(
        started=result.started,
        finished=result.finished or datetime.now(UTC),
        root=str(result.root),
        version=result.version,
        statuses=result.statuses,
        findings=findings_of(result.statuses, result.problems),
        problems=result.problems,
    )
    with Store.open(database(result.root)) as store:
        return store.record(record)


def history_report(root: Path, limit: int, fmt: str) -> str:
    """The last ``limit`` scans of ``root`` with deltas and the latest drift, in ``fmt``."""
    from steward.store import history_report as render_history

    return render_history(database(root), limit, fmt)
