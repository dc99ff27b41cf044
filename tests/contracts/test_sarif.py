"""SARIF 2.1.0 output: the structure the specification requires, and every finding placed."""

from __future__ import annotations

import json
from typing import Any

from steward.contracts.impact import Affected, Impacted
from steward.contracts.lifecycle import CONTRACT_ADDED, DEPRECATION_REMOVED_BEFORE_SUNSET, finding
from steward.contracts.report import ContractReport, render, to_sarif

LEVELS = {"none", "note", "warning", "error"}


def check_sarif(log: dict[str, Any]) -> None:
    """The SARIF 2.1.0 requirements our output must meet (sarif-schema-2.1.0, required keys)."""
    assert log["version"] == "2.1.0" and isinstance(log["runs"], list)
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        ids = [rule["id"] for rule in driver.get("rules", [])]
        assert len(ids) == len(set(ids))
        for rule in driver.get("rules", []):
            assert isinstance(rule["shortDescription"]["text"], str)
        for invocation in run.get("invocations", []):
            assert isinstance(invocation["executionSuccessful"], bool)
            for note in invocation.get("toolExecutionNotifications", []):
                assert isinstance(note["message"]["text"], str)
        for result in run["results"]:
            assert isinstance(result["message"]["text"], str) and result["message"]["text"]
            assert result.get("level", "warning") in LEVELS
            if "ruleIndex" in result:
                assert ids[result["ruleIndex"]] == result["ruleId"]
            for location in result.get("locations", []):
                physical = location["physicalLocation"]
                assert isinstance(physical["artifactLocation"]["uri"], str)
                if "region" in physical:
                    assert isinstance(physical["region"]["startLine"], int)
                    assert physical["region"]["startLine"] >= 1


def report() -> ContractReport:
    reached = (
        Affected("billing", ("@shop/billing",), ("consumer",), ("steward.toml: consumes x",)),
    )
    return ContractReport(
        (
            Impacted(
                finding(DEPRECATION_REMOVED_BEFORE_SUNSET, "a.avsc", 4, "/fields/1", "early"),
                "s",
                "@o",
                reached,
            ),
            Impacted(finding(CONTRACT_ADDED, "b.avsc", 0, "", "new"), "", ""),
            Impacted(
                finding(DEPRECATION_REMOVED_BEFORE_SUNSET, "c.avsc", 2, "", "early too"), "t", ""
            ),
        ),
        ("protobuf: not available",),
    )


def test_sarif_output_has_the_required_structure() -> None:
    log = json.loads(render(report(), "sarif"))
    check_sarif(log)


def test_each_rule_is_listed_once_and_results_point_to_it() -> None:
    run = to_sarif(report())["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        DEPRECATION_REMOVED_BEFORE_SUNSET,
        CONTRACT_ADDED,
    ]
    assert [r["ruleIndex"] for r in run["results"]] == [0, 1, 0]


def test_breaking_results_are_errors_with_their_line_and_affected_services() -> None:
    first, added, _ = to_sarif(report())["runs"][0]["results"]
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert "billing (consumer; @shop/billing)" in first["message"]["text"]
    assert first["properties"]["affected"][0]["service"] == "billing"
    assert added["level"] == "note" and "region" not in added["locations"][0]["physicalLocation"]


def test_what_was_not_checked_becomes_a_tool_notification() -> None:
    notes = to_sarif(report())["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "warning", "message": {"text": "protobuf: not available"}}]
