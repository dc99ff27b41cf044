"""Apache Avro's own checker as an oracle: our reader/writer verdicts must agree with it.

The corpus covers every resolution rule of the specification; `DIFFERENCES` lists the pairs where
we disagree on purpose (each one documented in src/steward/contracts/avro/README.md), and a
Hypothesis property checks agreement on generated pairs outside those areas.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.contracts import avro

schema_module = pytest.importorskip("avro.schema")
compatibility_module = pytest.importorskip("avro.compatibility")


def oracle_compatible(writer: str, reader: str) -> bool:
    checker = compatibility_module.ReaderWriterCompatibilityChecker()
    result = checker.get_compatibility(schema_module.parse(reader), schema_module.parse(writer))
    return bool(result.compatibility is compatibility_module.SchemaCompatibilityType.compatible)


def ours_compatible(writer: str, reader: str) -> bool:
    return avro.compatible(avro.parse(writer), avro.parse(reader))


def rec(*fields: dict[str, Any], name: str = "R", **extra: Any) -> str:
    return json.dumps({"type": "record", "name": name, "fields": list(fields), **extra})


def f(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


def enum(*symbols: str, name: str = "E", **extra: Any) -> dict[str, Any]:
    return {"type": "enum", "name": name, "symbols": list(symbols), **extra}


def fixed(size: int, name: str = "F", **extra: Any) -> dict[str, Any]:
    return {"type": "fixed", "name": name, "size": size, **extra}


def j(value: Any) -> str:
    return json.dumps(value)


LINKED = {
    "type": "record",
    "name": "Node",
    "fields": [f("value", "int"), f("next", ["null", "Node"])],
}
LINKED_LONG = {
    "type": "record",
    "name": "Node",
    "fields": [f("value", "long"), f("next", ["null", "Node"])],
}

#: (id, writer, reader, compatible) — every verdict here is the oracle's as well as ours.
CORPUS: list[tuple[str, str, str, bool]] = [
    ("same int", j("int"), j("int"), True),
    ("int read as long", j("int"), j("long"), True),
    ("long read as int", j("long"), j("int"), False),
    ("int read as float", j("int"), j("float"), True),
    ("int read as double", j("int"), j("double"), True),
    ("long read as float", j("long"), j("float"), True),
    ("long read as double", j("long"), j("double"), True),
    ("float read as double", j("float"), j("double"), True),
    ("double read as float", j("double"), j("float"), False),
    ("string read as bytes", j("string"), j("bytes"), True),
    ("bytes read as string", j("bytes"), j("string"), True),
    ("string read as int", j("string"), j("int"), False),
    ("boolean read as int", j("boolean"), j("int"), False),
    ("null read as null", j("null"), j("null"), True),
    (
        "array items promoted",
        j({"type": "array", "items": "int"}),
        j({"type": "array", "items": "long"}),
        True,
    ),
    (
        "array items narrowed",
        j({"type": "array", "items": "long"}),
        j({"type": "array", "items": "int"}),
        False,
    ),
    (
        "map values promoted",
        j({"type": "map", "values": "int"}),
        j({"type": "map", "values": "long"}),
        True,
    ),
    (
        "map values changed",
        j({"type": "map", "values": "string"}),
        j({"type": "map", "values": "int"}),
        False,
    ),
    (
        "array read as map",
        j({"type": "array", "items": "int"}),
        j({"type": "map", "values": "int"}),
        False,
    ),
    (
        "field added with default",
        rec(f("a", "int")),
        rec(f("a", "int"), f("b", "string", default="x")),
        True,
    ),
    (
        "field added without default",
        rec(f("a", "int")),
        rec(f("a", "int"), f("b", "string")),
        False,
    ),
    ("field removed", rec(f("a", "int"), f("b", "string")), rec(f("a", "int")), True),
    ("field renamed with alias", rec(f("a", "int")), rec(f("b", "int", aliases=["a"])), True),
    ("field renamed without alias", rec(f("a", "int")), rec(f("b", "int")), False),
    ("field type promoted", rec(f("a", "int")), rec(f("a", "long")), True),
    (
        "fields reordered",
        rec(f("a", "int"), f("b", "string")),
        rec(f("b", "string"), f("a", "int")),
        True,
    ),
    (
        "optional field added",
        rec(f("a", "int")),
        rec(f("a", "int"), f("b", ["null", "string"], default=None)),
        True,
    ),
    ("record renamed", rec(f("a", "int"), name="A"), rec(f("a", "int"), name="B"), False),
    (
        "record renamed with alias",
        rec(f("a", "int"), name="A"),
        rec(f("a", "int"), name="B", aliases=["A"]),
        True,
    ),
    (
        "namespace changed",
        rec(f("a", "int"), namespace="x"),
        rec(f("a", "int"), namespace="y"),
        True,
    ),
    ("enum symbol added by writer", j(enum("A", "B", "C")), j(enum("A", "B")), False),
    ("enum symbol added by reader", j(enum("A", "B")), j(enum("A", "B", "C")), True),
    ("enum with reader default", j(enum("A", "B", "C")), j(enum("A", "B", default="A")), True),
    ("enum renamed", j(enum("A", name="E1")), j(enum("A", name="E2")), False),
    ("fixed resized", j(fixed(16)), j(fixed(32)), False),
    ("fixed unchanged", j(fixed(16)), j(fixed(16)), True),
    ("fixed renamed", j(fixed(16, name="F1")), j(fixed(16, name="F2")), False),
    ("int read by optional int", j("int"), j(["null", "int"]), True),
    ("optional int read as int", j(["null", "int"]), j("int"), False),
    ("union branches promoted", j(["null", "int"]), j(["null", "long"]), True),
    ("union branch changed", j(["null", "string"]), j(["null", "int"]), False),
    ("union reordered", j(["int", "string"]), j(["string", "int"]), True),
    ("string read by union without it", j("string"), j(["null", "int"]), False),
    ("union branch dropped", j(["null", "int", "string"]), j(["null", "int"]), False),
    ("recursive type unchanged", j(LINKED), j(LINKED), True),
    ("recursive type promoted", j(LINKED), j(LINKED_LONG), True),
    ("recursive type narrowed", j(LINKED_LONG), j(LINKED), False),
    (
        "nested record gains a required field",
        rec(f("inner", {"type": "record", "name": "I", "fields": [f("x", "int")]})),
        rec(f("inner", {"type": "record", "name": "I", "fields": [f("x", "int"), f("y", "int")]})),
        False,
    ),
    (
        "union of records, one changed compatibly",
        j([{"type": "record", "name": "A", "fields": [f("x", "int")]}, "null"]),
        j([{"type": "record", "name": "A", "fields": [f("x", "long")]}, "null"]),
        True,
    ),
    (
        "logical type removed",
        j({"type": "long", "logicalType": "timestamp-millis"}),
        j("long"),
        True,
    ),
    (
        "default with a valid union value",
        rec(f("a", "int")),
        rec(f("a", "int"), f("b", ["null", "int"], default=None)),
        True,
    ),
]

#: (id, writer, reader, ours, oracle): deliberate differences, each explained in the README.
DIFFERENCES: list[tuple[str, str, str, bool, bool]] = [
    (
        "default not of the first union branch",
        rec(f("a", "int")),
        rec(f("a", "int"), f("b", ["null", "int"], default=3)),
        False,
        True,
    ),
    (
        "default of the wrong type",
        rec(f("a", "int")),
        rec(f("a", "int"), f("b", "int", default="oops")),
        False,
        True,
    ),
    (
        "timestamp-millis read as timestamp-micros",
        j({"type": "long", "logicalType": "timestamp-millis"}),
        j({"type": "long", "logicalType": "timestamp-micros"}),
        False,
        True,
    ),
    (
        "decimal scale changed",
        j({"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}),
        j({"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 3}),
        False,
        True,
    ),
    (
        "decimal precision narrowed",
        j({"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}),
        j({"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}),
        False,
        True,
    ),
    (
        "date read as timestamp-millis",
        j({"type": "int", "logicalType": "date"}),
        j({"type": "long", "logicalType": "timestamp-millis"}),
        False,
        True,
    ),
    (
        "unqualified alias in a namespace",
        rec(f("a", "int"), name="A", namespace="shop"),
        rec(f("a", "int"), name="B", namespace="shop", aliases=["A"]),
        True,
        False,
    ),
]


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) + len(DIFFERENCES) >= 40


@pytest.mark.parametrize(
    ("writer", "reader", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_verdict_agrees_with_apache_avro(writer: str, reader: str, expected: bool) -> None:
    assert oracle_compatible(writer, reader) is expected
    assert ours_compatible(writer, reader) is expected


@pytest.mark.parametrize(
    ("writer", "reader", "ours", "oracle"),
    [d[1:] for d in DIFFERENCES],
    ids=[d[0] for d in DIFFERENCES],
)
def test_deliberate_difference_from_apache_avro(
    writer: str, reader: str, ours: bool, oracle: bool
) -> None:
    assert oracle_compatible(writer, reader) is oracle
    assert ours_compatible(writer, reader) is ours


# Generated pairs: small records whose fields change type, gain or lose defaults, get renamed.
PRIMS = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
DEFAULTS: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "int": 1,
    "long": 2,
    "float": 1.5,
    "double": 2.5,
    "bytes": "ab",
    "string": "s",
}


@st.composite
def field_types(draw: st.DrawFn, prefix: str, depth: int = 0) -> Any:
    choice = draw(st.integers(0, 5 if depth < 2 else 1))
    if choice <= 1:
        return draw(st.sampled_from(PRIMS))
    if choice == 2:
        return {"type": "array", "items": draw(field_types(prefix, depth + 1))}
    if choice == 3:
        return {"type": "map", "values": draw(field_types(prefix, depth + 1))}
    if choice == 4:
        return draw(st.lists(st.sampled_from(PRIMS), min_size=1, max_size=3, unique=True))
    return {
        "type": "enum",
        "name": f"E{prefix}{depth}",
        "symbols": draw(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=4, unique=True)),
    }


def _default(field_type: Any) -> Any:
    if isinstance(field_type, str):
        return DEFAULTS[field_type]
    if isinstance(field_type, list):
        return _default(field_type[0])
    if field_type["type"] == "array":
        return []
    if field_type["type"] == "map":
        return {}
    return field_type["symbols"][0]


@st.composite
def records(draw: st.DrawFn) -> str:
    names = draw(
        st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=4, unique=True)
    )
    fields = []
    for name in names:
        field_type = draw(field_types(name))
        field: dict[str, Any] = {"name": name, "type": field_type}
        if draw(st.booleans()):
            field["default"] = _default(field_type)
        fields.append(field)
    return rec(*fields)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), records())
def test_generated_pairs_agree_with_apache_avro(writer: str, reader: str) -> None:
    assert ours_compatible(writer, reader) is oracle_compatible(writer, reader)
