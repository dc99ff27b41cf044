"""Arbitrary JSON never crashes the parsers or checkers: it is a schema or an `InvalidSchema`."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.contracts import avro, jsonschema
from steward.contracts.findings import InvalidSchema

KEYS = [
    "type",
    "name",
    "fields",
    "items",
    "values",
    "symbols",
    "size",
    "default",
    "aliases",
    "namespace",
    "logicalType",
    "precision",
    "scale",
    "properties",
    "required",
    "enum",
    "const",
    "additionalProperties",
    "anyOf",
    "oneOf",
    "allOf",
    "$ref",
    "minimum",
    "maxLength",
    "prefixItems",
    "pattern",
    "multipleOf",
    "record",
    "int",
    "string",
    "a",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2)
    | st.sampled_from(
        [
            "int",
            "long",
            "string",
            "record",
            "enum",
            "array",
            "map",
            "fixed",
            "null",
            "object",
            "number",
            "integer",
            "decimal",
            "R",
            "A",
            "#",
            "#/properties",
            "#/$defs/x",
        ]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=15,
)
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(JSON, JSON)
def test_avro_check_returns_findings_or_rejects(writer: Any, reader: Any) -> None:
    try:
        findings = avro.check(json.dumps(writer), json.dumps(reader))
    except InvalidSchema:
        return
    assert all(f.line >= 1 and f.rule in avro.RULES for f in findings)


@FUZZ
@given(JSON, JSON)
def test_jsonschema_check_returns_findings_or_rejects(writer: Any, reader: Any) -> None:
    try:
        findings = jsonschema.check(json.dumps(writer), json.dumps(reader))
    except InvalidSchema:
        return
    assert all(f.line >= 1 and f.rule in jsonschema.RULES for f in findings)
