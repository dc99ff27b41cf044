"""Record a package index's PEP 691 Simple JSON answers as a folder Steward can read offline.

    python scripts/record_pypi.py --index-url URL --out DIR NAME...

For each NAME, ``<index-url>/<normalized-name>/`` is fetched with
``Accept: application/vnd.pypi.simple.v1+json`` and written to ``DIR/<normalized-name>/index.json``.
Only what Steward reads is kept: ``meta``, ``name``, ``versions``, ``project-status`` and, per file,
``filename``, ``url`` (rewritten to ``https://files.pypi-mirror.invalid/packages/<filename>``), ``upload-time``,
``yanked`` and ``requires-python``; ``hashes`` is kept as an empty object so the page stays valid
PEP 691. Point ``[registries.pypi].fallback`` (or a ``file:`` index URL) at DIR to use it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from packaging.utils import canonicalize_name

ACCEPT = "application/vnd.pypi.simple.v1+json"
FILE_HOST = "files.pypi-mirror.invalid"
FILE_KEYS = ("filename", "url", "upload-time", "yanked", "requires-python")
PROJECT_KEYS = ("meta", "name", "versions", "project-status")


def _rehost(url: str) -> str:
    """The file's URL on the placeholder host, its long content-addressed path cut to the name."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return f"https://{FILE_HOST}/packages/{name}"


def slim(page: dict[str, Any]) -> dict[str, Any]:
    """The parts of a PEP 691 project page Steward reads, file URLs re-hosted."""
    kept = {key: page[key] for key in PROJECT_KEYS if key in page}
    files = []
    for file in page.get("files", []):
        entry = {key: file[key] for key in FILE_KEYS if key in file}
        entry["url"] = _rehost(entry.get("url", ""))
        entry["hashes"] = {}
        files.append(entry)
    kept["files"] = files
    return kept


def record(client: httpx.Client, index_url: str, out: Path, name: str) -> Path:
    """Fetch one project page and write it; returns the file written."""
    project = canonicalize_name(name)
    reply = client.get(f"{index_url.rstrip('/')}/{project}/", headers={"Accept": ACCEPT})
    reply.raise_for_status()
    target = out / project / "index.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(slim(reply.json())))
    return target


def dumps(page: dict[str, Any]) -> str:
    """Compact JSON with one file per line, so recordings stay small and diff well."""
    head = {key: value for key, value in page.items() if key != "files"}
    files = ",\n".join(json.dumps(f, sort_keys=True, separators=(",", ":")) for f in page["files"])
    opening = json.dumps(head, sort_keys=True, separators=(",", ":"))[:-1]
    return f'{opening},"files":[\n{files}\n]}}\n'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-url", required=True, help="the index to record from")
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("names", nargs="+", metavar="NAME", help="projects to record")
    args = parser.parse_args(argv)
    with httpx.Client(timeout=30.0, follow_redirects=True) as client:
        for name in args.names:
            try:
                print(record(client, args.index_url, args.out, name))
            except httpx.HTTPError as error:
                print(f"{name}: {type(error).__name__}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
