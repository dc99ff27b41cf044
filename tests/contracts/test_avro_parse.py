"""Reading .avsc: named types, namespaces, references across files, aliases, logical types."""

from __future__ import annotations

import json
import re

import pytest

from steward.contracts import avro
from steward.contracts.avro.parse import NO_DEFAULT, Enum, Logical, Record, Ref
from steward.contracts.findings import InvalidSchema

NESTED = {
    "type": "record",
    "name": "Order",
    "namespace": "shop",
    "aliases": ["Purchase"],
    "fields": [
        {
            "name": "customer",
            "type": {
                "type": "record",
                "name": "Customer",
                "fields": [{"name": "id", "type": "string"}],
            },
        },
        {"name": "billing", "type": "Customer"},
        {
            "name": "audit",
            "type": {
                "type": "record",
                "name": "common.Audit",
                "fields": [{"name": "by", "type": "Who"}, {"name": "who2", "type": "common.Who"}],
            },
        },
        {
            "name": "status",
            "type": {"type": "enum", "name": "Status", "namespace": "shop.s", "symbols": ["A"]},
            "aliases": ["state"],
        },
    ],
}
WHO = {"type": "enum", "name": "Who", "namespace": "common", "symbols": ["SYSTEM"]}


def test_names_take_the_enclosing_namespace_unless_dotted_or_explicit() -> None:
    schema = avro.parse_set({"who.avsc": json.dumps(WHO), "order.avsc": json.dumps(NESTED)})[
        "order.avsc"
    ]
    assert {"shop.Order", "shop.Customer", "common.Audit", "shop.s.Status", "common.Who"} <= set(
        schema.names
    )


def test_an_unqualified_reference_resolves_in_the_enclosing_namespace() -> None:
    schema = avro.parse_set({"who.avsc": json.dumps(WHO), "order.avsc": json.dumps(NESTED)})[
        "order.avsc"
    ]
    order = schema.names["shop.Order"]
    assert isinstance(order, Record)
    assert order.fields[1].type == Ref("shop.Customer", "/fields/1/type")
    audit = schema.names["common.Audit"]
    assert isinstance(audit, Record)
    assert audit.fields[0].type.kind == "ref" and audit.fields[0].type.fullname == "common.Who"  # type: ignore[union-attr]


def test_references_across_files_work_in_any_order_and_keep_their_file() -> None:
    files = {"order.avsc": json.dumps(NESTED), "who.avsc": json.dumps(WHO)}
    schemas = avro.parse_set(files)
    assert schemas["order.avsc"].names["common.Who"].file == "who.avsc"


def test_a_reference_to_an_undefined_name_is_invalid() -> None:
    with pytest.raises(
        InvalidSchema, match=re.escape("unknown type 'Who' (no common.Who or Who is defined)")
    ):
        avro.parse(json.dumps(NESTED), path="order.avsc")


def test_aliases_of_named_types_are_qualified_and_field_aliases_kept() -> None:
    schema = avro.parse_set({"who.avsc": json.dumps(WHO), "order.avsc": json.dumps(NESTED)})[
        "order.avsc"
    ]
    order = schema.names["shop.Order"]
    assert isinstance(order, Record)
    assert order.aliases == frozenset({"shop.Purchase"})
    assert order.fields[3].aliases == ("state",)
    assert order.fields[0].default is NO_DEFAULT


def test_recursive_types_are_finite() -> None:
    node = {
        "type": "record",
        "name": "Node",
        "fields": [{"name": "next", "type": ["null", "Node"]}],
    }
    schema = avro.parse(json.dumps(node))
    assert schema.root == Ref("Node", "")


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ({"type": "int", "logicalType": "date"}, Logical("date")),
        ({"type": "long", "logicalType": "timestamp-micros"}, Logical("timestamp-micros")),
        (
            {"type": "bytes", "logicalType": "decimal", "precision": 5, "scale": 2},
            Logical("decimal", 5, 2),
        ),
        ({"type": "long", "logicalType": "date"}, None),
        ({"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 5}, None),
        ({"type": "string", "logicalType": "no-such-type"}, None),
    ],
)
def test_logical_types_are_read_and_invalid_ones_ignored(
    type_: dict[str, object], expected: Logical | None
) -> None:
    assert avro.parse(json.dumps(type_)).root.logical == expected  # type: ignore[union-attr]


def test_a_fixed_decimal_too_precise_for_its_size_is_ignored() -> None:
    ok = {"type": "fixed", "name": "D", "size": 4, "logicalType": "decimal", "precision": 9}
    too_big = {**ok, "precision": 10}
    assert avro.parse(json.dumps(ok)).names["D"].logical == Logical("decimal", 9, 0)  # type: ignore[union-attr]
    assert avro.parse(json.dumps(too_big)).names["D"].logical is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("{", "not JSON", 1),
        (
            '{"type": "record", "name": "R", "fields": [\n {"name": "a", "type": "int"},\n {"name": "a", "type": "int"}]}',
            "declared twice",
            3,
        ),
        ('["int", "int"]', "two branches of type int", 1),
        ('[["int"]]', "another union", 1),
        ('{"type": "enum", "name": "E", "symbols": ["A"], "default": "B"}', "not a symbol", 1),
        ('{"type": "record", "name": "9x", "fields": []}', "not a valid Avro name", 1),
        ('{"type": "record",\n "name": "R"}', 'missing "fields"', 1),
        (
            '{"type": "record", "name": "R", "fields": [\n {"name": "a", "type": "Nope"}]}',
            "unknown type",
            2,
        ),
    ],
)
def test_invalid_schemas_are_rejected_with_their_line(text: str, message: str, line: int) -> None:
    with pytest.raises(InvalidSchema, match=message) as caught:
        avro.parse(text, path="x.avsc")
    assert caught.value.line == line
    assert caught.value.path == "x.avsc"


def test_deprecations_come_from_the_flag_and_the_doc_convention() -> None:
    text = """{
  "type": "record", "name": "Order", "fields": [
    {"name": "a", "type": "int", "deprecated": true, "doc": "use b"},
    {"name": "b", "type": "int", "doc": "Deprecated: remove after 2025-01"},
    {"name": "c", "type": {"type": "enum", "name": "E", "symbols": ["X"], "deprecated": "gone in v3"}},
    {"name": "d", "type": "int", "doc": "not deprecated"}
  ]
}"""
    found = avro.deprecations(text, path="o.avsc")
    assert [(d.location, d.line, d.note) for d in found] == [
        ("/fields/0", 3, "use b"),
        ("/fields/1", 4, "Deprecated: remove after 2025-01"),
        ("/fields/2/type", 5, "gone in v3"),
    ]


def test_enum_default_is_kept_for_the_reader() -> None:
    schema = avro.parse('{"type": "enum", "name": "E", "symbols": ["A", "B"], "default": "B"}')
    enum = schema.names["E"]
    assert isinstance(enum, Enum) and enum.default == "B"
