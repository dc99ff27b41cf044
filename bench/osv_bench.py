"""Advisory matching at scale: build the local index from a bulk export, then match dependencies.

A seeded generator writes a synthetic OSV ``all.zip`` (``--records`` records, default 50,000, over
PyPI, npm and Go packages: SEMVER/ECOSYSTEM ranges with ``fixed``, ``last_affected`` and several
intervals, explicit ``versions`` lists, aliases, CVSS v3/v4 vectors, some withdrawn). Two timings:

* build: read the archive (with the zip guards) and write the SQLite index, per-package
  intervals included — target ≤ 30 s;
* match: assess ``--deps`` dependencies (default 10,000) with `OsvDatabase.assess`: a key lookup
  and a bisection per dependency, records decoded only where they match, aliases merged and each
  minimal fix found — target ≤ 1 s.

Each match runs in a fresh process, as a scan would (nothing memoised by the build, none of
its objects alive), and reports wall and CPU time: on a shared machine the CPU figure says what
the code costs, the wall figure what waiting for the machine added. ``--baseline`` also runs,
on the same index, the exact path the scan took before the index had intervals
(`advisories_for` decodes every record naming a package, then `assess` walks every range), and
checks that both give the same answers.

A missed target is reported, not failed: the exit status is 0 unless the benchmark cannot run
(2, also when the two paths disagree: the figures would then time a wrong answer).

Usage: python bench/osv_bench.py [--records 50000] [--deps 10000] [--seed 7] [--baseline]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import pickle
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steward.analysis.vulnerabilities import Assessment, assess, ordering_of
from steward.sources.osv import OsvDatabase, Query, read_zip

BUILD_TARGET = 30.0
MATCH_TARGET = 1.0
ECOSYSTEMS = (("PyPI", "pypi"), ("npm", "npm"), ("Go", "go"))
V3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:{ui}/S:U/C:{c}/I:{i}/A:N"
V4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:{c}/VI:{i}/VA:N/SC:N/SI:N/SA:N"


def _version(rnd: random.Random, ecosystem: str) -> str:
    return f"{rnd.randint(0, 5)}.{rnd.randint(0, 20)}.{rnd.randint(0, 30)}"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def _record(rnd: random.Random, index: int, ecosystem: str, name: str) -> dict[str, Any]:
    bounds = sorted({_version(rnd, ecosystem) for _ in range(rnd.choice((2, 2, 4)))}, key=_key)
    events: list[dict[str, str]] = []
    closer = rnd.choice(("fixed", "fixed", "last_affected"))
    for start, end in zip(bounds[0::2], bounds[1::2], strict=False):
        events += [{"introduced": start}, {closer: end}]
    if not events:
        events = [{"introduced": "0"}]
    affected: dict[str, Any] = {
        "package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": "SEMVER" if ecosystem != "PyPI" else "ECOSYSTEM", "events": events}],
    }
    if ecosystem == "PyPI":
        affected["versions"] = sorted({_version(rnd, ecosystem) for _ in range(20)}, key=_key)
    record: dict[str, Any] = {
        "schema_version": "1.6.0",
        "id": f"OSV-BENCH-{index}",
        "modified": f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T00:00:00Z",
        "aliases": [f"CVE-2024-{index}"]
        + ([f"CVE-2024-{index - 1}"] if rnd.random() < 0.1 else []),
        "summary": f"synthetic advisory {index}",
        "affected": [affected],
    }
    if rnd.random() < 0.6:
        levels = "HLN"
        kind, template = rnd.choice((("CVSS_V3", V3), ("CVSS_V4", V4)))
        vector = template.format(ui=rnd.choice("NR"), c=rnd.choice(levels), i=rnd.choice(levels))
        record["severity"] = [{"type": kind, "score": vector}]
    if rnd.random() < 0.01:
        record["withdrawn"] = "2024-06-01T00:00:00Z"
    return record


def generate(records: int, seed: int) -> tuple[bytes, list[tuple[str, str]]]:
    """A synthetic ``all.zip`` of ``records`` records, and every (ecosystem, name) it names."""
    rnd = random.Random(seed)
    packages = [
        (osv, f"{osv.lower()}-pkg-{i}")
        for i in range(records // 5)
        for osv, _ in [rnd.choice(ECOSYSTEMS)]
    ]
    packages = [(osv, f"example.com/{name}" if osv == "Go" else name) for osv, name in packages]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(records):
            osv, name = rnd.choice(packages)
            body = json.dumps(_record(rnd, index, osv, name))
            archive.writestr(f"OSV-BENCH-{index}.json", body)
    return buffer.getvalue(), packages


def dependencies(
    packages: list[tuple[str, str]], count: int, seed: int
) -> list[tuple[str, str, str]]:
    """``count`` (Steward ecosystem, name, version) triples over the generated packages."""
    rnd = random.Random(seed + 1)
    steward = dict(ECOSYSTEMS)
    deps = []
    for _ in range(count):
        osv, name = rnd.choice(packages)
        version = _version(rnd, osv)
        deps.append((steward[osv], name, "v" + version if osv == "Go" else version))
    return deps


def exact(database: OsvDatabase, deps: list[tuple[str, str, str]]) -> list[Assessment]:
    """The baseline: every record naming each package decoded, every range walked."""
    keys = set()
    for ecosystem, name, _ in deps:
        ordering = ordering_of(ecosystem)
        assert ordering is not None
        keys.add((ordering.osv, ordering.name(name)))
    found = database.advisories_for(keys)
    verdicts = []
    for ecosystem, name, version in deps:
        ordering = ordering_of(ecosystem)
        assert ordering is not None
        advisories = found[(ordering.osv, ordering.name(name))]
        verdicts.append(assess(advisories, ecosystem, name, version))
    return verdicts


def indexed(database: OsvDatabase, deps: list[tuple[str, str, str]]) -> list[Assessment]:
    """The index's path: `OsvDatabase.assess`."""
    return database.assess([Query(ecosystem, name, version) for ecosystem, name, version in deps])


PATHS = {"indexed": indexed, "exact": exact}


@dataclass(frozen=True)
class Timing:
    """One match path's answers, wall and CPU seconds, measured in a fresh process."""

    path: str
    wall: float
    cpu: float
    verdicts: list[Assessment]

    def line(self, against: str) -> str:
        vulnerable = sum(1 for v in self.verdicts if v.vulnerabilities)
        findings = sum(len(v.vulnerabilities) for v in self.verdicts)
        return (
            f"match ({self.path}): {against} in {self.wall:.2f} s wall, {self.cpu:.2f} s CPU: "
            f"{vulnerable} vulnerable, {findings} findings"
        )


def measure(path: str, database: Path, deps: list[tuple[str, str, str]]) -> Timing:
    """Run ``path`` over ``deps`` in a child process (see `child`) and read what it measured."""
    folder = database.parent
    (folder / "deps.json").write_text(json.dumps(deps))
    command = [sys.executable, __file__, "--child", path, str(database)]
    subprocess.run(command, check=True)
    with (folder / f"{path}.pickle").open("rb") as answers:
        wall, cpu, verdicts = pickle.load(answers)
    if len(verdicts) != len(deps):
        raise OSError(f"the {path} path answered {len(verdicts)} of {len(deps)} dependencies")
    return Timing(path, wall, cpu, verdicts)


def child(path: str, database: Path) -> int:
    """The measured side of `measure`: time one path, leave the answers beside the index."""
    deps = [tuple(d) for d in json.loads((database.parent / "deps.json").read_text())]
    opened = OsvDatabase(database)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    verdicts = PATHS[path](opened, deps)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    with (database.parent / f"{path}.pickle").open("wb") as out:
        pickle.dump((wall, cpu, verdicts), out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--deps", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--baseline", action="store_true", help="also time the exact path and compare answers"
    )
    parser.add_argument("--child", nargs=2, metavar=("PATH", "DATABASE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]))
    try:
        return run(args.records, args.deps, args.seed, args.baseline)
    except (OSError, subprocess.CalledProcessError, pickle.UnpicklingError) as error:
        print(f"cannot run: {error}")
        return 2


def run(records: int, count: int, seed: int, baseline: bool) -> int:
    """Generate, build, match (and the baseline), print the figures; 2 when it cannot report."""
    started = time.perf_counter()
    archive, packages = generate(records, seed)
    generated = time.perf_counter() - started
    size = len(archive) / 2**20
    print(f"generated all.zip: {records} records, {size:.1f} MiB in {generated:.1f} s")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "advisories.db"
        started = time.perf_counter()
        read = read_zip(archive, "all.zip")
        written = OsvDatabase(path).rebuild(read.records, ["all.zip"])
        build = time.perf_counter() - started
        if read.problems:
            print(f"cannot run: the generated archive has problems: {read.problems[:3]}")
            return 2
        del read, archive
        print(f"index build: {written} advisories in {build:.2f} s (target ≤ {BUILD_TARGET:.0f} s)")
        deps = dependencies(packages, count, seed)
        fast = measure("indexed", path, deps)
        slow = measure("exact", path, deps) if baseline else None

    against = f"{len(deps)} dependencies against {written} advisories"
    print(fast.line(against) + f" (target ≤ {MATCH_TARGET:.0f} s)")
    if slow is not None:
        print(slow.line(against) + " (the baseline)")
        pairs = zip(fast.verdicts, slow.verdicts, strict=True)
        differ = [i for i, (a, b) in enumerate(pairs) if a != b]
        if differ:
            first = differ[0]
            print(f"cannot report: the paths disagree on {len(differ)} dependencies, e.g.")
            print(f"  {deps[first]}: {fast.verdicts[first]} != {slow.verdicts[first]}")
            return 2
        print(
            f"speed-up: {slow.wall / fast.wall:.1f}x wall, {slow.cpu / fast.cpu:.1f}x CPU; "
            f"the same answers for all {len(deps)} dependencies"
        )
    ok = build <= BUILD_TARGET and fast.wall <= MATCH_TARGET
    print("OK: within targets" if ok else "TARGET MISSED (reported, not failed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
