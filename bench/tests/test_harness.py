"""Measurements are per command and isolated; failures to run are errors, missed targets are not."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import deps_bench
import harness
import pytest
from harness import BenchError, Measurement, Series

MIB = 1024


def _measure(tmp_path: Path, code: str) -> Measurement:
    env = harness.child_env(tmp_path)
    return harness.measure(
        [sys.executable, "-c", code], env, tmp_path / "o.out", tmp_path / "o.err"
    )


def test_each_measurement_is_charged_with_its_own_peak_memory_only(tmp_path: Path) -> None:
    big = _measure(tmp_path, "block = b'x' * (200 * 1024 * 1024)")
    small = _measure(tmp_path, "pass")
    assert big.max_rss_kib >= 200 * MIB
    assert small.max_rss_kib < 30 * MIB  # not the 200 MiB before it, nor this test process


def test_a_measurement_keeps_the_exit_code_and_the_output(tmp_path: Path) -> None:
    result = _measure(tmp_path, "import sys; print('hello'); sys.exit(3)")
    assert result.returncode == 3
    assert (tmp_path / "o.out").read_text() == "hello\n"
    assert result.wall > 0


def test_a_command_that_cannot_start_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match="cannot run"):
        harness.measure([str(tmp_path / "missing")], {}, tmp_path / "o.out", tmp_path / "o.err")


def test_a_series_fails_on_an_exit_code_it_does_not_expect(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import sys; sys.exit(2)"]
    with pytest.raises(BenchError, match="exit code 2"):
        harness.run_series("fails", argv, harness.child_env(tmp_path), tmp_path, runs=1)
    series = harness.run_series("ok", argv, {}, tmp_path, runs=2, ok_codes=frozenset({2}))
    assert len(series.runs) == 2


def test_the_child_environment_inherits_no_registry_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOPROXY", "https://goproxy-mirror.invalid/")
    monkeypatch.setenv("STEWARD_CACHE_DIR", "/somewhere/else")
    env = harness.child_env(tmp_path / "cache")
    assert "GOPROXY" not in env
    assert env["STEWARD_CACHE_DIR"] == str(tmp_path / "cache")
    assert env["HTTPS_PROXY"] == harness.DEAD_PROXY and "127.0.0.1" in env["NO_PROXY"]


def test_series_summaries() -> None:
    runs = (
        Measurement(0.5, 10 * MIB, 0),
        Measurement(0.2, 30 * MIB, 0),
        Measurement(0.9, 20 * MIB, 0),
    )
    series = Series("x", runs)
    assert (series.wall_min, series.wall_median, series.peak_rss_mib) == (0.2, 0.5, 30.0)


# --- deps_bench -------------------------------------------------------------------------------

ROW = {
    "file": "services/a/go.mod",
    "line": 3,
    "ecosystem": "go",
    "name": "golang.org/x/net",
    "constraint": "v0.1.0",
    "locked": "v0.1.0",
    "dep_type": "require",
    "skip_reason": None,
}


def _report(tmp_path: Path, rows: list[dict[str, object]]) -> deps_bench.Report:
    path = tmp_path / "deps.json"
    path.write_text(json.dumps({"dependencies": rows}))
    return deps_bench.read_report(path)


def test_the_report_counts_rows_by_ecosystem_and_skips(tmp_path: Path) -> None:
    rows = [
        ROW,
        {**ROW, "ecosystem": "npm", "file": "services/a/package.json"},
        {**ROW, "skip_reason": "local"},
    ]
    report = _report(tmp_path, rows)
    assert (report.dependencies, report.skipped, report.files) == (3, 1, 2)
    assert report.by_ecosystem == {"go": 2, "npm": 1}
    assert not report.missing_keys and not report.from_ignored_folders


def test_the_report_notices_missing_keys_and_rows_from_ignored_folders(tmp_path: Path) -> None:
    row = {k: v for k, v in ROW.items() if k != "locked"}
    report = _report(tmp_path, [{**row, "file": "services/a/node_modules/x/package.json"}])
    assert report.missing_keys == {"locked"}
    assert report.from_ignored_folders == 1
    assert "warning" in deps_bench.render(1, 1, report, [Series("deps", (Measurement(1, 1, 0),))])


@pytest.mark.parametrize("text", ["not json", '{"deps": []}', '{"dependencies": [1]}'])
def test_output_that_breaks_the_contract_is_an_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "deps.json").write_text(text)
    with pytest.raises(BenchError):
        deps_bench.read_report(tmp_path / "deps.json")


def test_targets_are_judged_on_1000_services_only(tmp_path: Path) -> None:
    report = _report(tmp_path, [ROW])
    fast = Series("deps", (Measurement(0.8, 90 * MIB, 0),))
    slow = Series("deps", (Measurement(1.2, 120 * MIB, 0),))
    assert "1.0 s: met; ≤ 100 MiB: met" in deps_bench.render(1000, 1, report, [fast])
    assert "1.0 s: MISSED; ≤ 100 MiB: MISSED" in deps_bench.render(1000, 1, report, [slow])
    assert "targets are for 1,000 services" in deps_bench.render(10, 1, report, [slow])
