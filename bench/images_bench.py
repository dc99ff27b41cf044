"""Digest and tag checks for 200 image references against a local registry.

Starts Debian's ``docker-registry`` (the CNCF distribution registry) on 127.0.0.1, pushes 40
repositories with 5 tags each, writes a tree whose Dockerfiles name all 200 references, and times
`steward.images.lookup.look_up_all` (one tag list per repository, one manifest HEAD per reference,
concurrently; no disk cache) and the whole `steward.images.pipeline.run`. Target: ≤ 2 s.

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

from steward.config import Settings
from steward.images.lookup import Lookups, look_up_all
from steward.images.pipeline import find_references, run
from steward.images.registry import OciHttp
from steward.images.settings import ImageSettings
from tests.images.oci import BINARY, Pusher, distribution

TARGET = 2.0
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
        settings = ImageSettings(default_registry=url)
        refs, _, _ = find_references(root, Settings(base_dir=root))
        started = time.perf_counter()
        found = asyncio.run(look_up_all(refs, Lookups(OciHttp(retries=1), settings)))
        lookups = time.perf_counter() - started
        started = time.perf_counter()
        result = run(root, Settings(base_dir=root), settings, offline=False, today=date.today())
        whole = time.perf_counter() - started
    checked = sum(1 for item in found if item.not_checked is None and item.digest)
    outdated = sum(
        1 for s in result.statuses if any(f.rule == "image-outdated" for f in s.findings)
    )
    print(f"references            {len(refs)} ({checked} with a digest, {outdated} outdated)")
    print(
        f"lookups (tags+HEAD)   {lookups:.3f} s   target ≤ {TARGET:.1f} s   {'ok' if lookups <= TARGET else 'MISSED'}"
    )
    print(
        f"whole scan            {whole:.3f} s   target ≤ {TARGET:.1f} s   {'ok' if whole <= TARGET else 'MISSED'}"
    )
    return 0 if lookups <= TARGET and whole <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
