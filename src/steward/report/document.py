"""The scan as one JSON-able document: the machine-readable contract (``--format json``).

The shape is versioned by ``schema_version`` and documented in ``docs/json-report.md``; fields are
only ever added. Every extracted dependency appears once in ``dependencies``, looked up or not.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from steward.analysis.findings import findings_of
from steward.analysis.freshness import age_days
from steward.model import (
    Dependency,
    DependencyStatus,
    Evidence,
    Finding,
    Problem,
    Service,
    Vulnerability,
)

SCHEMA_VERSION = "1.0"
_RISKS = ("low", "medium", "high")


@dataclass(frozen=True)
class ScanView:
    """What a renderer needs of a scan (the `steward.scan.ScanResult` fields, no I/O types)."""

    root: str
    version: str
    started: datetime
    services: Sequence[Service]
    dependencies: Sequence[tuple[str, Dependency]]
    problems: Sequence[Problem]
    statuses: Sequence[DependencyStatus]
    sources: dict[str, str]
    looked_up: bool
    #: Where advisories came from, or why they were not checked (None: not looked up).
    advisories: str | None = None


def render(view: ScanView, *, with_findings: bool = True) -> dict[str, Any]:
    """The JSON document for a scan, as one dict (see `write` for large scans)."""
    head, rows, findings = _parts(view, with_findings)
    document = {
        **head,
        "dependencies": list(rows),
        "problems": [_problem(p) for p in view.problems],
    }
    if findings is not None:
        document["findings"] = [_finding(f) for f in findings]
    return document


def write(view: ScanView, out: TextIO, *, with_findings: bool = True) -> None:
    """Write the JSON document to ``out`` one row per line, never holding it all in memory.

    The text parses to exactly `render`'s dict; a monorepo's 60,000 rows stream in constant
    memory and through the C encoder.
    """
    head, rows, findings = _parts(view, with_findings)
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {_dumps(value)},\n")
    _write_list(out, "dependencies", rows)
    tail: list[tuple[str, Iterable[dict[str, Any]]]] = [
        ("problems", (_problem(p) for p in view.problems))
    ]
    if findings is not None:
        tail.append(("findings", (_finding(f) for f in findings)))
    for key, items in tail:
        out.write(",\n")
        _write_list(out, key, items)
    out.write("\n}\n")


def _parts(
    view: ScanView, with_findings: bool
) -> tuple[dict[str, Any], Iterator[dict[str, Any]], list[Finding] | None]:
    by_dep = {id(s.dependency): s for s in view.statuses}
    rows = (_row(service, dep, by_dep.get(id(dep)), view) for service, dep in view.dependencies)
    findings = findings_of(view.statuses, view.problems) if with_findings else None
    head = {
        "schema_version": SCHEMA_VERSION,
        "steward_version": view.version,
        "root": view.root,
        "generated_at": view.started.isoformat(),
        "looked_up": view.looked_up,
        "registries": view.sources,
        "advisories": view.advisories,
        "summary": summary(view, findings),
        "services": [_service(s) for s in view.services],
    }
    return head, rows, findings


def _write_list(out: TextIO, key: str, items: Iterable[dict[str, Any]]) -> None:
    out.write(f"  {json.dumps(key)}: [")
    separator = "\n    "
    for item in items:
        out.write(separator + _dumps(item))
        separator = ",\n    "
    out.write("\n  ]" if separator != "\n    " else "]")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_dumps = _ENCODER.encode


def summary(view: ScanView, findings: Sequence[Finding] | None = None) -> dict[str, Any]:
    """Counts a person reads first: how many, how far behind, what could not be checked."""
    types = Counter(s.update_type.value for s in view.statuses if s.update_type)
    libyears = sum(s.libyears or 0.0 for s in view.statuses)
    return {
        "services": len(view.services),
        "dependencies": len(view.dependencies),
        "skipped": sum(1 for _, d in view.dependencies if d.skip_reason),
        "checked": sum(1 for s in view.statuses if s.checked),
        "not_checked": sum(1 for s in view.statuses if not s.checked),
        "outdated": sum(types.values()),
        "major": types.get("major", 0),
        "minor": types.get("minor", 0),
        "patch": types.get("patch", 0),
        "other": types.get("other", 0),
        "libyears": round(libyears, 2),
        "problems": len(view.problems),
        "vulnerable": sum(1 for s in view.statuses if s.advisories),
        "advisories": sum(len(s.advisories) for s in view.statuses),
        "with_evidence": sum(1 for s in view.statuses if any(e.breaking for e in s.evidence)),
        "risk": {level: sum(1 for s in view.statuses if s.risk == level) for level in _RISKS},
    } | ({} if findings is None else {"findings": len(findings)})


def _row(
    service: str, dep: Dependency, status: DependencyStatus | None, view: ScanView
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "service": service,
        "file": dep.file,
        "line": dep.line,
        "ecosystem": dep.ecosystem,
        "name": dep.name,
        "package": dep.package or dep.name,
        "constraint": dep.constraint,
        "locked": dep.locked,
        "lock_file": dep.lock_file,
        "dep_type": dep.dep_type,
        "skip_reason": dep.skip_reason,
        "notes": list(dep.notes),
    }
    if status is None:
        if view.looked_up and dep.skip_reason is None:
            row["checked"] = False
            row["not_checked_reason"] = "not looked up"
        return row
    if not status.checked and not status.advisories and not status.evidence:
        # Most rows of a large offline scan: the same empty answer, built once (fast path).
        row.update(_NOT_CHECKED)
        row["not_checked_reason"] = status.not_checked_reason
        row["latest"] = status.latest
        row["risk"] = status.risk
        row["risk_reasons"] = list(status.risk_reasons)
        return row
    row["checked"] = status.checked
    row["not_checked_reason"] = status.not_checked_reason
    row["current"] = status.current
    row["current_published"] = _iso(status.current_published)
    row["current_age_days"] = age_days(status.current_published, view.started)
    row["wanted"] = status.wanted
    row["latest"] = status.latest
    row["latest_published"] = _iso(status.latest_published)
    row["newest_patch"] = status.newest_patch
    row["newest_minor"] = status.newest_minor
    row["newest_major"] = status.newest_major
    row["update_type"] = status.update_type.value if status.update_type else None
    row["libyears"] = status.libyears
    row["flags"] = list(status.flags)
    row["advisories"] = [_advisory(v) for v in status.advisories]
    row["minimal_fix"] = status.minimal_fix
    row["minimal_fix_type"] = status.minimal_fix_type.value if status.minimal_fix_type else None
    row["evidence"] = [evidence_dict(e) for e in status.evidence]
    row["risk"] = status.risk
    row["risk_reasons"] = list(status.risk_reasons)
    return row


#: The looked-up fields of a row that could not be checked, in the contract's order.
_NOT_CHECKED: dict[str, Any] = {
    "checked": False,
    "not_checked_reason": None,
    "current": None,
    "current_published": None,
    "current_age_days": None,
    "wanted": None,
    "latest": None,
    "latest_published": None,
    "newest_patch": None,
    "newest_minor": None,
    "newest_major": None,
    "update_type": None,
    "libyears": None,
    "flags": [],
    "advisories": [],
    "minimal_fix": None,
    "minimal_fix_type": None,
    "evidence": [],
    "risk": None,
    "risk_reasons": [],
}


def evidence_dict(evidence: Evidence) -> dict[str, Any]:
    """One piece of breaking-change evidence as the JSON contract spells it."""
    return {
        "kind": evidence.kind.value,
        "source": evidence.source,
        "summary": evidence.summary,
        "detail": evidence.detail,
        "breaking": evidence.breaking,
    }


def _advisory(vulnerability: Vulnerability) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": vulnerability.id,
        "aliases": list(vulnerability.aliases),
        "severity": vulnerability.severity.value if vulnerability.severity else None,
        "score": vulnerability.score,
        "vector": vulnerability.vector,
        "summary": vulnerability.summary,
        "url": vulnerability.url,
        "fixed_in": list(vulnerability.fixed_in),
    }
    if vulnerability.imports:
        out["imports"] = [
            {"path": i.path, "symbols": list(i.symbols)} for i in vulnerability.imports
        ]
    return out


def _service(service: Service) -> dict[str, Any]:
    return {
        "name": service.name,
        "path": service.path,
        "owners": list(service.owners),
        "produces": list(service.produces),
        "consumes": list(service.consumes),
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "message": problem.message}


def _finding(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "subject": finding.subject,
        "service": finding.service,
        "file": finding.file,
        "line": finding.line,
        "message": finding.message,
        "evidence": list(finding.evidence),
    }
    if finding.remedy is not None:
        r = finding.remedy
        out["remedy"] = {
            "ecosystem": r.ecosystem,
            "name": r.name,
            "from": r.from_version,
            "to": r.to_version,
            "update_type": r.update_type.value,
        }
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
