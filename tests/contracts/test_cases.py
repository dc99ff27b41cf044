"""Every rule of every schema format has a buf-style case, and every case gives what it expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steward.contracts import avro, jsonschema
from steward.contracts.findings import Rule
from tests.contracts.cases import case_dirs, check_case

CATALOGUES: dict[str, dict[str, Rule]] = {"avro": avro.RULES, "jsonschema": jsonschema.RULES}
CASES = [(fmt, case) for fmt in CATALOGUES for case in case_dirs(fmt)]


@pytest.mark.parametrize(("format", "case"), CASES, ids=[c.name for _, c in CASES])
def test_case_gives_its_expected_findings(format: str, case: Path) -> None:
    check_case(format, case)


@pytest.mark.parametrize("format", sorted(CATALOGUES))
def test_every_rule_has_a_case_named_after_it(format: str) -> None:
    names = {case.name for case in case_dirs(format)}
    assert names == set(CATALOGUES[format])


@pytest.mark.parametrize(("format", "case"), CASES, ids=[c.name for _, c in CASES])
def test_each_case_shows_its_own_rule(format: str, case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    assert case.name in {finding["rule"] for finding in expected["findings"]}


@pytest.mark.parametrize("format", sorted(CATALOGUES))
def test_rule_ids_are_prefixed_upper_snake_with_a_purpose(format: str) -> None:
    prefix = "AVRO_" if format == "avro" else "JSONSCHEMA_"
    for rule_id, rule in CATALOGUES[format].items():
        assert rule_id == rule.id
        assert rule_id.startswith(prefix) and rule_id == rule_id.upper()
        assert rule.purpose.endswith(".") and rule.categories
