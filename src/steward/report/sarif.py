"""The dependency scan as SARIF 2.1.0, for code-scanning annotations on the manifest lines.

Pure: a `ScanView` in, a JSON-ready dict (`to_sarif`) or text (`render_sarif`) out. One run, one
result per finding (`steward.analysis.findings`), located at the manifest file and line that
declares the dependency (paths relative to the scanned root, ``uriBaseId`` ``SRCROOT``). An
outdated dependency's result carries the update's risk, its reasons and its evidence in the
message and in ``properties``; what could not be checked is a tool notification.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from typing import Any

from steward import __version__
from steward.analysis.findings import findings_of
from steward.model import DependencyStatus, Finding, Severity
from steward.report.document import ScanView, evidence_dict

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
#: One line per rule of `steward.analysis.findings`, for the SARIF rule descriptions.
RULES = {
    "outdated-major": "A newer major release exists",
    "outdated-minor": "A newer minor release exists",
    "outdated-patch": "A newer patch (or pre/post) release exists",
    "current-yanked": "The version in use was yanked",
    "current-retracted": "The version in use was retracted by its author",
    "current-deprecated": "The version in use, or the whole package, is deprecated",
    "vulnerable": "The version in use is affected by known advisories",
    "not-checked": "The dependency could not be looked up",
    "malformed-manifest": "A manifest or lock file could not be read",
}


def render_sarif(view: ScanView) -> str:
    """The SARIF log as indented JSON text."""
    return json.dumps(to_sarif(view), indent=2, ensure_ascii=False) + "\n"


def to_sarif(view: ScanView) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the rules met and one result per finding."""
    pairs: list[tuple[Finding, DependencyStatus | None]] = []
    for status in view.statuses:
        pairs += [(f, status) for f in findings_of([status], ())]
    pairs += [(f, None) for f in findings_of((), view.problems)]
    used = list(dict.fromkeys(f.rule for f, _ in pairs))
    index = {rule: n for n, rule in enumerate(used)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "steward",
                "version": __version__,
                "rules": [_rule(rule) for rule in used],
            }
        },
        "results": [_result(f, s, index[f.rule]) for f, s in pairs],
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": _notifications(view),
            }
        ],
    }
    if PurePath(view.root).is_absolute():
        uri = PurePath(view.root).as_posix().rstrip("/") + "/"
        run["originalUriBaseIds"] = {"SRCROOT": {"uri": f"file://{uri}"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule_id: str) -> dict[str, Any]:
    text = RULES.get(rule_id, rule_id)
    return {
        "id": rule_id,
        "name": "".join(part.title() for part in rule_id.split("-")),
        "shortDescription": {"text": text},
        "properties": {"tags": ["dependencies"]},
    }


def _result(finding: Finding, status: DependencyStatus | None, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file, "uriBaseId": "SRCROOT"}}
    if finding.line > 0:
        physical["region"] = {"startLine": finding.line}
    properties: dict[str, Any] = {"severity": finding.severity.value, "subject": finding.subject}
    if finding.service:
        properties["service"] = finding.service
    message = finding.message
    if status is not None and status.risk and finding.rule.startswith("outdated-"):
        properties |= {
            "risk": status.risk,
            "risk_reasons": list(status.risk_reasons),
            "evidence": [evidence_dict(e) for e in status.evidence],
        }
        breaking = [e.summary for e in status.evidence if e.breaking]
        message += f" (risk {status.risk}" + (f": {'; '.join(breaking)})" if breaking else ")")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {"stewardFinding/v1": _fingerprint(finding)},
        "properties": properties,
    }
    if finding.remedy is not None:
        r = finding.remedy
        properties["remedy"] = {
            "from": r.from_version,
            "to": r.to_version,
            "update_type": r.update_type.value,
        }
    return result


def _fingerprint(finding: Finding) -> str:
    """Stable across scans: the rule, the subject, the service and the file (not the line)."""
    key = "\x1f".join((finding.rule, finding.subject, finding.service, finding.file))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _notifications(view: ScanView) -> list[dict[str, Any]]:
    notes = [
        f"{ecosystem}: {source}"
        for ecosystem, source in sorted(view.sources.items())
        if source.startswith("not checked")
    ]
    if view.advisories and view.advisories.startswith("not checked"):
        notes.append(f"advisories: {view.advisories}")
    return [{"level": "warning", "message": {"text": note}} for note in notes]
