"""JSON Schema: drafts, local $ref resolution, the compatibility rules and deprecations."""

from __future__ import annotations

import json
from typing import Any

import pytest

from steward.contracts import jsonschema
from steward.contracts.findings import InvalidSchema, is_breaking

D7 = "http://json-schema.org/draft-07/schema#"


def s(**keywords: Any) -> str:
    return json.dumps(keywords, indent=2)


def rules_of(writer: str, reader: str) -> list[str]:
    return [f.rule for f in jsonschema.check(writer, reader)]


def test_the_draft_is_told_by_schema_uri() -> None:
    assert jsonschema.parse(s(**{"$schema": D7})).draft == "draft7"
    assert jsonschema.parse(s()).draft == "2020-12"


@pytest.mark.parametrize(
    "ref", ["#/$defs/a~1b", "#/$defs/a%7E1b", "#thing", "urn:ex:root#/$defs/a~1b"]
)
def test_local_refs_resolve_by_pointer_anchor_and_root_id(ref: str) -> None:
    schema = jsonschema.parse(s(**{"$id": "urn:ex:root", "$defs": {"a/b": {"$anchor": "thing"}}}))
    assert schema.target(ref) == "/$defs/a~1b"


def test_an_external_ref_is_kept_and_compared_as_text() -> None:
    writer = s(properties={"a": {"$ref": "other.json#/x"}})
    reader = s(properties={"a": {"$ref": "other.json#/y"}})
    assert jsonschema.parse(reader).target("other.json#/y") is None
    assert rules_of(writer, reader) == ["JSONSCHEMA_UNCHECKED_KEYWORD_CHANGED"]
    assert rules_of(writer, writer) == []


def test_a_dangling_local_ref_is_invalid_with_its_line() -> None:
    with pytest.raises(InvalidSchema, match="points nowhere") as caught:
        jsonschema.parse('{\n "properties": {\n  "a": {"$ref": "#/$defs/missing"}}}', path="x.json")
    assert caught.value.line == 3


def test_a_change_behind_a_ref_is_found_at_the_definition() -> None:
    writer = s(properties={"a": {"$ref": "#/$defs/A"}}, **{"$defs": {"A": {"type": "number"}}})
    reader = s(properties={"a": {"$ref": "#/$defs/A"}}, **{"$defs": {"A": {"type": "integer"}}})
    (finding,) = jsonschema.check(writer, reader)
    assert finding.rule == "JSONSCHEMA_TYPE_NARROWED"
    assert finding.location == "/$defs/A/type"


def test_recursive_refs_terminate() -> None:
    tree = s(type="object", properties={"children": {"type": "array", "items": {"$ref": "#"}}})
    assert rules_of(tree, tree) == []


def test_an_all_of_that_refers_to_itself_terminates() -> None:
    loop = s(allOf=[{"$ref": "#"}], type="object")
    assert rules_of(loop, loop) == []


def test_draft7_ref_ignores_siblings_but_2020_applies_them() -> None:
    defs = {"A": {"type": "string"}}
    for draft, expected in (
        (D7, []),
        ("https://json-schema.org/draft/2020-12/schema", ["JSONSCHEMA_LENGTH_RANGE_NARROWED"]),
    ):
        writer = s(
            **{
                "$schema": draft,
                "definitions": defs,
                "properties": {"a": {"$ref": "#/definitions/A"}},
            }
        )
        reader = s(
            **{
                "$schema": draft,
                "definitions": defs,
                "properties": {"a": {"$ref": "#/definitions/A", "maxLength": 3}},
            }
        )
        assert rules_of(writer, reader) == expected


def test_adding_a_property_to_a_partially_open_model_is_checked_against_its_schema() -> None:
    writer = s(type="object", additionalProperties={"type": "string"})
    assert (
        rules_of(
            writer,
            s(
                type="object",
                properties={"a": {"type": "string"}},
                additionalProperties={"type": "string"},
            ),
        )
        == []
    )
    narrowed = s(
        type="object",
        properties={"a": {"type": "integer"}},
        additionalProperties={"type": "string"},
    )
    assert rules_of(writer, narrowed) == ["JSONSCHEMA_TYPE_NARROWED"]


def test_removing_a_property_from_a_partially_open_model_checks_the_model() -> None:
    writer = s(
        type="object",
        properties={"a": {"type": "integer"}},
        additionalProperties={"type": "integer"},
    )
    assert rules_of(writer, s(type="object", additionalProperties={"type": "number"})) == [
        "JSONSCHEMA_TYPE_WIDENED",
        "JSONSCHEMA_TYPE_WIDENED",
    ]
    assert is_breaking(
        jsonschema.check(writer, s(type="object", additionalProperties={"type": "string"}))
    )


def test_pattern_properties_cover_names_they_match() -> None:
    writer = s(
        type="object",
        properties={"x_a": {"type": "string"}},
        patternProperties={"^x_": {"type": "string"}},
        additionalProperties=False,
    )
    reader = s(
        type="object", patternProperties={"^x_": {"type": "string"}}, additionalProperties=False
    )
    assert not is_breaking(jsonschema.check(writer, reader))


def test_integer_is_a_number_and_types_are_sets() -> None:
    assert rules_of(s(type="integer"), s(type="number")) == ["JSONSCHEMA_TYPE_WIDENED"]
    assert rules_of(s(type=["string", "null"]), s(type="string")) == ["JSONSCHEMA_TYPE_NARROWED"]
    assert rules_of(s(), s(type="string")) == ["JSONSCHEMA_TYPE_NARROWED"]


def test_enum_values_compare_as_json_values() -> None:
    assert rules_of(s(enum=[1, "a"]), s(enum=["a", 1.0])) == []
    assert rules_of(s(enum=[True]), s(enum=[1])) == [
        "JSONSCHEMA_ENUM_VALUE_REMOVED",
        "JSONSCHEMA_ENUM_VALUE_ADDED",
    ]


def test_const_that_matches_every_allowed_value_is_fine() -> None:
    assert rules_of(s(enum=["order"]), s(const="order")) == []


@pytest.mark.parametrize(
    ("writer", "reader", "breaking"),
    [
        ({"minimum": 0}, {"exclusiveMinimum": 0}, True),
        ({"exclusiveMinimum": 0}, {"minimum": 0}, False),
        ({"maximum": 10}, {"maximum": 11}, False),
        ({}, {"maximum": 11}, True),
        ({"multipleOf": 4}, {"multipleOf": 2}, False),
        ({"multipleOf": 2}, {"multipleOf": 4}, True),
        ({"multipleOf": 0.5}, {"multipleOf": 0.25}, False),
    ],
)
def test_number_bounds_may_only_relax(
    writer: dict[str, Any], reader: dict[str, Any], breaking: bool
) -> None:
    findings = jsonschema.check(s(type="number", **writer), s(type="number", **reader))
    assert is_breaking(findings) is breaking


def test_constraints_only_matter_for_types_the_writer_writes() -> None:
    assert rules_of(s(type="string"), s(type="string", minimum=3)) == []
    assert rules_of(s(type="integer"), s(type="integer", maxLength=3)) == []


def test_tuples_compare_position_by_position_in_both_drafts() -> None:
    draft7 = s(**{"$schema": D7}, type="array", items=[{"type": "string"}, {"type": "integer"}])
    draft7_narrow = s(
        **{"$schema": D7},
        type="array",
        items=[{"type": "string"}, {"type": "integer"}],
        additionalItems=False,
    )
    assert rules_of(draft7, draft7_narrow) == ["JSONSCHEMA_TYPE_NARROWED"]
    new = s(type="array", prefixItems=[{"type": "string"}], items={"type": "integer"})
    new_narrow = s(
        type="array",
        prefixItems=[{"type": "string"}, {"type": "string"}],
        items={"type": "integer"},
    )
    (finding,) = jsonschema.check(new, new_narrow)
    assert finding.rule == "JSONSCHEMA_TYPE_NARROWED" and finding.location == "/prefixItems/1/type"


def test_any_of_branches_are_matched_to_each_writer_branch() -> None:
    writer = s(anyOf=[{"type": "string"}, {"type": "integer"}])
    assert rules_of(writer, s(anyOf=[{"type": "integer"}, {"type": "string"}])) == []
    assert rules_of(writer, s(type="string")) == ["JSONSCHEMA_TYPE_NARROWED"]
    assert rules_of(s(type="integer"), s(oneOf=[{"type": "string"}, {"type": "number"}])) == [
        "JSONSCHEMA_TYPE_WIDENED"
    ]


def test_all_of_is_flattened() -> None:
    writer = s(allOf=[{"type": "object"}, {"properties": {"a": {"type": "string"}}}])
    reader = s(
        allOf=[{"type": "object"}, {"properties": {"a": {"type": "string"}}, "required": ["a"]}]
    )
    assert rules_of(writer, reader) == ["JSONSCHEMA_REQUIRED_ADDED"]


def test_boolean_schemas() -> None:
    assert rules_of("true", "false") == ["JSONSCHEMA_TYPE_NARROWED"]
    assert rules_of("false", "false") == []
    assert rules_of(s(type="string"), "true") == []


def test_annotations_never_matter() -> None:
    writer = s(type="string", title="A", description="x", examples=["a"])
    assert rules_of(writer, s(type="string", title="B", default="b", deprecated=True)) == []


def test_deprecations_are_listed_with_lines_and_notes() -> None:
    text = '{\n "properties": {\n  "old": {"type": "string", "deprecated": true, "description": "use new"},\n  "deprecated": true\n }\n}'
    found = jsonschema.deprecations(text)
    assert [(d.location, d.line, d.note) for d in found] == [("/properties/old", 3, "use new")]


def test_invalid_texts_are_rejected() -> None:
    with pytest.raises(InvalidSchema, match="not JSON"):
        jsonschema.parse("{")
    with pytest.raises(InvalidSchema, match="object or a boolean"):
        jsonschema.parse("[]")
