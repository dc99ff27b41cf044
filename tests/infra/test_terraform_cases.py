"""Golden Terraform extraction cases: ``cases/<name>/{*.tf, expected.json}``.

Run ``STEWARD_UPDATE_GOLDEN=1 pytest tests/infra`` to rewrite the expected files, then read the
diff: a golden file is only as good as the review it got.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from steward.infra.terraform import extract

CASES = Path(__file__).parent / "cases"


def _run(case: Path) -> dict[str, Any]:
    files = {
        p.relative_to(case).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(case.rglob("*.tf"))
    }
    components, problems = extract(files)
    return {
        "components": [_plain(dataclasses.asdict(c)) for c in components],
        "problems": [dataclasses.asdict(p) for p in problems],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.value if hasattr(value, "value") and not isinstance(value, str | int) else value


@pytest.mark.parametrize(
    "case", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_terraform_case_matches_its_golden_file(case: Path) -> None:
    got = _run(case)
    expected_file = case / "expected.json"
    if os.environ.get("STEWARD_UPDATE_GOLDEN") == "1":
        expected_file.write_text(
            json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


def test_every_version_site_points_at_the_version_text() -> None:
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        files = {
            p.relative_to(case).as_posix(): p.read_text(encoding="utf-8")
            for p in case.rglob("*.tf")
        }
        components, _ = extract(files)
        for component in components:
            if component.site is not None:
                text = files[component.site.file]
                assert text[component.site.start : component.site.end] == component.version
                assert text.count("\n", 0, component.site.start) + 1 == component.site.line
