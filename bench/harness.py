"""What both benchmarks share: running a command in a fresh child and measuring it, and tables.

`measure` starts the small `launch.py` in a fresh process, which spawns the measured command, waits
for it with ``os.wait4`` and so gets that command's own resource usage: its wall time (from just
before the spawn to its exit) and its peak resident set size. Every measurement is isolated from the
others and from the benchmark process itself (see `launch.py` for why the launcher is needed).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Registry settings a developer machine may have that must not leak into a benchmark run.
REGISTRY_ENV = (
    "GOPROXY",
    "GOPRIVATE",
    "GONOPROXY",
    "GOFLAGS",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_CONFIG_FILE",
    "NPM_CONFIG_REGISTRY",
    "npm_config_registry",
    "NPM_CONFIG_USERCONFIG",
    "npm_config_userconfig",
    "STEWARD_CACHE_DIR",
)

#: A loopback port nothing listens on: set as the proxy, it makes any request that is not for
#: 127.0.0.1 fail at once instead of leaving the machine.
DEAD_PROXY = "http://127.0.0.1:9"

LAUNCHER = Path(__file__).with_name("launch.py")


class BenchError(RuntimeError):
    """The benchmark could not run what it measures (not: a target was missed)."""


@dataclass(frozen=True)
class Measurement:
    """One run of one command."""

    wall: float
    max_rss_kib: int
    returncode: int


@dataclass(frozen=True)
class Series:
    """Several runs of one command, summarised."""

    label: str
    runs: tuple[Measurement, ...]

    @property
    def wall_min(self) -> float:
        return min(run.wall for run in self.runs)

    @property
    def wall_median(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def peak_rss_mib(self) -> float:
        return max(run.max_rss_kib for run in self.runs) / 1024


def steward_executable() -> Path:
    """The ``steward`` script installed next to the running interpreter."""
    path = Path(sys.executable).parent / "steward"
    if not path.exists():
        raise BenchError(f"{path} not found: install the project first (make .venv/bin/steward)")
    return path


def child_env(cache_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured run: no registry settings inherited, its own cache folder,
    and no way off the machine except 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in REGISTRY_ENV}
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        env[name] = DEAD_PROXY
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["STEWARD_CACHE_DIR"] = str(cache_dir)
    return {**env, **(extra or {})}


def measure(argv: Sequence[str], env: Mapping[str, str], stdout: Path, stderr: Path) -> Measurement:
    """Run ``argv`` once in a fresh child (through `LAUNCHER`), its output going to the files."""
    result = stdout.with_suffix(".measurement")
    launcher = [sys.executable, "-S", "-I", str(LAUNCHER), str(result), *argv]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        done = subprocess.run(launcher, stdout=out, stderr=err, env=dict(env), check=False)
    if done.returncode != 0 or not result.exists():
        tail = stderr.read_text(errors="replace")[-2000:]
        raise BenchError(f"cannot run {argv[0]}: launcher exit code {done.returncode}\n{tail}")
    figures = json.loads(result.read_text(encoding="ascii"))
    result.unlink()
    # Linux reports ru_maxrss in KiB (macOS in bytes; this benchmark targets Linux).
    return Measurement(
        float(figures["wall"]), int(figures["max_rss_kib"]), int(figures["returncode"])
    )


def run_series(
    label: str,
    argv: Sequence[str],
    env: Mapping[str, str],
    workdir: Path,
    runs: int,
    ok_codes: frozenset[int] = frozenset({0}),
) -> Series:
    """One unmeasured warm-up run, then ``runs`` measured ones; fails on an unexpected exit code.

    The last run's output stays in ``workdir/<slug>.out`` and ``.err`` for the caller to check.
    """
    slug = "".join(c if c.isalnum() else "-" for c in label).strip("-")
    out, err = workdir / f"{slug}.out", workdir / f"{slug}.err"
    results = [measure(argv, env, out, err) for _ in range(runs + 1)][1:]
    for result in results:
        if result.returncode not in ok_codes:
            tail = err.read_text(errors="replace")[-2000:]
            raise BenchError(f"{label}: exit code {result.returncode}\n{tail}")
    return Series(label, tuple(results))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table, first column left-aligned and the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(cell).rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def mib(value: float) -> str:
    return f"{value:.1f} MiB"
