"""Hypothesis strategies for Avro and JSON Schema texts, shared by the property tests."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

AVRO_PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
LOGICAL = [
    {"type": "int", "logicalType": "date"},
    {"type": "long", "logicalType": "timestamp-millis"},
    {"type": "long", "logicalType": "timestamp-micros"},
    {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2},
    {"type": "string", "logicalType": "uuid"},
]


@st.composite
def avro_types(draw: st.DrawFn, prefix: str, depth: int = 0) -> Any:
    choice = draw(st.integers(0, 7 if depth < 2 else 2))
    if choice <= 1:
        return draw(st.sampled_from(AVRO_PRIMITIVES))
    if choice == 2:
        return draw(st.sampled_from(LOGICAL))
    if choice == 3:
        return {"type": "array", "items": draw(avro_types(prefix + "a", depth + 1))}
    if choice == 4:
        return {"type": "map", "values": draw(avro_types(prefix + "m", depth + 1))}
    if choice == 5:
        branches = draw(
            st.lists(st.sampled_from(AVRO_PRIMITIVES), min_size=1, max_size=3, unique=True)
        )
        return branches
    if choice == 6:
        symbols = draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=5, unique=True))
        return {"type": "enum", "name": f"E{prefix}", "symbols": symbols}
    names = draw(st.lists(st.sampled_from("pqrs"), min_size=1, max_size=3, unique=True))
    fields = [{"name": n, "type": draw(avro_types(prefix + n, depth + 1))} for n in names]
    return {"type": "record", "name": f"R{prefix}", "fields": fields}


@st.composite
def avro_schemas(draw: st.DrawFn) -> str:
    """A record schema with up to five fields of any type, some with (valid) defaults."""
    names = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=5, unique=True))
    fields = []
    for name in names:
        field: dict[str, Any] = {"name": name, "type": draw(avro_types(name))}
        if field["type"] in ("int", "long") and draw(st.booleans()):
            field["default"] = 0
        fields.append(field)
    doc = {"type": "record", "name": "Event", "namespace": "gen", "fields": fields}
    return json.dumps(doc, indent=draw(st.sampled_from([None, 2])))


JSON_TYPES = ["string", "integer", "number", "boolean", "null"]


@st.composite
def json_nodes(draw: st.DrawFn, depth: int = 0) -> Any:
    choice = draw(st.integers(0, 6 if depth < 2 else 3))
    if choice == 0:
        return draw(st.booleans())
    if choice == 1:
        node: dict[str, Any] = {"type": draw(st.sampled_from(JSON_TYPES))}
        if node["type"] == "string" and draw(st.booleans()):
            node["maxLength"] = draw(st.integers(1, 50))
        if node["type"] in ("integer", "number") and draw(st.booleans()):
            node["minimum"] = draw(st.integers(-5, 5))
        return node
    if choice == 2:
        return {
            "enum": draw(
                st.lists(st.sampled_from(["a", "b", 1, None]), min_size=1, max_size=4, unique=True)
            )
        }
    if choice == 3:
        return {
            "type": draw(st.lists(st.sampled_from(JSON_TYPES), min_size=1, max_size=3, unique=True))
        }
    if choice == 4:
        return {
            "type": "array",
            "items": draw(json_nodes(depth + 1)),
            "minItems": draw(st.integers(0, 2)),
        }
    if choice == 5:
        return {"anyOf": draw(st.lists(json_nodes(depth + 1), min_size=1, max_size=3))}
    names = draw(st.lists(st.sampled_from("xyz"), max_size=3, unique=True))
    obj: dict[str, Any] = {
        "type": "object",
        "properties": {n: draw(json_nodes(depth + 1)) for n in names},
    }
    obj["required"] = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
    extra = draw(st.sampled_from([None, False, True, {"type": "string"}]))
    if extra is not None:
        obj["additionalProperties"] = extra
    return obj


@st.composite
def json_schemas(draw: st.DrawFn) -> str:
    """An object schema, sometimes with a ``$defs`` entry used through ``$ref``."""
    root = draw(json_nodes(1))
    document: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
    }
    document["properties"] = {"body": root, "shared": {"$ref": "#/$defs/shared"}}
    document["$defs"] = {"shared": draw(json_nodes(1))}
    return json.dumps(document, indent=draw(st.sampled_from([None, 2])))
