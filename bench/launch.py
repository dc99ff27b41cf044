"""Run one command and record its own wall time, peak RSS and exit code: ``launch.py RESULT CMD…``.

The benchmark starts this script (with ``python -S -I``, so it stays small) instead of the
measured command. Linux charges a child with the peak RSS of the process image it replaced at
``exec``, so a command started straight from the benchmark would be charged with the benchmark's
own memory; started from this launcher it is charged at most with the launcher's few MiB, which
every Python command exceeds anyway. The command inherits stdin, stdout and stderr; the figures
go to RESULT as JSON: ``{"wall": seconds, "max_rss_kib": int, "returncode": int}``.
"""

import os
import sys
import time


def main() -> None:
    result, *argv = sys.argv[1:]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w", encoding="ascii") as out:
        out.write(f'{{"wall": {wall!r}, "max_rss_kib": {usage.ru_maxrss}, "returncode": {code}}}')


if __name__ == "__main__":
    main()
