"""Where the time of one ``steward`` run goes: cProfile by function, ``-X importtime`` by module.

Both run in a fresh child like the measured runs, so they see the same start-up costs; their
figures are inflated by the profilers themselves and only the proportions mean anything.
"""

from __future__ import annotations

import io
import pstats
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from harness import BenchError

#: Runs ``steward.cli.main.main`` under cProfile with the given arguments; ``sys.exit`` allowed.
_PROFILED = """
import cProfile, sys
stats, sys.argv = sys.argv[1], ["steward", *sys.argv[2:]]
profiler = cProfile.Profile()
profiler.enable()
try:
    from steward.cli.main import main
    main()
except SystemExit:
    pass
finally:
    profiler.disable()
    profiler.dump_stats(stats)
"""

_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def profile(args: Sequence[str], env: Mapping[str, str], scratch: Path, top: int = 15) -> str:
    """Both profiles of ``steward ARGS`` as text."""
    return "\n\n".join([functions(args, env, scratch, top), imports(args, env, top)])


def functions(args: Sequence[str], env: Mapping[str, str], scratch: Path, top: int) -> str:
    """The ``top`` functions by cumulative time in one cProfile'd run."""
    stats_path = scratch / "deps.pstats"
    argv = [sys.executable, "-c", _PROFILED, str(stats_path), *args]
    _run(argv, env)
    buffer = io.StringIO()
    stats = pstats.Stats(str(stats_path), stream=buffer)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    body = buffer.getvalue()
    return "cProfile, by cumulative time:\n" + body[body.find("   ncalls") :].rstrip()


def imports(args: Sequence[str], env: Mapping[str, str], top: int) -> str:
    """The ``top`` top-level packages by cumulative import time in one run."""
    argv = [sys.executable, "-X", "importtime", "-c", _PROFILED, "/dev/null", *args]
    stderr = _run(argv, env)
    totals: dict[str, int] = {}
    for match in _IMPORT_LINE.finditer(stderr):
        if len(match[3]) == 1:  # a module imported directly, not by another one
            root = match[4].split(".")[0]
            totals[root] = totals.get(root, 0) + int(match[2])
    ranked = sorted(totals.items(), key=lambda item: -item[1])[:top]
    lines = [f"  {ms / 1000:8.1f} ms  {name}" for name, ms in ranked]
    total = sum(totals.values()) / 1000
    return f"-X importtime, by top-level package (total {total:.1f} ms):\n" + "\n".join(lines)


def _run(argv: Sequence[str], env: Mapping[str, str]) -> str:
    done = subprocess.run(
        list(argv), env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"profiling run failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stderr.decode(errors="replace")
