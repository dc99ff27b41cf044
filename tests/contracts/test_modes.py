"""The seven Schema Registry modes over a version history."""

from __future__ import annotations

import json

import pytest

from steward.contracts.findings import is_breaking
from steward.contracts.modes import InvalidMode, Mode, check_history, parse_mode


def rec(*fields: str) -> str:
    spec = [
        {"name": n, "type": "string"}
        if not n.endswith("?")
        else {"name": n[:-1], "type": "string", "default": ""}
        for n in fields
    ]
    return json.dumps({"type": "record", "name": "Order", "fields": spec}, indent=2)


# v1 → v2 adds a required field (breaks BACKWARD against v1), v2 → v3 is a no-op copy.
V1, V2, V3 = rec("id"), rec("id", "note"), rec("id", "note")


def verdicts(versions: list[str]) -> dict[str, bool]:
    return {m.value: not is_breaking(check_history("avro", versions, m.value)) for m in Mode}


def test_adding_a_required_field_breaks_backward_but_not_forward() -> None:
    assert verdicts([V1, V2]) == {
        "NONE": True,
        "BACKWARD": False,
        "FORWARD": True,
        "FULL": False,
        "BACKWARD_TRANSITIVE": False,
        "FORWARD_TRANSITIVE": True,
        "FULL_TRANSITIVE": False,
    }


def test_transitive_modes_also_check_versions_before_the_latest() -> None:
    result = verdicts([V1, V2, V3])
    assert result["BACKWARD"] and result["FULL"]
    assert not result["BACKWARD_TRANSITIVE"] and not result["FULL_TRANSITIVE"]


def test_removing_a_field_without_default_breaks_forward() -> None:
    assert verdicts([rec("id", "note"), rec("id")])["FORWARD"] is False
    assert verdicts([rec("id", "note?"), rec("id")])["FULL"] is True


def test_findings_point_into_the_new_schema_and_name_the_version() -> None:
    findings = check_history("avro", [V1, V2, V3, V1], "FORWARD_TRANSITIVE", path="order.avsc")
    assert {f.path for f in findings} == {"order.avsc"}
    assert [f.message.split(":")[0] for f in findings if f.breaking] == [
        "forward against version 2",
        "forward against version 3",
    ]
    assert {f.location for f in findings if f.breaking} == {""}


def test_json_schema_histories_follow_confluent_directions() -> None:
    open_v1 = json.dumps({"type": "object", "properties": {"id": {"type": "string"}}})
    open_v2 = json.dumps(
        {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}}
    )
    assert is_breaking(check_history("jsonschema", [open_v1, open_v2], "BACKWARD"))
    assert not is_breaking(check_history("jsonschema", [open_v1, open_v2], "FORWARD"))


def test_a_single_version_or_none_mode_checks_nothing() -> None:
    assert check_history("avro", [V1], "FULL_TRANSITIVE") == []
    assert check_history("avro", [V1, "not even json"], "NONE") == []


def test_modes_are_read_case_insensitively_and_unknown_ones_rejected() -> None:
    assert parse_mode("full_transitive") is Mode.FULL_TRANSITIVE
    with pytest.raises(InvalidMode, match="unknown compatibility mode"):
        check_history("avro", [V1, V2], "SIDEWAYS")
    with pytest.raises(InvalidMode, match="unknown schema format"):
        check_history("protobuf", [V1, V2], "BACKWARD")
