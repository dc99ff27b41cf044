"""Golden extraction cases for go.mod and go.work: one folder per syntax, expected.json beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.ecosystems.gomod import PLUGIN
from tests.ecosystems.golden import case_dirs, check_case

CASES = case_dirs(Path(__file__).parent)


def test_there_is_a_case_for_every_syntax() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extraction_matches_the_golden_file(case: Path) -> None:
    check_case(PLUGIN, case)
