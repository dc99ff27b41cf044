"""Record trimmed npm packuments for tests and examples.

    python scripts/record_npm.py --registry URL --out DIR NAME [NAME ...]

Fetches ``<registry>/<name>`` for every NAME and writes ``DIR/<name>`` (``DIR/@scope/name`` for
scoped names) laid out as `steward.ecosystems.npm.registry.NpmRegistry` reads a ``file:`` folder.
Each packument is trimmed to ``name``, ``dist-tags``, ``time`` and, per version, ``version``,
``deprecated``, ``engines`` and ``peerDependencies``; any mention of the registry's address is
rewritten to https://npm-mirror.invalid/. The registry URL is only ever taken from the command
line (``npm config get registry`` prints the one npm uses).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

MIRROR = "https://npm-mirror.invalid/"
KEPT_VERSION_FIELDS = ("version", "deprecated", "engines", "peerDependencies")


def trim(packument: dict[str, Any]) -> dict[str, Any]:
    """Only what Steward reads (and what an example's story needs) of a full packument."""
    versions = packument.get("versions") or {}
    return {
        "name": packument.get("name"),
        "dist-tags": packument.get("dist-tags") or {},
        "time": packument.get("time") or {},
        "versions": {
            version: {k: meta[k] for k in KEPT_VERSION_FIELDS if k in meta}
            for version, meta in versions.items()
            if isinstance(meta, dict)
        },
    }


def rewrite_hosts(text: str, registry: str) -> str:
    """Every mention of the registry's origin → the placeholder mirror."""
    parts = urlsplit(registry)
    for scheme in ("https", "http"):
        text = text.replace(f"{scheme}://{parts.netloc}/", MIRROR)
        text = text.replace(f"{scheme}://{parts.netloc}", MIRROR.rstrip("/"))
    return text


def target(out: Path, name: str) -> Path:
    return out.joinpath(*name.split("/"))


def record(client: httpx.Client, registry: str, out: Path, name: str) -> Path:
    url = f"{registry.rstrip('/')}/{name.replace('/', '%2f')}"
    reply = client.get(url, headers={"Accept": "application/json"})
    reply.raise_for_status()
    text = json.dumps(trim(reply.json()), indent=1, sort_keys=True) + "\n"
    path = target(out, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rewrite_hosts(text, registry), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registry", required=True, help="the registry's base URL")
    parser.add_argument("--out", required=True, type=Path, help="folder to write packuments to")
    parser.add_argument("names", nargs="+", metavar="NAME")
    args = parser.parse_args(argv)
    with httpx.Client(timeout=60.0, follow_redirects=True) as client:
        for name in args.names:
            try:
                path = record(client, args.registry, args.out, name)
            except httpx.HTTPError as error:
                print(f"{name}: {type(error).__name__}: {error}", file=sys.stderr)
                return 1
            print(f"{name} → {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
