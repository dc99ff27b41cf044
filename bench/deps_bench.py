"""Benchmark ``steward deps --offline`` on a synthetic monorepo: wall time and peak memory.

Usage::

    python bench/deps_bench.py [--services 1000] [--seed 1] [--runs 5] [--keep DIR | --tree DIR]
                               [--profile]

Generates the tree once (outside the timing), then runs ``steward deps PATH --offline --format
json`` in a fresh child process ``--runs`` times after one warm-up run, and prints the minimum
and median wall time and the peak RSS, next to the same figures for Python start-up alone and
for ``steward --version`` so the import overhead is visible. The targets (≤ 1.0 s and ≤ 100 MiB
for 1,000 services) are reported, never enforced: the exit status is non-zero only when something
could not be run or its output could not be read.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import generate_monorepo
import profiling
from harness import (
    BenchError,
    Series,
    child_env,
    mib,
    run_series,
    seconds,
    steward_executable,
    table,
)

TARGET_SERVICES = 1000
TARGET_WALL = 1.0
TARGET_RSS_MIB = 100.0
#: What every entry of ``dependencies`` must carry, per the ``steward deps`` JSON contract.
CONTRACT_KEYS = frozenset(
    {"file", "line", "ecosystem", "name", "constraint", "locked", "dep_type", "skip_reason"}
)
SKIPPED_FOLDERS = frozenset({"node_modules", "vendor", "dist"})
#: ``steward deps`` exits 1 when findings pass the threshold and 3 when something could not be
#: checked (always the case offline with an empty cache); both are normal for a benchmark.
OK_CODES = frozenset({0, 1, 3})


@dataclass(frozen=True)
class Report:
    """What the JSON output of one scan says, in numbers."""

    dependencies: int
    by_ecosystem: dict[str, int]
    skipped: int
    from_ignored_folders: int
    missing_keys: frozenset[str]
    files: int


def read_report(path: Path) -> Report:
    """Parse ``steward deps --format json`` output; `BenchError` if it is not what it promises."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BenchError(f"steward deps did not print JSON: {error}") from error
    rows = document.get("dependencies") if isinstance(document, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise BenchError("steward deps printed JSON without a list of objects under 'dependencies'")
    return _summarise(rows)


def _summarise(rows: list[dict[str, Any]]) -> Report:
    missing: set[str] = set()
    for row in rows:
        missing |= CONTRACT_KEYS - row.keys()
    paths = [str(row.get("file", "")) for row in rows]
    return Report(
        dependencies=len(rows),
        by_ecosystem=dict(sorted(Counter(str(row.get("ecosystem")) for row in rows).items())),
        skipped=sum(1 for row in rows if row.get("skip_reason")),
        from_ignored_folders=sum(1 for p in paths if SKIPPED_FOLDERS & set(p.split("/"))),
        missing_keys=frozenset(missing),
        files=len(set(paths)),
    )


def _verdict(series: Series, services: int) -> str:
    if services != TARGET_SERVICES:
        return f"targets are for {TARGET_SERVICES:,} services"
    wall = "met" if series.wall_median <= TARGET_WALL else "MISSED"
    rss = "met" if series.peak_rss_mib <= TARGET_RSS_MIB else "MISSED"
    return f"≤ {TARGET_WALL:.1f} s: {wall}; ≤ {TARGET_RSS_MIB:.0f} MiB: {rss}"


def render(services: int, files: int, report: Report, series: list[Series]) -> str:
    """The result table, with the tree's size above it and the scan's findings below."""
    ecosystems = ", ".join(f"{name} {count}" for name, count in report.by_ecosystem.items())
    head = [
        f"tree: {services:,} services, {files:,} files",
        f"reported: {report.dependencies:,} dependencies from {report.files:,} files ({ecosystems});"
        f" {report.skipped:,} with a skip_reason",
    ]
    rows = [
        [
            s.label,
            str(len(s.runs)),
            seconds(s.wall_min),
            seconds(s.wall_median),
            mib(s.peak_rss_mib),
        ]
        for s in series
    ]
    header = ["command", "runs", "wall min", "wall median", "peak RSS"]
    lines = [*head, "", table(header, rows), "", f"target: {_verdict(series[-1], services)}"]
    lines += _warnings(report)
    return "\n".join(lines)


def _warnings(report: Report) -> list[str]:
    warnings = []
    if report.from_ignored_folders:
        warnings.append(
            f"warning: {report.from_ignored_folders} dependencies come from node_modules/, vendor/ or dist/"
        )
    if report.missing_keys:
        warnings.append(
            f"warning: rows lack contract keys: {', '.join(sorted(report.missing_keys))}"
        )
    return warnings


def _count_files(root: Path) -> int:
    return sum(1 for path in root.rglob("*") if path.is_file())


def _prepare_tree(args: argparse.Namespace, scratch: Path) -> tuple[Path, int]:
    """The tree to scan and its number of services: generated (timed apart) or given."""
    if args.tree is not None:
        return args.tree, len(list((args.tree / "services").glob("svc-*")))
    out = args.keep if args.keep is not None else scratch / "monorepo"
    if out.exists() and any(out.iterdir()):
        raise BenchError(f"{out} is not empty; pass it as --tree to scan it again")
    start = time.perf_counter()
    summary = generate_monorepo.generate(out, args.services, args.seed)
    took = time.perf_counter() - start
    print(
        f"generated {summary.services:,} services ({summary.files:,} files) in {took:.1f} s: {out}"
    )
    return out, summary.services


def run(args: argparse.Namespace) -> str:
    """Generate, measure, check; the report as text."""
    steward = str(steward_executable())
    with tempfile.TemporaryDirectory(prefix="steward-bench-") as scratch_name:
        scratch = Path(scratch_name)
        tree, services = _prepare_tree(args, scratch)
        (scratch / "cache").mkdir()
        env = child_env(scratch / "cache")
        deps = [steward, "deps", str(tree), "--offline", "--format", "json"]
        series = [
            run_series("python -c pass", [sys.executable, "-c", "pass"], env, scratch, args.runs),
            run_series("steward --version", [steward, "--version"], env, scratch, args.runs),
            run_series("steward deps --offline", deps, env, scratch, args.runs, OK_CODES),
        ]
        report = read_report(scratch / "steward-deps---offline.out")
        text = render(services, _count_files(tree), report, series)
        if args.profile:
            text += "\n\n" + profiling.profile(deps[1:], env, scratch)
        if args.keep is None and args.tree is None:
            shutil.rmtree(tree)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=TARGET_SERVICES, help="services (1000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (5)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", type=Path, help="generate into DIR and leave it there")
    where.add_argument("--tree", type=Path, help="scan an existing tree instead of generating one")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one scan (cProfile, -X importtime)"
    )
    args = parser.parse_args(argv)
    try:
        print(run(args))
    except BenchError as error:
        print(f"deps_bench: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
