"""How fast release notes are cut and read: slices per second on chi's real changelog and on a
synthetic 2,000-entry one, and a module zip of 5,000 members searched for its changelog.

Targets: 250 slices + evidence per second of chi's changelog (15 KiB, 40 entries: 500 updates
cut in ≤ 2 s); a 2,000-entry changelog (≈ 290 KiB) cut in ≤ 100 ms; a 5,000-member module zip
read in ≤ 100 ms.
Figures are reported against the targets; the exit status is non-zero only when a run fails.

Usage: python bench/changelog_bench.py [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from steward.analysis.changelog import evidence, notes_files, slice_notes
from steward.sources.archives import read_archive
from steward.versioning.gosemver import GoSemver
from steward.versioning.pep440 import PEP440

CHI = (
    Path(__file__).resolve().parents[1]
    / "tests/data/release-notes/github.com/go-chi/chi/v5/CHANGELOG.md"
)
GO, PY = GoSemver(), PEP440()


def synthetic(entries: int) -> str:
    """A Keep a Changelog file of ``entries`` releases, newest first, a few lines each."""
    parts = ["# Changelog\n"]
    for n in range(entries, 0, -1):
        version = f"{n // 400}.{n // 20 % 20}.{n % 20}"
        parts.append(
            f"## [{version}] - 2024-01-01\n\n### Changed\n- Faster encoding of batches ({n}).\n"
            f"- Removed the `legacy{n}` option.\n\n### Fixed\n- A reconnect bug (#{n}).\n"
        )
    return "\n".join(parts)


def module_zip(members: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(members):
            archive.writestr(f"m@v1.0.0/pkg{i // 50}/file{i}.go", f"package pkg{i // 50}\n" * 20)
        archive.writestr("m@v1.0.0/CHANGELOG.md", CHI.read_bytes())
    return buffer.getvalue()


def rate(action: Callable[[], object], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        action()
        count += 1
    return count / (time.perf_counter() - start)


def once_ms(action: Callable[[], object], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    chi = CHI.read_text()
    big = synthetic(2000)
    data = module_zip(5000)

    def chi_once() -> None:
        found = slice_notes(chi, "v3.3.4", "v5.0.12", GO, filename="CHANGELOG.md")
        assert found is not None and evidence(found)

    def big_once() -> None:
        found = slice_notes(big, "1.0.0", "4.0.0", PY)
        assert found is not None and len(found.versions) > 500

    def zip_once() -> None:
        read = read_archive(data, "m.zip", wanted=lambda n: n.endswith(".md"))
        assert notes_files(list(read.names), "m@v1.0.0/") == ["m@v1.0.0/CHANGELOG.md"]

    chi_rate = rate(chi_once, args.seconds)
    big_ms, zip_ms = once_ms(big_once), once_ms(zip_once)
    print(f"chi CHANGELOG.md slice + evidence: {chi_rate:,.0f}/s (target ≥ 250/s)")
    print(
        f"2,000-entry changelog ({len(big) / 1024:.0f} KiB) slice: {big_ms:.1f} ms (target ≤ 100 ms)"
    )
    print(
        f"5,000-member module zip ({len(data) / 1024:.0f} KiB) read: {zip_ms:.1f} ms (target ≤ 100 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
