"""A schema as the contracts area passes it around: its path, its format and its text.

Plain data with no I/O, so that the pure analysis modules (`lifecycle`, `impact`, `report`) can
name it without importing `discover`, which reads the tree.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The schema formats, spelled as `steward.contracts.modes.FORMATS` spells them.
AVRO, JSONSCHEMA, PROTOBUF = "avro", "jsonschema", "protobuf"


@dataclass(frozen=True, slots=True)
class SchemaFile:
    """One schema: its POSIX path relative to the tree's root, its format and its text."""

    path: str
    format: str
    text: str
