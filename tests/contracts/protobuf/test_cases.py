"""Every Protobuf rule has a buf-style case, and every case gives what it expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.contracts.protobuf import RULES
from tests.contracts.protobuf.cases import case_dirs, check_case, expected

CASES = case_dirs()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_its_expected_findings(case: Path) -> None:
    check_case(case)


def test_every_rule_has_a_case_named_after_it() -> None:
    assert {case.name for case in CASES} == set(RULES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_case_shows_its_own_rule(case: Path) -> None:
    assert case.name in {finding["rule"] for finding in expected(case)["findings"]}


def test_rule_ids_are_upper_snake_with_a_purpose_and_categories() -> None:
    for rule_id, rule in RULES.items():
        assert rule_id == rule.id == rule_id.upper()
        assert rule.purpose.endswith(".") and rule.categories
