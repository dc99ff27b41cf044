"""SARIF 2.1.0 for the dependency scan: structure, locations on manifest lines, risk and evidence."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from steward.model import (
    Dependency,
    DependencyStatus,
    Evidence,
    EvidenceKind,
    Problem,
    Service,
    UpdateType,
)
from steward.report.document import ScanView, render
from steward.report.sarif import SARIF_SCHEMA, render_sarif, to_sarif

NOW = datetime(2026, 11, 27, tzinfo=UTC)
CHI = Dependency("go", "github.com/go-chi/chi/v5", "v5.0.10", "svc/go.mod", 6, "require", "v5.0.10")
GO_RAISED = Evidence(
    EvidenceKind.METADATA, "GO_DIRECTIVE_RAISED (go.mod)", "needs Go 1.23 (was go 1.14)"
)


def _view(root: str = "/repo") -> ScanView:
    status = DependencyStatus(
        CHI,
        "order-service",
        checked=True,
        current="v5.0.10",
        latest="v5.3.2",
        update_type=UpdateType.MINOR,
        evidence=(GO_RAISED,),
        risk="medium",
        risk_reasons=("minor update", "metadata evidence: needs Go 1.23 (was go 1.14)"),
    )
    broken = Problem("svc/package.json", 3, "invalid JSON")
    return ScanView(
        root=root,
        version="0",
        started=NOW,
        services=[Service("order-service", "svc")],
        dependencies=[("order-service", CHI)],
        problems=[broken],
        statuses=[status],
        sources={"go": "file:///mirror", "npm": "not checked: no registry configured"},
        looked_up=True,
    )


def test_sarif_log_structure() -> None:
    log = to_sarif(_view())
    assert log["$schema"] == SARIF_SCHEMA and log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["outdated-minor", "malformed-manifest"]
    assert run["originalUriBaseIds"] == {"SRCROOT": {"uri": "file:///repo/"}}
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert len(result["partialFingerprints"]["stewardFinding/v1"]) == 32
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == ["npm: not checked: no registry configured"]


def test_outdated_result_sits_on_the_manifest_line_with_risk_and_evidence() -> None:
    outdated = to_sarif(_view())["runs"][0]["results"][0]
    location = outdated["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "svc/go.mod", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 6},
    }
    assert outdated["level"] == "note"
    assert "(risk medium: needs Go 1.23 (was go 1.14))" in outdated["message"]["text"]
    properties = outdated["properties"]
    assert properties["risk"] == "medium"
    assert properties["evidence"][0]["kind"] == "metadata"
    assert properties["remedy"] == {"from": "v5.0.10", "to": "v5.3.2", "update_type": "minor"}


def test_unreadable_file_is_a_warning_at_its_line() -> None:
    problem = to_sarif(_view())["runs"][0]["results"][1]
    assert problem["ruleId"] == "malformed-manifest" and problem["level"] == "warning"
    assert problem["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_relative_root_has_no_base_uri_and_text_parses() -> None:
    log = json.loads(render_sarif(_view(root="examples/eventshop")))
    assert "originalUriBaseIds" not in log["runs"][0]


def test_json_contract_carries_evidence_and_risk() -> None:
    (row,) = render(_view())["dependencies"]
    assert row["risk"] == "medium"
    assert row["risk_reasons"][0] == "minor update"
    assert row["evidence"] == [
        {
            "kind": "metadata",
            "source": "GO_DIRECTIVE_RAISED (go.mod)",
            "summary": "needs Go 1.23 (was go 1.14)",
            "detail": "",
            "breaking": True,
        }
    ]
