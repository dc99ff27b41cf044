"""Runbook golden Markdown for the example system's components (frozen date, snapshot data).

``STEWARD_UPDATE_GOLDEN=1`` rewrites the golden files; read the diff before keeping it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from steward.infra import eol, runbook
from steward.infra.readiness import Inputs, evaluate
from steward.infra.terraform import extract
from steward.sources.endoflife import load

EXAMPLE = Path(__file__).parents[2] / "examples" / "eventshop" / "infra" / "terraform"
GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 11, 27)


def _runbook(ident: str, target: str) -> str:
    files = {
        f"infra/terraform/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted(EXAMPLE.glob("*.tf"))
    }
    components, _ = extract(files)
    component = next(c for c in components if c.id == ident)
    slugs = eol.products_for(component)
    products = load(slugs, None, None, TODAY).products
    inputs = Inputs(target=target, today=TODAY, products=products, governing_product=slugs[0])
    return runbook.render(component, target, evaluate(component, inputs), "production")


@pytest.mark.parametrize(
    ("ident", "target", "golden"),
    [
        ("aws_msk_cluster.eventshop", "3.9.x", "msk_to_3.9.md"),
        ("aws_db_instance.eventshop", "16.4", "rds_to_16.md"),
        ("aws_eks_cluster.eventshop", "1.28", "eks_to_1.28.md"),
    ],
)
def test_runbook_matches_its_golden_markdown(ident: str, target: str, golden: str) -> None:
    got = _runbook(ident, target)
    path = GOLDEN / golden
    if os.environ.get("STEWARD_UPDATE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_kafka_runbook_says_in_bold_when_there_is_no_rollback() -> None:
    text = _runbook("aws_msk_cluster.eventshop", "3.9.x")
    assert (
        "**MSK cannot downgrade a cluster's Apache Kafka version: once the update has started there is no rollback."
        in text
    )
    for section in (
        "## Pre-checks",
        "## Steps",
        "## Watch while it runs",
        "## Verification",
        "## Rollback",
    ):
        assert section in text
    assert "| `KAFKA_MULTI_AZ`" in text and "❌ fail" in text
