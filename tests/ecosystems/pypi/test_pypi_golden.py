"""Golden extraction cases for the Python ecosystem: one folder per syntax under ``cases/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.ecosystems.pypi import PLUGIN
from tests.ecosystems.golden import case_dirs, check_case

CASES = case_dirs(Path(__file__).parent)


def test_there_is_a_case_for_every_syntax() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_extraction_matches_expected(case: Path) -> None:
    check_case(PLUGIN, case)
