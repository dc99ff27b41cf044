"""Freshness statuses and extraction problems → `Finding` objects, one shape for every area.

Rule IDs are stable and never reused:

==========================  ========  =================================================
rule                        severity  when
==========================  ========  =================================================
``outdated-major``          medium    a newer major release exists
``outdated-minor``          low       a newer minor release exists (same major)
``outdated-patch``          low       only a newer patch (or pre/post) release exists
``current-yanked``          high      the version in use was yanked (PyPI)
``current-retracted``       high      the version in use was retracted (Go)
``current-deprecated``      medium    the version or the whole package is deprecated (npm)
``vulnerable``              advisory  the version in use is affected by OSV advisories; remedy: minimal fix
``not-checked``             info      the lookup could not be made; never "up to date"
``malformed-manifest``      medium    a file could not be read; the rest of the scan went on
==========================  ========  =================================================
"""

from __future__ import annotations

from collections.abc import Iterable

from steward.analysis import vulnerabilities
from steward.model import (
    SEVERITY_ORDER,
    DependencyStatus,
    Finding,
    Problem,
    Severity,
    Update,
    UpdateType,
)

_OUTDATED = {
    UpdateType.MAJOR: ("outdated-major", Severity.MEDIUM),
    UpdateType.MINOR: ("outdated-minor", Severity.LOW),
    UpdateType.PATCH: ("outdated-patch", Severity.LOW),
    UpdateType.OTHER: ("outdated-patch", Severity.LOW),
}

_FLAGS = (
    ("yanked:", "current-yanked", Severity.HIGH),
    ("retracted:", "current-retracted", Severity.HIGH),
    ("deprecated:", "current-deprecated", Severity.MEDIUM),
    ("package deprecated:", "current-deprecated", Severity.MEDIUM),
)


def findings_of(statuses: Iterable[DependencyStatus], problems: Iterable[Problem]) -> list[Finding]:
    """Every finding of a dependency scan, in a stable order."""
    found: list[Finding] = []
    for status in statuses:
        found.extend(_of_status(status))
    found.extend(
        Finding("malformed-manifest", Severity.MEDIUM, p.file, p.message, file=p.file, line=p.line)
        for p in problems
    )
    return found


def at_least(findings: Iterable[Finding], threshold: Severity) -> list[Finding]:
    """The findings whose severity is ``threshold`` or worse."""
    floor = SEVERITY_ORDER.index(threshold)
    return [f for f in findings if SEVERITY_ORDER.index(f.severity) >= floor]


def _of_status(status: DependencyStatus) -> list[Finding]:
    dep = status.dependency
    subject = f"{dep.ecosystem}:{dep.lookup_name}"

    def finding(rule: str, severity: Severity, text: str, remedy: Update | None = None) -> Finding:
        return Finding(
            rule, severity, subject, text, status.service, dep.file, dep.line, remedy=remedy
        )

    if not status.checked:
        reason = status.not_checked_reason or "unknown reason"
        return [finding("not-checked", Severity.INFO, f"not checked: {reason}")]
    found: list[Finding] = []
    if status.update_type is not None and status.current and status.latest:
        rule, severity = _OUTDATED[status.update_type]
        remedy = Update(
            dep.ecosystem, dep.lookup_name, status.current, status.latest, status.update_type
        )
        text = f"{status.current} → {status.latest} ({status.update_type.value})"
        found.append(finding(rule, severity, text, remedy))
    found.extend(vulnerabilities.findings(status))
    for flag in status.flags:
        for prefix, rule, severity in _FLAGS:
            if flag.startswith(prefix):
                found.append(finding(rule, severity, flag))
                break
    return found
