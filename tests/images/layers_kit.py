"""Builds image layers for the tests: regular files, symbolic and hard links, whiteouts and
opaque markers, as plain tar, gzip or zstd; and the image roots the contents tests push."""

from __future__ import annotations

import gzip
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
REAL_STATUS = (DATA / "dpkg-status").read_text()
APK_INSTALLED = (DATA / "apk-installed").read_text()
DEBIAN_12 = (
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n'
    'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n'
)
ALPINE_319 = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'
#: The fixture's real versions lowered to older Debian 12 releases of the same packages.
OLDER = {
    "2.36-9+deb12u14": "2.36-9+deb12u1",  # glibc
    "3.0.19-1~deb12u2": "3.0.11-1~deb12u2",  # openssl
    "2.5.0-1+deb12u1": "2.5.0-1",  # expat
}


def older_status() -> str:
    """The real stanzas with glibc, openssl and expat at older bookworm versions."""
    text = REAL_STATUS
    for new, old in OLDER.items():
        text = text.replace(f"Version: {new}\n", f"Version: {old}\n")
    return text


@dataclass(frozen=True)
class Entry:
    """One tar member: ``kind`` is ``file``, ``symlink``, ``hardlink`` or ``dir``."""

    name: str
    kind: str = "file"
    content: bytes = b""
    target: str = ""


def tar(entries: list[Entry], compress: str = "gzip") -> bytes:
    """A layer of ``entries`` in order; ``compress`` is ``gzip``, ``zstd`` or ``none``."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for entry in entries:
            info = tarfile.TarInfo(entry.name)
            info.mtime = 0
            if entry.kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, entry.target
            elif entry.kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, entry.target
            elif entry.kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            else:
                info.size = len(entry.content)
            archive.addfile(info, io.BytesIO(entry.content) if entry.kind == "file" else None)
    data = raw.getvalue()
    if compress == "zstd":
        import zstandard

        return zstandard.ZstdCompressor().compress(data)
    return gzip.compress(data, mtime=0) if compress == "gzip" else data


def files(mapping: dict[str, str]) -> list[Entry]:
    """Regular files from path → text."""
    return [Entry(path, content=text.encode()) for path, text in mapping.items()]


def debian_base(status: str, compress: str = "gzip") -> bytes:
    """A Debian 12 base layer: os-release under usr/lib with etc/os-release linking to it (as
    in Debian), the dpkg status, and a stray apk database and status.d file a later layer
    removes."""
    return tar(
        [
            Entry("usr/", "dir"),
            Entry("usr/lib/os-release", content=DEBIAN_12.encode()),
            Entry("etc/os-release", "symlink", target="../usr/lib/os-release"),
            Entry("var/lib/dpkg/status", content=status.encode()),
            Entry("var/lib/dpkg/status.d/stray", content=b"Package: stray\nVersion: 1.0-1\n"),
            Entry("lib/apk/db/installed", content=b"P:stray-apk\nV:1.0-r0\n"),
        ],
        compress,
    )


def debian_top(compress: str = "zstd") -> bytes:
    """The layer above `debian_base`: deletes the apk database (whiteout) and hides
    ``status.d`` (opaque directory)."""
    return tar(
        [
            Entry("lib/apk/db/.wh.installed"),
            Entry("var/lib/dpkg/status.d/.wh..wh..opq"),
            Entry("srv/app.txt", content=b"the application"),
        ],
        compress,
    )


def alpine_image() -> list[bytes]:
    """An Alpine 3.19 image in one gzip layer."""
    return [
        tar(
            files({"etc/os-release": ALPINE_319, "lib/apk/db/installed": APK_INSTALLED}),
        )
    ]
