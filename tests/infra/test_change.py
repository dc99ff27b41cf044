"""`--apply`: the target is spliced into the version token and nothing else changes."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from steward.infra.change import ChangeError, splice
from steward.infra.terraform import extract

EXAMPLE = Path(__file__).parents[2] / "examples" / "eventshop" / "infra" / "terraform"


def _example() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.glob("*.tf"))}


def _changed(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_apply_through_a_variable_default_changes_only_that_token() -> None:
    files = _example()
    components, _ = extract(files)
    msk = next(c for c in components if c.id == "aws_msk_cluster.eventshop")
    edit = splice(msk, "3.9.x", files[msk.site.file])  # type: ignore[union-attr]
    assert edit.file == "variables.tf"
    before = files["variables.tf"]
    assert _changed(before, edit.text) == ['-  default     = "2.8.1"', '+  default     = "3.9.x"']
    assert len(edit.text) == len(before) - len("2.8.1") + len("3.9.x")


def test_apply_on_the_resource_keeps_alignment_and_comments() -> None:
    files = _example()
    components, _ = extract(files)
    rds = next(c for c in components if c.id == "aws_db_instance.eventshop")
    edit = splice(rds, "13.16", files["rds.tf"])
    assert _changed(files["rds.tf"], edit.text) == [
        '-  engine_version = "13.13"',
        '+  engine_version = "13.16"',
    ]
    # The edited text still parses to the new version, at the same place.
    again, problems = extract({**files, "rds.tf": edit.text})
    assert not problems
    assert next(c for c in again if c.id == rds.id).version == "13.16"


def test_apply_refuses_a_stale_offset_and_an_unresolvable_version() -> None:
    files = _example()
    components, _ = extract(files)
    eks = next(c for c in components if c.id == "aws_eks_cluster.eventshop")
    with pytest.raises(ChangeError, match="the file changed"):
        splice(eks, "1.28", "# a new first line\n" + files["eks.tf"])
    unresolved, _ = extract({"m.tf": 'resource "aws_eks_cluster" "k" {\n  version = var.v\n}\n'})
    with pytest.raises(ChangeError, match=r"var\.v is not declared"):
        splice(unresolved[0], "1.28", "")
