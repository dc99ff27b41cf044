"""Both benchmarks run end to end on tiny inputs against the installed ``steward``."""

from __future__ import annotations

import subprocess

import deps_bench
import harness
import lookup_bench
import pytest


def _has_deps_command() -> bool:
    try:
        steward = harness.steward_executable()
    except harness.BenchError:
        return False
    done = subprocess.run([str(steward), "deps", "--help"], capture_output=True, check=False)
    return done.returncode == 0


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not _has_deps_command(), reason="steward deps is not installed"),
]


def test_deps_bench_reports_a_row_per_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert deps_bench.main(["--services", "3", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    for label in ("python -c pass", "steward --version", "steward deps --offline"):
        assert f"\n{label} " in out
    assert "tree: 3 services" in out and "targets are for 1,000 services" in out


def test_lookup_bench_sees_one_request_per_package_when_cold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert lookup_bench.main(["--packages", "10", "--services", "2", "--rounds", "1"]) == 0
    cold = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("cold-1"))
    assert cold.split()[3:5] == ["10", "10"]  # requests, 200s
