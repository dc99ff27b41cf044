"""Two scans of a small system a week apart, with every kind of drift between them."""

from __future__ import annotations

from datetime import UTC, datetime

from steward.model import Dependency, DependencyStatus, Finding, Problem, Severity, UpdateType
from steward.store import ScanRecord

KAFKA = "github.com/segmentio/kafka-go"
UUID = "github.com/google/uuid"


def status(
    service: str,
    ecosystem: str,
    name: str,
    current: str | None,
    latest: str | None = None,
    update_type: UpdateType | None = None,
    libyears: float | None = None,
    *,
    checked: bool = True,
    file: str = "",
    line: int = 1,
) -> DependencyStatus:
    """A status with the facts the store keeps; unspecified ones get plain defaults."""
    dependency = Dependency(
        ecosystem=ecosystem,
        name=name,
        constraint=f"=={current}" if current else "",
        file=file or f"{service}/manifest",
        line=line,
        dep_type="prod",
    )
    return DependencyStatus(
        dependency=dependency,
        service=service,
        checked=checked,
        not_checked_reason=None if checked else "registry unavailable",
        current=current,
        latest=latest if latest is not None else (current if checked else None),
        update_type=update_type,
        libyears=libyears,
        current_published=datetime(2023, 5, 1, 12, 0, tzinfo=UTC) if current else None,
        latest_published=datetime(2024, 2, 1, 8, 30, tzinfo=UTC) if update_type else None,
    )


FIRST_STATUSES = (
    status("orders", "go", KAFKA, "v0.4.40", "v0.4.47", UpdateType.PATCH, 0.75),
    status("orders", "go", UUID, "v1.6.0"),
    status("payments", "pypi", "requests", "2.31.0", "2.32.3", UpdateType.MINOR, 1.25),
    status("payments", "pypi", "httpx", "0.27.0"),
    status("payments", "pypi", "six", "1.16.0"),
    status("web", "npm", "left-pad", None, checked=False),
    status("web", "npm", "react", "17.0.2", "18.3.1", UpdateType.MAJOR, 2.5),
)

SECOND_STATUSES = (
    status("orders", "go", KAFKA, "v0.4.47"),
    status("orders", "go", UUID, "v1.6.0", "v1.7.0", UpdateType.PATCH, 0.5),
    status("payments", "pypi", "requests", "2.31.0", "2.32.3", UpdateType.MINOR, 1.25),
    status("payments", "pypi", "httpx", "0.27.0", "0.28.1", UpdateType.MINOR, 0.25),
    status("payments", "pypi", "pydantic", "2.5.0", "2.9.2", UpdateType.MINOR, 1.0),
    status("web", "npm", "left-pad", "1.3.0"),
    status("web", "npm", "react", "18.3.1"),
)

FIRST_FINDINGS = (
    Finding("outdated", Severity.HIGH, "react", "react 17.0.2 → 18.3.1", "web", "web/manifest", 1),
    Finding("not-checked", Severity.LOW, "left-pad", "registry unavailable", "web", "web/manifest"),
)


def first_scan() -> ScanRecord:
    """The earlier scan: three outdated dependencies and one not checked."""
    return ScanRecord(
        started=datetime(2024, 3, 1, 9, 0, tzinfo=UTC),
        finished=datetime(2024, 3, 1, 9, 2, 30, tzinfo=UTC),
        root="/srv/eventshop",
        version="0.1.0",
        statuses=FIRST_STATUSES,
        findings=FIRST_FINDINGS,
    )


def second_scan() -> ScanRecord:
    """The later scan: two upgrades, two newly outdated, one added, one removed, one problem."""
    return ScanRecord(
        started=datetime(2024, 3, 8, 9, 0, tzinfo=UTC),
        finished=datetime(2024, 3, 8, 9, 1, tzinfo=UTC),
        root="/srv/eventshop",
        version="0.2.0",
        statuses=SECOND_STATUSES,
        problems=(Problem("web/package.json", 3, "unexpected token"),),
    )
