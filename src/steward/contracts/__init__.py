"""Event contracts: schema formats, their compatibility rules and Schema Registry modes.

One package per format (`avro`, `jsonschema`), each with ``parse.py`` (text → schema),
``compatibility.py`` (writer + reader → `ContractFinding` list) and ``rules.py`` (the catalogue of
stable rule IDs). `modes` applies the seven Schema Registry compatibility modes to a version
history; `findings` holds the shapes every format shares; `jsonpos` maps JSON pointers to lines.
Everything here is pure: text in, findings out.
"""

from __future__ import annotations

from steward.contracts.findings import ContractFinding, Deprecation, InvalidSchema, Rule

__all__ = ["ContractFinding", "Deprecation", "InvalidSchema", "Rule"]
