"""Scan history: every scan's counts, dependency rows and findings, in SQLite or PostgreSQL.

An adapter around the pure core: it imports SQLAlchemy and Alembic, so the CLI imports it only
when a scan is stored or the history is read. `Store` is the database; `history_report` is the
whole ``steward history`` command short of printing.
"""

from __future__ import annotations

from pathlib import Path

from steward.history_model import Drift, ScanSummary
from steward.report.history import FORMATS, InvalidReportFormat, render
from steward.store.store import (
    InvalidStoreTarget,
    NaiveDatetimeError,
    ScanRecord,
    Store,
    StoreError,
    UnknownScan,
)

__all__ = [
    "InvalidReportFormat",
    "InvalidStoreTarget",
    "NaiveDatetimeError",
    "ScanRecord",
    "Store",
    "StoreError",
    "UnknownScan",
    "history_report",
]


def history_report(db_path: Path | str, limit: int = 10, fmt: str = "text") -> str:
    """The last ``limit`` scans with their deltas, and the drift between the latest two, in ``fmt``.

    ``fmt`` is one of ``text``, ``markdown`` or ``json`` (else `InvalidReportFormat`, raised before
    the database is touched). A store file that does not exist yet reads as an empty history and is
    not created. ``db_path`` may also be a database URL.
    """
    if fmt not in FORMATS:
        raise InvalidReportFormat(
            f"unknown history format {fmt!r}: use one of {', '.join(FORMATS)}"
        )
    if isinstance(db_path, Path) and not db_path.is_file():
        return render([], None, fmt)
    summaries, drift = _read(db_path, limit)
    return render(summaries, drift, fmt)


def _read(target: Path | str, limit: int) -> tuple[list[ScanSummary], Drift | None]:
    with Store.open(target) as store:
        summaries = store.history(limit)
        if len(summaries) < 2:
            return summaries, None
        return summaries, store.drift(summaries[-2].id, summaries[-1].id)
