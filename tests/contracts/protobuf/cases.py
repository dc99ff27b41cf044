"""buf-style Protobuf cases: ``tests/contracts/protobuf/<RULE_ID>/{previous,current}/``.

Each side is an import root holding ``.proto`` files. ``expected.json`` names the buf categories the
case runs under and every finding, in order, as ``{rule, path, line, breaking}``; paths and lines
point into ``current``. Run ``STEWARD_UPDATE_GOLDEN=1 pytest tests/contracts/protobuf`` to rewrite
them, then read the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from steward.contracts import protobuf

HERE = Path(__file__).parent
BUF = HERE.parent.parent / "oracles" / "buf" / "node_modules" / ".bin" / "buf"
BUF_MISSING = (
    "the buf oracle is not installed: run "
    "`npm ci --prefix tests/oracles/buf --replace-registry-host=always`"
)


def case_dirs() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.is_dir() and (p / "expected.json").exists())


def expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text())
    return data


def run_case(case: Path, categories: list[str]) -> list[dict[str, Any]]:
    found = protobuf.check(case / "previous", case / "current", categories=categories)
    return [{"rule": f.rule, "path": f.path, "line": f.line, "breaking": f.breaking} for f in found]


def check_case(case: Path) -> None:
    wanted = expected(case)
    actual = run_case(case, wanted["categories"])
    if os.environ.get("STEWARD_UPDATE_GOLDEN") == "1":
        wanted["findings"] = actual
        (case / "expected.json").write_text(json.dumps(wanted, indent=2) + "\n")
    assert actual == wanted["findings"]


def buf_available() -> bool:
    return BUF.exists() and shutil.which("node") is not None


def buf_breaking(before: Path, after: Path, category: str) -> tuple[bool, list[str]]:
    """``buf breaking AFTER --against BEFORE`` under one category: (breaking?, sorted rule IDs)."""
    config = json.dumps({"version": "v2", "breaking": {"use": [category]}})
    result = subprocess.run(
        [
            str(BUF),
            "breaking",
            str(after),
            "--against",
            str(before),
            "--config",
            config,
            "--error-format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    rules = sorted(
        json.loads(line)["type"] for line in result.stdout.splitlines() if line.startswith("{")
    )
    if result.returncode not in (0, 100) and not rules:
        raise RuntimeError(f"buf failed ({result.returncode}): {result.stderr.strip()}")
    return result.returncode != 0, rules
