"""Build (or record) a registry laid out on disk, as `steward.images.registry.OciRegistry`
reads a ``file:`` base URL.

    python scripts/record_oci.py build --out examples/eventshop/registry/oci
    python scripts/record_oci.py record --registry URL --out DIR REPOSITORY [REPOSITORY ...]

``build`` writes the eventshop example's OWN images (``registry.eventshop.example/eventshop/…``):
small but valid OCI image manifests, one multi-platform index per tag of order-service, and the
config and layer blobs they point at, so every digest is the sha256 of real bytes. Nothing is
taken from a public registry. The output is deterministic: the same bytes on every run (layers
are uncompressed tarballs with fixed metadata, JSON is written with fixed formatting).

``record`` copies what a running registry answers (tags/list, every tag's manifest byte for
byte, the manifests an index names, and their blobs) into the same layout. The registry URL is
only ever taken from the command line.

Layout (``<out>/v2/<repository>/…``): ``tags/list``; ``manifests/<tag>`` and
``manifests/sha256:<hex>`` (the same bytes), each with a ``.type`` file holding the media type;
``blobs/sha256:<hex>``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import sys
import tarfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"
ACCEPT = ", ".join(
    (
        OCI_INDEX,
        "application/vnd.docker.distribution.manifest.list.v2+json",
        OCI_MANIFEST,
        "application/vnd.docker.distribution.manifest.v2+json",
    )
)
PREFIX = "eventshop"
SOURCE = "https://git.eventshop.example/eventshop"


@dataclass(frozen=True)
class Build:
    """One build of a service: the version it was tagged with, when, and a build number (a
    rebuild of the same version on a refreshed base gets a new number and new digests)."""

    version: str
    created: str
    build: int = 1


#: Per service: its builds in order, the tags that point at them now, and whether it is
#: published for several platforms. ``OLD_BUILDS`` are builds whose tag has since moved.
CATALOGUE: dict[str, tuple[tuple[Build, ...], bool]] = {
    "order-service": (
        (
            Build("1.7.2", "2026-01-20T09:12:00Z"),
            Build("1.8.0", "2026-02-17T14:03:00Z"),
            Build("1.8.3", "2026-04-08T10:41:00Z", build=2),
            Build("1.8.4", "2026-05-12T08:30:00Z"),
            Build("1.8.5", "2026-06-30T16:05:00Z"),
            Build("1.9.0", "2026-08-04T11:20:00Z"),
            Build("1.9.1", "2026-09-22T13:47:00Z"),
            Build("2.0.0-rc.1", "2026-10-29T15:00:00Z"),
        ),
        True,
    ),
    "inventory-service": (
        (
            Build("0.13.2", "2026-02-02T10:00:00Z"),
            Build("0.14.0", "2026-03-16T12:30:00Z"),
            Build("0.14.1", "2026-06-09T09:45:00Z"),
            Build("0.15.0", "2026-09-01T14:10:00Z"),
        ),
        False,
    ),
    "payment-service": (
        (
            Build("3.1.4", "2026-01-28T11:00:00Z"),
            Build("3.2.0", "2026-03-10T15:22:00Z"),
            Build("3.2.1", "2026-05-05T10:05:00Z"),
            Build("3.3.0", "2026-07-14T09:30:00Z"),
            Build("4.0.0", "2026-10-06T08:55:00Z"),
        ),
        False,
    ),
    "notification-service": (
        (
            Build("1.2.3", "2026-01-13T13:13:00Z"),
            Build("1.3.0", "2026-04-21T10:10:00Z"),
            Build("1.3.1", "2026-08-18T17:02:00Z"),
        ),
        False,
    ),
    "shipping-service": (
        (
            Build("2.4.0", "2026-03-03T09:00:00Z"),
            Build("2.4.1", "2026-05-26T11:35:00Z"),
        ),
        False,
    ),
}
#: Builds no tag points at any more (still pullable by digest, as in a real registry).
OLD_BUILDS: dict[str, tuple[Build, ...]] = {
    "order-service": (Build("1.8.3", "2026-03-24T10:02:00Z", build=1),),
}
PLATFORMS = (("linux", "amd64"), ("linux", "arm64"))


def _json(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, indent=2) + "\n").encode()


def digest_of(data: bytes) -> str:
    """``sha256:<hex>`` of ``data``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tarball(files: Mapping[str, bytes]) -> bytes:
    """An uncompressed tar of ``files`` with fixed metadata: 512-byte blocks and the two zero
    blocks that end an archive (no padding to tar's 10 KiB record; every reader accepts it)."""
    out = io.BytesIO()
    for name, content in files.items():
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(content), 1767225600, 0o644
        info.uname = info.gname = "root"
        out.write(info.tobuf(tarfile.USTAR_FORMAT, "utf-8", "strict"))
        out.write(content + b"\0" * (-len(content) % 512))
    out.write(b"\0" * 1024)
    return out.getvalue()


class Folder:
    """The ``v2`` tree being written: blobs and manifests by digest, tags, media types."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def blob(self, repository: str, data: bytes) -> dict[str, Any]:
        """Store ``data`` as a blob; returns its descriptor (without media type)."""
        digest = digest_of(data)
        self._write(repository, f"blobs/{digest}", data)
        return {"digest": digest, "size": len(data)}

    def manifest(self, repository: str, body: bytes, media_type: str, tag: str | None) -> str:
        """Store a manifest by digest (and under ``tag``); returns its digest."""
        digest = digest_of(body)
        for reference in (digest, tag) if tag else (digest,):
            self._write(repository, f"manifests/{reference}", body)
            self._write(repository, f"manifests/{reference}.type", media_type.encode() + b"\n")
        return digest

    def tags(self, repository: str, tags: Iterable[str]) -> None:
        """``tags/list`` as a registry answers it (tags sorted)."""
        document = {"name": repository, "tags": sorted(tags)}
        self._write(repository, "tags/list", _json(document))

    def _write(self, repository: str, path: str, data: bytes) -> None:
        target = self.root / "v2" / repository / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _image(folder: Folder, service: str, build: Build, os_: str, arch: str) -> bytes:
    """One platform's image manifest (its config and layer stored as blobs)."""
    repository = f"{PREFIX}/{service}"
    layer = tarball(
        {
            "app/VERSION": f"{service} {build.version}\n".encode(),
            "app/BUILD": f"build {build.build} {os_}/{arch} {build.created}\n".encode(),
        }
    )
    layer_descriptor = {"mediaType": OCI_LAYER, **folder.blob(repository, layer)}
    config = {
        "created": build.created,
        "architecture": arch,
        "os": os_,
        "config": {
            "User": "65532:65532",
            "Entrypoint": [f"/app/{service}"],
            "Labels": {
                "org.opencontainers.image.source": f"{SOURCE}/{service}",
                "org.opencontainers.image.version": build.version,
            },
        },
        "rootfs": {"type": "layers", "diff_ids": [digest_of(layer)]},
        "history": [{"created": build.created, "created_by": f"COPY app/ /app/ # {service}"}],
    }
    config_descriptor = {"mediaType": OCI_CONFIG, **folder.blob(repository, _json(config))}
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": config_descriptor,
        "layers": [layer_descriptor],
    }
    return _json(manifest)


def _publish(folder: Folder, service: str, build: Build, multi: bool, tag: str | None) -> str:
    """Store ``build`` (one manifest, or an index of every platform) under ``tag``."""
    repository = f"{PREFIX}/{service}"
    if not multi:
        body = _image(folder, service, build, *PLATFORMS[0])
        return folder.manifest(repository, body, OCI_MANIFEST, tag)
    entries = []
    for os_, arch in PLATFORMS:
        body = _image(folder, service, build, os_, arch)
        digest = folder.manifest(repository, body, OCI_MANIFEST, None)
        entries.append(
            {
                "mediaType": OCI_MANIFEST,
                "digest": digest,
                "size": len(body),
                "platform": {"architecture": arch, "os": os_},
            }
        )
    index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}
    return folder.manifest(repository, _json(index), OCI_INDEX, tag)


def build(out: Path) -> dict[str, dict[str, str]]:
    """Write the example's images under ``out/v2`` (replacing what was there); returns
    repository → tag → digest, and ``<version>#<build>`` → digest for the old builds."""
    shutil.rmtree(out / "v2", ignore_errors=True)
    folder = Folder(out)
    published: dict[str, dict[str, str]] = {}
    for service, (builds, multi) in CATALOGUE.items():
        repository = f"{PREFIX}/{service}"
        tags = published.setdefault(repository, {})
        for old in OLD_BUILDS.get(service, ()):
            tags[f"{old.version}#{old.build}"] = _publish(folder, service, old, multi, None)
        for one in builds:
            tags[one.version] = _publish(folder, service, one, multi, one.version)
        newest = [b for b in builds if "-" not in b.version][-1]
        tags["latest"] = _publish(folder, service, newest, multi, "latest")
        folder.tags(repository, (t for t in tags if "#" not in t))
    return published


def record(url: str, repositories: Iterable[str], out: Path) -> None:
    """Copy what the registry at ``url`` answers for ``repositories`` into ``out/v2``."""
    import httpx

    folder = Folder(out)
    with httpx.Client(base_url=url.rstrip("/"), timeout=30) as client:
        for repository in repositories:
            reply = client.get(f"/v2/{repository}/tags/list")
            reply.raise_for_status()
            tags = reply.json().get("tags") or []
            folder.tags(repository, tags)
            for tag in tags:
                _record_manifest(client, folder, repository, tag)


def _record_manifest(client: Any, folder: Folder, repository: str, reference: str) -> None:
    reply = client.get(f"/v2/{repository}/manifests/{reference}", headers={"Accept": ACCEPT})
    reply.raise_for_status()
    media_type = reply.headers.get("content-type", "").split(";")[0]
    tag = None if reference.startswith("sha256:") else reference
    folder.manifest(repository, reply.content, media_type, tag)
    document = json.loads(reply.content)
    for entry in document.get("manifests", []):
        _record_manifest(client, folder, repository, entry["digest"])
    for descriptor in [document.get("config"), *document.get("layers", [])]:
        if descriptor:
            blob = client.get(f"/v2/{repository}/blobs/{descriptor['digest']}")
            blob.raise_for_status()
            folder.blob(repository, blob.content)


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write the eventshop example's images")
    make.add_argument("--out", type=Path, required=True)
    copy = commands.add_parser("record", help="copy a running registry's answers")
    copy.add_argument("--registry", required=True)
    copy.add_argument("--out", type=Path, required=True)
    copy.add_argument("repositories", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "build":
        for repository, tags in build(args.out).items():
            for tag, digest in tags.items():
                print(f"{repository}:{tag} {digest}")
    else:
        record(args.registry, args.repositories, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
