"""Digest and tag checks for 200 image references against a local registry.

Starts Debian's ``docker-registry`` (the CNCF distribution registry) on 127.0.0.1, pushes 40
repositories with 5 tags each, writes a tree whose Dockerfiles name all 200 references, and times
`steward.images.lookup.look_up_all` (one tag list per repository, one manifest HEAD per reference,
concurrently; no disk cache) and the whole `steward.images.pipeline.run` without the contents
scan. Target: ≤ 2 s. The same run with contents (every image's manifest and layers pulled,
newer tags too) is printed for information.

Then the contents scan once the layers are local: an image of 500 dpkg packages (two layers,
gzip and zstd, the second with whiteouts) read, merged and matched against 50,000 Debian
advisories in the local SQLite index (`steward.images.layers` → `ospackages` → the index →
`osvmatch`). Target: ≤ 1 s.

Usage: python bench/images_bench.py   (needs ``apt-get install -y docker-registry``)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from steward.analysis.vulnerabilities import parse
from steward.config import Settings
from steward.images.layers import merge, read_layer
from steward.images.lookup import Lookups, look_up_all
from steward.images.ospackages import inventory, wanted
from steward.images.osvmatch import lookup_keys, match
from steward.images.pipeline import find_references, run
from steward.images.registry import OciHttp
from steward.images.settings import ImageSettings
from steward.sources.osv import Loaded, OsvDatabase
from tests.images.layers_kit import DEBIAN_12, Entry, tar
from tests.images.oci import BINARY, Pusher, distribution

TARGET = 2.0
CONTENTS_TARGET = 1.0
PACKAGES, ADVISORIES, SOURCES = 500, 50_000, 2_000
REPOSITORIES, TAGS = 40, ("1.0.0", "1.0.1", "1.1.0", "1.2.0", "2.0.0")


def main() -> int:
    if BINARY is None:
        print("docker-registry is not installed (apt-get install -y docker-registry)")
        return 2
    with tempfile.TemporaryDirectory() as tmp, distribution(Path(tmp)) as url:
        pusher = Pusher(url)
        root = Path(tmp) / "tree"
        for index in range(REPOSITORIES):
            lines = []
            for tag in TAGS:
                pusher.image(f"bench/app{index}", tag, label=f"{index}-{tag}")
                lines.append(f"FROM bench/app{index}:{tag}")
            folder = root / f"svc{index}"
            folder.mkdir(parents=True)
            (folder / "Dockerfile").write_text("\n".join(lines) + "\n")
        settings = ImageSettings(default_registry=url, scan_contents=False)
        refs, _, _ = find_references(root, Settings(base_dir=root))
        started = time.perf_counter()
        found = asyncio.run(look_up_all(refs, Lookups(OciHttp(retries=1), settings)))
        lookups = time.perf_counter() - started
        started = time.perf_counter()
        result = run(root, Settings(base_dir=root), settings, offline=False, today=date.today())
        whole = time.perf_counter() - started
        started = time.perf_counter()
        with_contents = ImageSettings(default_registry=url)
        run(root, Settings(base_dir=root), with_contents, offline=False, today=date.today())
        pulled = time.perf_counter() - started
    checked = sum(1 for item in found if item.not_checked is None and item.digest)
    outdated = sum(
        1 for s in result.statuses if any(f.rule == "image-outdated" for f in s.findings)
    )
    contents, vulnerable = contents_figure()
    print(f"references            {len(refs)} ({checked} with a digest, {outdated} outdated)")
    print(
        f"lookups (tags+HEAD)   {lookups:.3f} s   target ≤ {TARGET:.1f} s   {'ok' if lookups <= TARGET else 'MISSED'}"
    )
    print(
        f"whole scan            {whole:.3f} s   target ≤ {TARGET:.1f} s   {'ok' if whole <= TARGET else 'MISSED'}"
    )
    print(f"whole scan + contents {pulled:.3f} s   (every image's layers pulled; no target)")
    print(
        f"contents ({PACKAGES} pkgs × {ADVISORIES:,} advisories, {vulnerable} vulnerable)"
        f"   {contents:.3f} s   target ≤ {CONTENTS_TARGET:.1f} s   "
        f"{'ok' if contents <= CONTENTS_TARGET else 'MISSED'}"
    )
    ok = lookups <= TARGET and whole <= TARGET and contents <= CONTENTS_TARGET
    return 0 if ok else 1


def _status(count: int) -> str:
    """``count`` dpkg stanzas, built from 1 in 4 as a binary of a shared source package."""
    stanzas = []
    for index in range(count):
        source = f"src{index % SOURCES // 4 * 4}"
        stanzas.append(
            f"Package: pkg{index}\nStatus: install ok installed\nArchitecture: amd64\n"
            f"Source: {source}\nVersion: 1.{index % 7}-{index % 3}+deb12u1\n"
        )
    return "\n".join(stanzas)


def _advisory(index: int) -> dict[str, object]:
    source = f"src{index % SOURCES}"
    fixed = f"1.{index % 9}-{index % 4}+deb12u{index % 5}"
    return {
        "id": f"DEBIAN-CVE-2024-{index:05d}",
        "upstream": [f"CVE-2024-{index:05d}"],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected": [
            {
                "package": {"name": source, "ecosystem": eco},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
            for eco in ("Debian:11", "Debian:12")
        ],
    }


def contents_figure() -> tuple[float, int]:
    """Seconds to read, merge and match the 500-package image (the index built beforehand)."""
    with tempfile.TemporaryDirectory() as tmp:
        database = OsvDatabase(Path(tmp) / "advisories.db")
        database.rebuild(
            (Loaded("bench", parse(_advisory(i)), b"{}") for i in range(ADVISORIES)), ["bench"]
        )
        base = tar(
            [
                Entry("usr/lib/os-release", content=DEBIAN_12.encode()),
                Entry("etc/os-release", "symlink", target="../usr/lib/os-release"),
                Entry("var/lib/dpkg/status", content=_status(PACKAGES).encode()),
                *(
                    Entry(f"usr/share/doc/pkg{i}/copyright", content=b"x" * 200)
                    for i in range(PACKAGES)
                ),
            ]
        )
        top = tar(
            [
                Entry("usr/share/doc/.wh.pkg1"),
                Entry("var/lib/dpkg/status", content=_status(PACKAGES).encode()),
            ],
            "zstd",
        )
        started = time.perf_counter()
        root = merge(read_layer(data, f"sha256:{i}", wanted) for i, data in enumerate((base, top)))
        found = inventory(root)
        matched = match(found, database.advisories_for(lookup_keys(found)))
        elapsed = time.perf_counter() - started
    return elapsed, len(matched.keys())


if __name__ == "__main__":
    raise SystemExit(main())
