"""Avro (``.avsc``) contracts: parsing, reader/writer compatibility and deprecation markers.

`check` compares a writer schema with a reader schema under the Avro specification's
schema-resolution rules (plus the extra rules in `rules.RULES` marked †); `parse` and `parse_set`
read schemas, including named types shared across files; `deprecations` lists deprecated fields
and types.
"""

from __future__ import annotations

from steward.contracts.avro.compatibility import check, check_schemas, compatible
from steward.contracts.avro.parse import AvroSchema, deprecations, parse, parse_set
from steward.contracts.avro.rules import RULES

__all__ = [
    "RULES",
    "AvroSchema",
    "check",
    "check_schemas",
    "compatible",
    "deprecations",
    "parse",
    "parse_set",
]
