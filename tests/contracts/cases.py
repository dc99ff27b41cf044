"""buf-style compatibility cases: ``tests/contracts/<format>/<RULE_ID>/{previous,current}/``.

Each side holds the schema under test (``schema.avsc`` or ``schema.json``) and, for Avro, any
files whose named types it uses. ``expected.json`` names the Schema Registry mode (the new schema
is ``current``) and every finding, in order, as ``{rule, path, line, breaking}``; lines point
into ``current``. Run ``STEWARD_UPDATE_GOLDEN=1 pytest tests/contracts`` to rewrite them, then
read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from steward.contracts import avro, jsonschema
from steward.contracts.findings import ContractFinding
from steward.contracts.modes import parse_mode

HERE = Path(__file__).parent
MAIN = {"avro": "schema.avsc", "jsonschema": "schema.json"}


def case_dirs(format: str) -> list[Path]:
    return sorted(p for p in (HERE / format).iterdir() if p.is_dir())


def _texts(side: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(side.iterdir()) if p.is_file()}


def _check(format: str, previous: Path, current: Path, backward: bool) -> list[ContractFinding]:
    main = MAIN[format]
    if format == "avro":
        old = avro.parse_set(_texts(previous))[main]
        new = avro.parse_set(_texts(current))[main]
        if backward:
            return avro.check_schemas(old, new, locate="reader")
        return avro.check_schemas(new, old, locate="writer")
    old_js = jsonschema.parse((previous / main).read_text(), path=main)
    new_js = jsonschema.parse((current / main).read_text(), path=main)
    if backward:
        return jsonschema.check_schemas(old_js, new_js, locate="reader")
    return jsonschema.check_schemas(new_js, old_js, locate="writer")


def run_case(format: str, case: Path, mode_name: str) -> list[dict[str, Any]]:
    mode = parse_mode(mode_name)
    found: list[ContractFinding] = []
    if mode.backward:
        found += _check(format, case / "previous", case / "current", backward=True)
    if mode.forward:
        found += _check(format, case / "previous", case / "current", backward=False)
    return [{"rule": f.rule, "path": f.path, "line": f.line, "breaking": f.breaking} for f in found]


def check_case(format: str, case: Path) -> None:
    expected_file = case / "expected.json"
    expected = json.loads(expected_file.read_text())
    actual = run_case(format, case, expected["mode"])
    if os.environ.get("STEWARD_UPDATE_GOLDEN") == "1":
        expected["findings"] = actual
        expected_file.write_text(json.dumps(expected, indent=2) + "\n")
    assert actual == expected["findings"]
