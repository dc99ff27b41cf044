"""Golden extraction cases for npm: ``cases/<name>/`` holds the input files and ``expected.json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.ecosystems.npm import PLUGIN
from tests.ecosystems.golden import case_dirs, check_case

CASES = case_dirs(Path(__file__).parent)


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_case(case: Path) -> None:
    check_case(PLUGIN, case)
