"""Make the benchmark scripts importable as modules, and share one generated tree."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1]
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import generate_monorepo  # noqa: E402 - needs the path above


@pytest.fixture(scope="session")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, generate_monorepo.Summary]:
    """A 60-service tree (seed 1): enough for every Python kind and a vendored folder of each sort."""
    out = tmp_path_factory.mktemp("monorepo")
    return out, generate_monorepo.generate(out, services=60, seed=1)
