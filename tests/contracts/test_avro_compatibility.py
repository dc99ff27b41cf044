"""Avro reader/writer findings: rules, locations, lines and the reader/writer vocabulary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from steward.contracts import avro
from steward.contracts.findings import InvalidSchema, is_breaking


def rec(*fields: dict[str, Any], **extra: Any) -> str:
    return json.dumps(
        {"type": "record", "name": "Order", "fields": list(fields), **extra}, indent=2
    )


def rules_of(writer: str, reader: str) -> list[str]:
    return [f.rule for f in avro.check(writer, reader)]


def test_removing_a_field_without_default_breaks_when_the_old_schema_reads() -> None:
    old = rec({"name": "id", "type": "string"}, {"name": "qty", "type": "int"})
    new = rec({"name": "id", "type": "string"})
    # FORWARD: data written with the new schema, read with the old one.
    assert rules_of(writer=new, reader=old) == ["AVRO_READER_FIELD_WITHOUT_DEFAULT"]
    # BACKWARD: the new schema reads old data and ignores the field.
    assert rules_of(writer=old, reader=new) == ["AVRO_WRITER_FIELD_IGNORED"]


def test_findings_carry_path_line_location_and_categories() -> None:
    old = rec({"name": "id", "type": "string"})
    new = rec({"name": "id", "type": "string"}, {"name": "note", "type": "string"})
    (finding,) = avro.check(old, new, path="schemas/order.avsc")
    assert finding.path == "schemas/order.avsc"
    assert finding.location == "/fields/1"
    assert new.splitlines()[finding.line - 1].strip().startswith("{")
    assert new.splitlines()[finding.line].strip() == '"name": "note",'
    assert finding.breaking and finding.categories == ("WIRE", "DEFAULT")
    assert "Order.note" in finding.message


def test_locate_writer_points_into_the_writer_text() -> None:
    old = rec({"name": "id", "type": "string"}, {"name": "qty", "type": "int"})
    new = rec({"name": "id", "type": "string"})
    (finding,) = avro.check(old, new, locate="writer")
    assert finding.rule == "AVRO_WRITER_FIELD_IGNORED"
    assert finding.location == "/fields/1"


def test_an_invalid_locate_is_rejected() -> None:
    with pytest.raises(ValueError, match="locate"):
        avro.check('"int"', '"int"', locate="both")


def test_a_default_that_does_not_match_its_union_first_branch_breaks() -> None:
    writer = rec({"name": "id", "type": "string"})
    reader = rec(
        {"name": "id", "type": "string"}, {"name": "n", "type": ["null", "int"], "default": 3}
    )
    assert rules_of(writer, reader) == ["AVRO_READER_FIELD_INVALID_DEFAULT"]


@pytest.mark.parametrize(
    ("field_type", "default"),
    [
        ("int", 2**31),
        ("long", 1.5),
        ("boolean", 0),
        ("bytes", "\u0100"),
        ({"type": "fixed", "name": "F", "size": 2}, "abc"),
        ({"type": "enum", "name": "E", "symbols": ["A"]}, "B"),
        ({"type": "array", "items": "int"}, ["x"]),
        ({"type": "map", "values": "int"}, {"k": "v"}),
        ({"type": "record", "name": "In", "fields": [{"name": "x", "type": "int"}]}, {}),
    ],
)
def test_defaults_of_the_wrong_shape_are_invalid(field_type: Any, default: Any) -> None:
    writer = rec({"name": "id", "type": "string"})
    reader = rec(
        {"name": "id", "type": "string"}, {"name": "n", "type": field_type, "default": default}
    )
    assert "AVRO_READER_FIELD_INVALID_DEFAULT" in rules_of(writer, reader)


def test_valid_defaults_of_every_shape_are_used() -> None:
    writer = rec({"name": "id", "type": "string"})
    fields: list[dict[str, Any]] = [
        {"name": "a", "type": "double", "default": 1},
        {"name": "b", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "\u00ff\u0000"},
        {
            "name": "c",
            "type": {
                "type": "record",
                "name": "In",
                "fields": [{"name": "x", "type": "int", "default": 0}],
            },
            "default": {},
        },
        {"name": "d", "type": ["string", "null"], "default": "x"},
    ]
    reader = rec({"name": "id", "type": "string"}, *fields)
    assert rules_of(writer, reader) == ["AVRO_READER_FIELD_DEFAULT_USED"] * 4


def test_a_record_renamed_with_a_namespaced_alias_still_matches() -> None:
    writer = json.dumps({"type": "record", "name": "Order", "namespace": "shop", "fields": []})
    reader = json.dumps(
        {
            "type": "record",
            "name": "Purchase",
            "namespace": "shop",
            "aliases": ["Order"],
            "fields": [],
        }
    )
    assert rules_of(writer, reader) == []
    other = json.dumps(
        {
            "type": "record",
            "name": "Purchase",
            "namespace": "shop",
            "aliases": ["other.Order"],
            "fields": [],
        }
    )
    assert rules_of(writer, other) == ["AVRO_NAME_MISMATCH"]


def test_a_reader_union_prefers_the_exact_branch_over_a_promotion() -> None:
    findings = avro.check('"int"', '["long", "int"]')
    assert findings == []
    assert rules_of('"int"', '["null", "long"]') == ["AVRO_TYPE_PROMOTED"]


def test_a_nested_change_is_reported_inside_the_named_type_once() -> None:
    inner = {"type": "record", "name": "Money", "fields": [{"name": "units", "type": "long"}]}
    inner_int = {"type": "record", "name": "Money", "fields": [{"name": "units", "type": "int"}]}
    writer = rec({"name": "a", "type": inner}, {"name": "b", "type": "Money"})
    reader = rec({"name": "a", "type": inner_int}, {"name": "b", "type": "Money"})
    findings = avro.check(writer, reader)
    assert [(f.rule, f.location) for f in findings] == [
        ("AVRO_TYPE_MISMATCH", "/fields/0/type/fields/0/type")
    ]


def test_logical_types_compare_as_the_readme_says() -> None:
    def decimal(precision: int, scale: int) -> str:
        return json.dumps(
            {"type": "bytes", "logicalType": "decimal", "precision": precision, "scale": scale}
        )

    assert rules_of(decimal(10, 2), decimal(12, 2)) == []
    assert rules_of(decimal(10, 2), decimal(9, 3)) == [
        "AVRO_DECIMAL_SCALE_CHANGED",
        "AVRO_DECIMAL_PRECISION_NARROWED",
    ]
    assert not is_breaking(avro.check(decimal(10, 2), '"bytes"'))


def test_check_rejects_invalid_text() -> None:
    with pytest.raises(InvalidSchema):
        avro.check("{", '"int"')
