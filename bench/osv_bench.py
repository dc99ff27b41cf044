"""Advisory matching at scale: build the local index from a bulk export, then match dependencies.

A seeded generator writes a synthetic OSV ``all.zip`` (``--records`` records, default 50,000, over
PyPI, npm and Go packages: SEMVER/ECOSYSTEM ranges with ``fixed``, ``last_affected`` and several
intervals, explicit ``versions`` lists, aliases, CVSS v3/v4 vectors, some withdrawn). Two timings:

* build: read the archive (with the zip guards) and write the SQLite index — target ≤ 30 s;
* match: load the advisories of ``--deps`` dependencies (default 10,000) from the index, evaluate
  every range, merge aliases and find each minimal fix — target ≤ 1 s.

Usage: python bench/osv_bench.py [--records 50000] [--deps 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from steward.analysis.vulnerabilities import assess, ordering_of
from steward.sources.osv import OsvDatabase, read_zip

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--deps", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    archive, packages = generate(args.records, args.seed)
    generated = time.perf_counter() - started
    print(
        f"generated all.zip: {args.records} records, {len(archive) / 2**20:.1f} MiB in {generated:.1f} s"
    )

    with tempfile.TemporaryDirectory() as folder:
        database = OsvDatabase(Path(folder) / "advisories.db")
        started = time.perf_counter()
        read = read_zip(archive, "all.zip")
        written = database.rebuild(read.records, ["all.zip"])
        build = time.perf_counter() - started
        assert not read.problems, read.problems[:3]

        deps = dependencies(packages, args.deps, args.seed)
        started = time.perf_counter()
        keys = set()
        for ecosystem, name, _ in deps:
            ordering = ordering_of(ecosystem)
            assert ordering is not None
            keys.add((ordering.osv, ordering.name(name)))
        found = database.advisories_for(keys)
        vulnerable = advisories = 0
        for ecosystem, name, version in deps:
            ordering = ordering_of(ecosystem)
            assert ordering is not None
            verdict = assess(found[(ordering.osv, ordering.name(name))], ecosystem, name, version)
            vulnerable += bool(verdict.vulnerabilities)
            advisories += len(verdict.vulnerabilities)
        match = time.perf_counter() - started

    print(f"index build: {written} advisories in {build:.2f} s (target ≤ {BUILD_TARGET:.0f} s)")
    print(
        f"match: {len(deps)} dependencies against {written} advisories in {match:.2f} s "
        f"(target ≤ {MATCH_TARGET:.0f} s): {vulnerable} vulnerable, {advisories} findings"
    )
    ok = build <= BUILD_TARGET and match <= MATCH_TARGET
    print("OK" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
