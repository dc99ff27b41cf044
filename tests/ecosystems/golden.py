"""Golden extraction cases: ``tests/ecosystems/<eco>/cases/<name>/{input files, expected.json}``.

Every file in a case folder except ``expected.json`` is input; the case folder is the scan root.
The ecosystem's plugin claims files in every folder of the case, exactly as a scan would, and the
result is compared with ``expected.json``::

    {"dependencies": [<Dependency as a dict>, ...], "problems": [<Problem as a dict>, ...]}

Run ``STEWARD_UPDATE_GOLDEN=1 pytest tests/ecosystems`` to rewrite the expected files, then read
the diff: a golden file is only as good as the review it got.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from steward.ecosystems.interface import Plugin
from steward.model import Extraction


def case_dirs(ecosystem_dir: Path) -> list[Path]:
    cases = ecosystem_dir / "cases"
    return sorted(p for p in cases.iterdir() if p.is_dir()) if cases.is_dir() else []


def run_case(plugin: Plugin, case: Path) -> dict[str, Any]:
    def read(relpath: str) -> str:
        target = (case / relpath).resolve()
        if case.resolve() not in target.parents and target != case.resolve():
            raise FileNotFoundError(relpath)
        return target.read_text(encoding="utf-8")

    result = Extraction()
    folders: dict[str, list[str]] = {}
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.name != "expected.json" and plugin.claims(path.name):
            rel = path.parent.relative_to(case).as_posix()
            folders.setdefault(rel, []).append(path.name)
    for folder, names in sorted(folders.items()):
        result.extend(plugin.extract(folder, names, read))
    return {
        "dependencies": [dataclasses.asdict(d) for d in result.dependencies],
        "problems": [dataclasses.asdict(p) for p in result.problems],
    }


def check_case(plugin: Plugin, case: Path) -> None:
    actual = json.loads(json.dumps(run_case(plugin, case)))  # tuples → lists, as in the file
    expected_file = case / "expected.json"
    if os.environ.get("STEWARD_UPDATE_GOLDEN") == "1":
        expected_file.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n")
    assert expected_file.exists(), f"{expected_file} missing: write it with STEWARD_UPDATE_GOLDEN=1"
    expected = json.loads(expected_file.read_text())
    assert actual == expected
