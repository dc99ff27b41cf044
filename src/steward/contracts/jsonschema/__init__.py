"""JSON Schema contracts (draft 7 and 2020-12): parsing, compatibility and deprecation markers.

`check` compares a writer schema with a reader schema and reports, by the rules in
`rules.RULES`, where the reader may reject a document the writer allows; `deprecations` lists
subschemas marked ``"deprecated": true``.
"""

from __future__ import annotations

from steward.contracts.jsonschema.compatibility import check, check_schemas
from steward.contracts.jsonschema.parse import JsonSchema, deprecations, parse
from steward.contracts.jsonschema.rules import RULES

__all__ = ["RULES", "JsonSchema", "check", "check_schemas", "deprecations", "parse"]
